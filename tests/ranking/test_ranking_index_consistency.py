"""The ranking indexes against a real SQLite file: import, merge, change, forget, purge, crash."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import numpy as np

from ranking.features import refresh_features
from ranking.full_rank import rank_job_full
from ranking.retrieve import sync_dense_index
from ranking.service import rank_job
from ranking_helpers import DJANGO_JOB_EN, backend_profile, frontend_profile, pastry_profile
from sourcing.storage import Store, rank_index
from sourcing.storage.vector_index import DenseIndex, index_folder, index_key

WORD = "Zyxquarkelmination"  # a word no other profile holds, to grep the files for


def _db(store) -> Path:
    return Path(store.engine.url.database)


def _index(store, enc) -> DenseIndex:
    idx = DenseIndex(index_folder(_db(store)), index_key(enc.name, False), enc.dim)
    assert idx.open(rank_index.get_state(store, "index_token"), rank_index.max_change_seq(store))
    return idx


def _live(store, enc) -> dict[int, int]:
    own = np.asarray(_index(store, enc).owners)
    ids, counts = np.unique(own[own != 0], return_counts=True)
    return dict(zip(ids.tolist(), counts.tolist()))


def _chunks(store, cid) -> list[str]:
    return next(h for c, h, _ in rank_index.iter_chunk_hashes(store, False, [cid]))


def _fts_ids(store, word: str) -> list[int]:
    return rank_index.lexical_top(store, [word], 100)


def _files_with(folder: Path, needle: bytes) -> list[str]:
    return [p.name for p in folder.iterdir() if p.is_file() and needle in p.read_bytes()]


def test_import_derives_features_once_and_indexes_every_chunk(pool_store, fake_encoder):
    store = pool_store
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    assert rank_index.pool_size(store, False) == 3
    live = _live(store, fake_encoder)
    assert set(live) == set(store.ids.values())
    assert all(live[cid] == len(_chunks(store, cid)) for cid in live)
    assert refresh_features(store, blind=False) == 0  # nothing changed: nothing derived again
    assert _fts_ids(store, "croissants") == [store.ids["bob"]]


def test_profile_change_drops_the_derived_row_and_the_index_follows(pool_store, fake_encoder):
    store = pool_store
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    alice = store.ids["alice"]
    old = _chunks(store, alice)
    store.upsert_profile(backend_profile(summary=f"She now writes {WORD} compilers in Rust."))
    # In the same transaction as the write: the derived row and the lexical row are gone.
    assert rank_index.load_features(store, [alice], False) == {}
    assert _fts_ids(store, WORD) == []
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    new = _chunks(store, alice)
    assert new != old
    assert _fts_ids(store, WORD) == [alice]
    idx = _index(store, fake_encoder)
    rows = np.flatnonzero(np.asarray(idx.owners) == alice)
    assert len(rows) == len(new)
    want = fake_encoder.encode([c for c in rank_index.load_features(store, [alice], False)[alice]["chunks"]])
    assert np.allclose(np.asarray(idx.vectors)[rows], want, atol=1e-6)
    # The replaced rows are zeroed, not left to match.
    dead = np.flatnonzero(np.asarray(idx.owners) == 0)
    assert len(dead) == len(old) and not np.asarray(idx.vectors)[dead].any()


def test_crawl_merge_moves_the_person_to_one_candidate(pool_store, fake_encoder):
    store = pool_store
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    # The same person seen on GitHub with Alice's e-mail: merged into Alice's candidate.
    res = store.upsert_profile(frontend_profile(external_id="alice-gh", name="Alice Martin", email="alice@example.org",
                                                summary=f"Alice maintains {WORD}."))
    assert res.candidate_id == store.ids["alice"]
    ranked = rank_job(store, store.job_id_en, encoder=fake_encoder)
    assert sorted(r.candidate_id for r in ranked) == sorted(store.ids.values())
    assert _fts_ids(store, WORD) == [store.ids["alice"]]
    assert set(_live(store, fake_encoder)) == set(store.ids.values())
    assert len(_chunks(store, store.ids["alice"])) == _live(store, fake_encoder)[store.ids["alice"]]


def _erase_and_grep(store, enc, erase) -> None:
    store.upsert_profile(backend_profile(external_id="dave", name="Dave Quill", email="dave@example.org",
                                         summary=f"Dave invented {WORD} for payment APIs."))
    rank_job(store, store.job_id_en, encoder=enc)
    dave = store.upsert_profile(backend_profile(external_id="dave", name="Dave Quill", email="dave@example.org",
                                                summary=f"Dave invented {WORD} for payment APIs.")).candidate_id
    vec = np.asarray(_index(store, enc).vectors)[np.asarray(_index(store, enc).owners) == dave].copy()
    assert len(vec)
    folder = _db(store).parent
    assert _files_with(folder, WORD.encode())  # before: in the database (profile, features, FTS)
    assert _files_with(index_folder(_db(store)), vec[0].tobytes())
    erase(dave)
    assert rank_index.load_features(store, [dave], False) == {}
    assert _fts_ids(store, WORD) == []
    assert dave not in _live(store, enc)
    assert _files_with(folder, WORD.encode()) == []
    assert _files_with(index_folder(_db(store)), vec[0].tobytes()) == []
    ranked = rank_job(store, store.job_id_en, encoder=enc)
    assert dave not in {r.candidate_id for r in ranked}


def test_forget_erases_vectors_lexical_rows_and_features_from_the_files(pool_store, fake_encoder):
    store = pool_store
    _erase_and_grep(store, fake_encoder, lambda cid: store.forget_candidate(cid, actor="test"))


def test_purge_erases_them_too(pool_store, fake_encoder):
    from sourcing.config import load_config
    from sourcing.privacy import purge

    store = pool_store
    cfg = load_config(None, db=str(_db(store)))

    def erase(cid: int) -> None:
        store.set_decision(store.job_id_en, cid, "rejected", actor="test")
        report = purge(store, cfg, actor="test", now=store.get_candidate(cid)["last_activity_at"] + timedelta(days=10_000))
        assert cid in {i.candidate_id for i in report.items}

    _erase_and_grep(store, fake_encoder, erase)


def test_a_crash_between_the_store_write_and_the_index_write_is_repaired_on_open(pool_store, fake_encoder, tmp_path):
    store = pool_store
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    idx = _index(store, fake_encoder)
    # The write commits, then the process dies before any index write: the index is behind.
    store.upsert_profile(pastry_profile(summary=f"Bob left pastry for {WORD} and Django."))
    assert idx.read_meta()["seq"] < rank_index.max_change_seq(store)
    # ... and dies again half-way through appending rows (no metadata written).
    idx.append(np.asarray([store.ids["bob"]] * 3), np.ones((3, fake_encoder.dim), dtype=np.float32))
    assert idx.vec_path.stat().st_size > idx.read_meta()["rows"] * fake_encoder.dim * 4
    ranked = rank_job(store, store.job_id_en, encoder=fake_encoder)
    full = rank_job_full(store, store.job_id_en, encoder=fake_encoder)
    assert [(r.candidate_id, r.score) for r in ranked] == [(r.candidate_id, r.score) for r in full]
    live = _live(store, fake_encoder)
    assert live[store.ids["bob"]] == len(_chunks(store, store.ids["bob"]))
    meta = _index(store, fake_encoder).read_meta()
    assert meta["seq"] == rank_index.max_change_seq(store)
    assert _index(store, fake_encoder).vec_path.stat().st_size == meta["rows"] * fake_encoder.dim * 4


def test_index_files_of_another_database_or_an_older_backup_are_rebuilt(pool_store, fake_encoder, tmp_path):
    store = pool_store
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    db = _db(store)
    backup = tmp_path / "backup.db"
    with store.engine.connect() as c:
        c.connection.driver_connection.execute(f"VACUUM INTO '{backup}'")
    store.upsert_profile(pastry_profile(summary=f"Bob writes {WORD}."))
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    newer_meta = json.loads((index_folder(db) / f"{index_key(fake_encoder.name, False)}.json").read_text())
    store.close()
    # Restore the older database beside the newer index: its sequence number is behind the files'.
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(backup, db)
    restored = Store.open(str(db))
    try:
        assert rank_index.max_change_seq(restored) < newer_meta["seq"]
        ranked = rank_job(restored, restored.add_job("Python Django", DJANGO_JOB_EN), encoder=fake_encoder)
        assert _fts_ids(restored, WORD) == []
        assert len(ranked) == 3
        meta = json.loads((index_folder(db) / f"{index_key(fake_encoder.name, False)}.json").read_text())
        assert meta["seq"] == rank_index.max_change_seq(restored)
        owners = np.fromfile(index_folder(db) / f"{index_key(fake_encoder.name, False)}.own", dtype=np.int64)
        assert (owners != 0).sum() == sum(len(h) for _, h, _ in rank_index.iter_chunk_hashes(restored, False))
    finally:
        restored.close()


def test_an_index_is_synced_without_the_encoder_when_every_vector_is_cached(pool_store, fake_encoder):
    store = pool_store
    rank_job(store, store.job_id_en, encoder=fake_encoder)

    class NoEncode:
        name, dim = fake_encoder.name, fake_encoder.dim

        def encode(self, texts, **kw):
            raise AssertionError(f"asked to embed {len(texts)} texts")

    (Path(str(_db(store)) + ".index") / f"{index_key(fake_encoder.name, False)}.json").unlink()
    idx, embedded = sync_dense_index(store, NoEncode(), blind=False)
    assert embedded == 0 and idx.live_rows() == sum(len(h) for _, h, _ in rank_index.iter_chunk_hashes(store, False))
    assert rank_job(store, store.job_id_en, encoder=NoEncode())


def _log_rows(store) -> int:
    with store.connection() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM rank_change").scalar_one())


def test_the_change_log_is_pruned_once_every_reader_applied_it(pool_store, fake_encoder):
    from ranking.encoders import FakeEncoder

    store = pool_store
    other = FakeEncoder(dim=32)  # a second model's index: it reads the log too
    sync_dense_index(store, other, blind=False)
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    assert _log_rows(store) == 1  # everything applied by every reader; the newest row stays (sequence numbers keep growing)
    top = rank_index.max_change_seq(store)
    store.upsert_profile(pastry_profile(summary=f"Bob left pastry for {WORD}."))
    assert rank_index.max_change_seq(store) > top
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    # The other model's index has not applied Bob's change yet: his rows stay in the log for it.
    assert store.ids["bob"] in rank_index.changed_since(store, _index(store, other).seq)
    _, embedded = sync_dense_index(store, other, blind=False)
    assert embedded > 0 and _log_rows(store) == 1
    bob_rows = np.flatnonzero(np.asarray(_index(store, other).owners) == store.ids["bob"])
    want = other.encode(rank_index.load_features(store, [store.ids["bob"]], False)[store.ids["bob"]]["chunks"])
    assert np.allclose(np.asarray(_index(store, other).vectors)[bob_rows], want, atol=1e-6)


def test_an_index_behind_the_pruned_log_is_rebuilt_not_left_stale(pool_store, fake_encoder):
    from ranking.encoders import FakeEncoder

    store = pool_store
    other = FakeEncoder(dim=32)
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    sync_dense_index(store, other, blind=False)
    store.upsert_profile(pastry_profile(summary=f"Bob left pastry for {WORD}."))
    rank_job(store, store.job_id_en, encoder=fake_encoder)
    store.upsert_profile(frontend_profile(summary=f"Carol writes {WORD} too."))
    # Pruned past the other index (as if it had been deleted and reappeared from a backup).
    rank_index.prune_changes(store, rank_index.max_change_seq(store))
    bob, carol = store.ids["bob"], store.ids["carol"]
    assert bob not in rank_index.changed_since(store, _index(store, other).seq)
    assert refresh_features(store, blind=False) == 1  # Carol, whose change the features had not applied
    sync_dense_index(store, other, blind=False)
    assert set(_live(store, other)) == set(store.ids.values())
    for cid in (bob, carol):
        rows = np.flatnonzero(np.asarray(_index(store, other).owners) == cid)
        want = other.encode(rank_index.load_features(store, [cid], False)[cid]["chunks"])
        assert len(rows) == len(want) and np.allclose(np.asarray(_index(store, other).vectors)[rows], want, atol=1e-6)
    # Two changes, the older one's log row pruned before the features saw it: the whole pool is checked.
    store.upsert_profile(pastry_profile(summary="Bob is back to croissants."))
    store.upsert_profile(frontend_profile(summary="Carol writes React again."))
    rank_index.prune_changes(store, rank_index.max_change_seq(store))
    assert bob not in rank_index.changed_since(store, int(rank_index.get_state(store, "features-plain")))
    assert refresh_features(store, blind=False) == 2


def test_the_kept_pool_counts_follow_every_change(pool_store, fake_encoder):
    store = pool_store
    assert rank_index.pool_size(store, False) == 0  # nothing derived yet
    refresh_features(store, blind=False)
    assert rank_index.pool_size(store, False) == 3 and rank_index.pool_languages(store, False) == {"en": 3}
    store.upsert_profile(backend_profile(external_id="dave", name="Dave Quill", email="dave@example.org"))
    refresh_features(store, blind=False)
    assert rank_index.pool_size(store, False) == 4
    store.forget_candidate(store.ids["bob"], actor="test")
    assert rank_index.pool_size(store, False) == 3  # counted again after the erasure, not read from the kept counts
