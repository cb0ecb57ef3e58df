"""Metrics against hand-computed values; loaders; `sourcing eval` on a tiny labelled set."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from ranking.evaluate import average_precision, load_qrels, load_texts, ndcg, parse_metrics, reciprocal_rank
from sourcing.cli import cli
from sourcing.errors import UsageError

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "ranking" / "tiny"

# BM25 ranks q1 "python developer": d1, d2, then d3, d4 (no shared word, corpus order);
# q2 "pastry chef": d3, d4, d1, d2. Judgements: q1 -> d2, d4 (rel 1); q2 -> d3 (rel 2), d1 (rel 1).
AP_Q1 = (1 / 2 + 2 / 4) / 2
AP_Q2 = (1 / 1 + 2 / 3) / 2
NDCG_Q1 = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
NDCG_Q2 = (2 / 1 + 1 / math.log2(4)) / (2 + 1 / math.log2(3))


def test_metrics_by_hand():
    rels = {"d2": 1, "d4": 1}
    ranked = ["d1", "d2", "d3", "d4"]
    assert average_precision(ranked, rels) == pytest.approx(AP_Q1)
    assert ndcg(ranked, rels, 10) == pytest.approx(NDCG_Q1)
    assert ndcg(ranked, rels, 1) == 0.0
    assert reciprocal_rank(ranked, rels) == 0.5
    assert average_precision(["x"], {"y": 1}) == 0.0  # relevant never retrieved


def test_loaders_skip_header_and_read_directories():
    q = load_texts(TINY / "queries.tsv")
    assert q == {"q1": "python developer", "q2": "pastry chef"}
    d = load_texts(TINY / "corpus_dir")
    assert d["d3"].strip() == "pastry chef croissants" and len(d) == 4
    assert load_qrels(TINY / "qrels.txt")["q2"] == {"d3": 2, "d1": 1}


def test_bad_inputs_name_file_and_line(tmp_path):
    bad = tmp_path / "q.tsv"
    bad.write_text("q1\tok\nno tab here\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"q.tsv, line 2: expected 'id<TAB>text'"):
        load_texts(bad)
    qrels = tmp_path / "qrels"
    qrels.write_text("q1 0 d1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 1: expected 'qid 0 docid rel', got 3 fields"):
        load_qrels(qrels)
    with pytest.raises(UsageError, match="unknown metric 'p@5'"):
        parse_metrics("map,p@5")


def _eval(tmp_path, *extra, corpus="corpus.tsv"):
    args = ["--db", str(tmp_path / "s.db"), "eval", "--queries", str(TINY / "queries.tsv"),
            "--corpus", str(TINY / corpus), "--qrels", str(TINY / "qrels.txt"), *extra]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_sourcing_eval_equals_hand_computed_values(tmp_path):
    res = _eval(tmp_path, "--method", "bm25", "--metrics", "map,ndcg@10,mrr")
    assert res.exit_code == 0, res.output
    lines = [ln.split() for ln in res.stdout.strip().splitlines()]
    assert lines[0] == ["METRIC", "BM25"]
    assert lines[1] == ["map", f"{(AP_Q1 + AP_Q2) / 2:.4f}"]
    assert lines[2] == ["ndcg@10", f"{(NDCG_Q1 + NDCG_Q2) / 2:.4f}"]
    assert lines[3] == ["mrr", "0.7500"]
    rows = list(csv.DictReader(io.StringIO(_eval(tmp_path, "--method", "bm25", "--metrics", "map,mrr", "--csv").stdout)))
    assert rows == [{"method": "bm25", "metric": "map", "value": repr((AP_Q1 + AP_Q2) / 2)},
                    {"method": "bm25", "metric": "mrr", "value": "0.75"}]
    nl = [json.loads(ln) for ln in _eval(tmp_path, "--method", "bm25", "--metrics", "mrr", "--nl").stdout.splitlines()]
    assert nl == [{"method": "bm25", "metric": "mrr", "value": 0.75}]


def test_sourcing_eval_all_methods_side_by_side_json(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCING_RANKING__MODEL", "fake")
    res = _eval(tmp_path, "--lang", "en", "--json", corpus="corpus_dir")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["model"] == "fake-64"
    assert set(out["results"]) == {"tfidf", "bm25", "dense", "weighted", "hybrid"}
    assert out["results"]["bm25"]["map"] == pytest.approx((AP_Q1 + AP_Q2) / 2)


def test_sourcing_eval_cache_stores_each_vector_once(tmp_path, monkeypatch):
    from sourcing.storage import Store

    monkeypatch.setenv("SOURCING_RANKING__MODEL", "fake")
    first = _eval(tmp_path, "--lang", "en", "--method", "dense", "--cache", "--json")
    assert first.exit_code == 0, first.output
    s = Store.open(str(tmp_path / "s.db"))
    count = s.count_embeddings("fake-64")
    s.close()
    assert count == 6  # 2 queries + 4 documents
    again = _eval(tmp_path, "--lang", "en", "--method", "dense", "--cache", "--json")
    assert json.loads(again.output) == json.loads(first.output)
    s = Store.open(str(tmp_path / "s.db"))
    assert s.count_embeddings() == 6
    s.close()
