"""Two review apps deciding on the same job at once, on one store (a SQLite file; Postgres on that pass).

Each app has its own `Store` (its own connections), as two recruiters on two machines
would. No decision is lost, each keeps its audit row, the later one wins, the history
shows both (the later one's `before` is the earlier one's state), and the other app
shows the change when it opens the shortlist again.
"""

from __future__ import annotations

import pytest
from pilot_helpers import settle, write_config

from sourcing.notices import exempt
from sourcing.storage import Store
from sourcing.storage.review import decision_history
from tui.app import make_app
from tui.screens.shortlist import ShortlistScreen
from tui.widgets.shortlist_table import ShortlistTable

pytestmark = pytest.mark.postgres


async def _open_shortlist(app, pilot) -> ShortlistTable:
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ShortlistScreen)
    return app.screen.query_one("#shortlist", ShortlistTable)


async def test_two_apps_deciding_on_one_person_keep_both_and_the_later_wins(review_store, review_db, tmp_path):
    store, job_id, ids = review_store
    ines = ids[0]
    configs = {}
    for who in ("amy", "ben"):
        (tmp_path / who).mkdir()
        configs[who] = write_config(tmp_path / who, db=review_db)
    amy_cfg, ben_cfg = configs["amy"], configs["ben"]
    amy_store, ben_store = Store.open(review_db), Store.open(review_db)
    amy = make_app(amy_cfg, amy_store, export_dir=tmp_path / "exports")
    ben = make_app(ben_cfg, ben_store, export_dir=tmp_path / "exports")
    try:
        async with amy.run_test(size=(120, 40)) as pa, ben.run_test(size=(120, 40)) as pb:
            amy_table = await _open_shortlist(amy, pa)
            ben_table = await _open_shortlist(ben, pb)
            assert amy_table.cell_text(0, "status") == ben_table.cell_text(0, "status") == "·"
            await pa.press("s")  # Amy shortlists Inès...
            await pb.press("r", "enter")  # ...while Ben, who has not seen that, rejects her
            await settle(amy, pa)
            await settle(ben, pb)
            assert ben_table.cell_text(0, "status").startswith("rejected")
            assert amy_table.cell_text(0, "status").startswith("shortlisted")  # not seen yet...
            await pa.press("escape")
            await settle(amy, pa)
            amy_table = await _open_shortlist(amy, pa)  # ...until Amy opens the shortlist again
            assert amy_table.cell_text(0, "status").startswith("rejected")
    finally:
        amy_store.close()
        ben_store.close()
    assert store.get_decisions(job_id)[ines]["status"] == "rejected"
    history = decision_history(store, job_id, ines)
    assert [(e["action"], e["after"]["state"]["status"]) for e in history] == [("decision", "shortlisted"), ("decision", "rejected")]
    # The later decision was made on top of the earlier one: its audit row says what it replaced.
    assert history[1]["before"]["state"]["status"] == "shortlisted"


@pytest.mark.parametrize("writers", [2, 4])
def test_many_writers_deciding_at_once_lose_no_audit_row(review_store, review_db, writers):
    """Stores in threads, each deciding every person of the job: one audit row per decision, every state a real one."""
    import threading

    store, job_id, ids = review_store
    for cid in ids:  # a contact needs the person's GDPR notice sent or an exemption (issue 16)
        exempt(store, cid, reason="14(5)(a): already informed", actor="test")
    statuses = ("shortlisted", "maybe", "rejected", "contacted")
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def decide(n: int) -> None:
        s = Store.open(review_db)
        try:
            barrier.wait(30)
            for cid in ids:
                s.set_decision(job_id, cid, statuses[n % 4], actor=f"recruiter{n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    final = store.get_decisions(job_id)
    for cid in ids:
        history = decision_history(store, job_id, cid)
        assert len(history) == writers  # no decision lost
        # Serialised: each row's `before` is the state the previous row left, and the last row is what is stored.
        befores = [(e["before"]["state"] or {}).get("status") for e in history]
        afters = [e["after"]["state"]["status"] for e in history]
        assert befores == [None, *afters[:-1]]
        assert final[cid]["status"] == afters[-1]
