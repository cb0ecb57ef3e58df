"""Tests LL144 impact ratios against a hand-computed example, the self-report import, and erasure."""

from __future__ import annotations

import csv
import io
import json

import pytest
from privacy_helpers import add_person, run_main

from sourcing import notices
from sourcing.fairness import compute, import_csv, report
from sourcing.models import RankedCandidate
from sourcing.storage import fairness as fairness_rows

SCORES = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]  # median 0.45: p0-p4 score above it
SELF = [("Female", "A"), ("Male", "A"), ("Male", "B"), ("Female", "B"), ("Male", "A"),
        ("Female", "A"), ("Female", "B"), ("Male", "B"), ("Male", ""), None]  # p9 reported nothing


@pytest.fixture
def world(store, tmp_path):
    job = store.add_job("Backend engineer", "Python")
    ids = [add_person(store, f"f{i}", email=f"f{i}@example.org") for i in range(10)]
    store.save_ranking(job, "m", [RankedCandidate(c, s) for c, s in zip(ids, SCORES)])
    path = tmp_path / "self.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["email", "sex", "race_ethnicity"])
        for i, rep in enumerate(SELF):
            if rep is not None:
                w.writerow([f"F{i}@Example.org", rep[0], rep[1] or "prefer not to say"])
        w.writerow(["nobody@example.org", "Female", "A"])
    for i, status in ((0, "shortlisted"), (1, "shortlisted"), (2, "shortlisted"), (3, "rejected"), (5, "maybe")):
        store.set_decision(job, ids[i], status, actor="amy")
    notices.exempt(store, ids[4], reason="14(5)(a): applied at the fair", actor="amy")
    store.set_decision(job, ids[4], "contacted", actor="amy")
    return job, ids, path


def _by(rep, category):
    return {g.group: g for g in rep.groups if g.category == category}


def test_hand_computed_example(store, world):
    job, ids, path = world
    imported = import_csv(store, path)
    assert (imported.new, imported.updated) == (9, 0)
    assert imported.errors == [f"{path}:11: no candidate with that e-mail"]  # the address is not repeated
    rep = report(store, job)
    assert rep.observations == 10 and rep.medians == {job: pytest.approx(0.45)}
    sex = _by(rep, "sex")
    # Female p0 p3 p5 p6: above median p0 p3 (2/4), selected p0 (1/4).
    # Male p1 p2 p4 p7 p8: above p1 p2 p4 (3/5), selected p1 p2 p4 (3/5; contacted counts).
    assert (sex["Female"].n, sex["Female"].share, sex["Female"].scoring_rate, sex["Female"].selection_rate) == (4, 0.4, 0.5, 0.25)
    assert (sex["Male"].scoring_rate, sex["Male"].selection_rate) == (0.6, 0.6)
    assert sex["Female"].scoring_impact == pytest.approx(0.5 / 0.6) and sex["Female"].selection_impact == pytest.approx(0.25 / 0.6)
    assert sex["Male"].scoring_impact == 1.0 and sex["unknown"].n == 1 and sex["unknown"].scoring_impact is None
    race = _by(rep, "race_ethnicity")
    # A p0 p1 p4 p5: above 3/4, selected 3/4. B p2 p3 p6 p7: above 2/4, selected 1/4. unknown p8 p9.
    assert (race["A"].scoring_rate, race["A"].selection_rate, race["B"].scoring_rate, race["B"].selection_rate) == (0.75, 0.75, 0.5, 0.25)
    assert race["B"].scoring_impact == pytest.approx(2 / 3) and race["B"].selection_impact == pytest.approx(1 / 3)
    assert race["unknown"].n == 2
    inter = _by(rep, "intersection")
    assert {k: (g.n, g.scoring_rate, g.selection_rate) for k, g in inter.items()} == {
        "Female · A": (2, 0.5, 0.5), "Male · A": (2, 1.0, 1.0), "Male · B": (2, 0.5, 0.5),
        "Female · B": (2, 0.5, 0.0), "unknown": (2, 0.0, 0.0)}
    assert inter["Female · B"].selection_impact == 0.0
    # Groups of a category are listed by size, then name: so are their warnings.
    assert rep.warnings == [
        "sex Female: selection impact ratio 0.42 is below 0.8 (four-fifths rule)",
        "race_ethnicity B: scoring impact ratio 0.67 is below 0.8 (four-fifths rule)",
        "race_ethnicity B: selection impact ratio 0.33 is below 0.8 (four-fifths rule)",
        "intersection Female · A: scoring impact ratio 0.50 is below 0.8 (four-fifths rule)",
        "intersection Female · A: selection impact ratio 0.50 is below 0.8 (four-fifths rule)",
        "intersection Female · B: scoring impact ratio 0.50 is below 0.8 (four-fifths rule)",
        "intersection Female · B: selection impact ratio 0.00 is below 0.8 (four-fifths rule)",
        "intersection Male · B: scoring impact ratio 0.50 is below 0.8 (four-fifths rule)",
        "intersection Male · B: selection impact ratio 0.50 is below 0.8 (four-fifths rule)",
    ]


def test_groups_under_two_percent_are_flagged_and_not_the_reference():
    # 60 people in one job, score = id, so the median is 29.5 and ids 30..59 score above it.
    # X = {59} (1 of 60: 1.7 %) is above; Y = even 0..56 (29 people, 14 above: 30..56);
    # Z = odd 1..57 and 58 (30 people, 15 above: 31..57 odd and 58).
    obs = [{"job_id": 1, "candidate_id": i, "score": float(i), "status": None} for i in range(60)]
    reports = {59: ("X", None)}
    reports.update({i: ("Y", None) for i in range(0, 58, 2)})
    reports.update({i: ("Z", None) for i in [*range(1, 59, 2), 58]})
    rep = compute(obs, reports)
    sex = {g.group: g for g in rep.groups if g.category == "sex"}
    assert sex["X"].excludable and sex["X"].scoring_rate == 1.0 and sex["X"].share == pytest.approx(1 / 60)
    assert not sex["Y"].excludable and (sex["Y"].n, sex["Z"].n) == (29, 30)
    assert (sex["Y"].scoring_rate, sex["Z"].scoring_rate) == (14 / 29, 0.5)
    assert sex["Z"].scoring_impact == 1.0  # the reference is Z, not the 1-person group X
    assert sex["Y"].scoring_impact == pytest.approx((14 / 29) / 0.5)
    assert sex["X"].scoring_impact == pytest.approx(2.0)
    assert "unknown" not in sex and rep.warnings == []  # no selection yet: no selection ratio either
    assert sex["Y"].selection_impact is None


def test_cli_table_json_csv_and_forget_removes_the_self_report(store, world, config_path, capsys):
    job, ids, path = world
    base = ["--config", str(config_path)]
    code, _, err = run_main(capsys, [*base, "fairness", "import", str(path)])
    assert code == 3 and "9 new, 0 updated, 1 not matched" in err and "nobody@" not in err
    code, out, err = run_main(capsys, [*base, "fairness", "report", str(job)])
    assert code == 0 and "median score 0.450" in out and "█████" in out and "⚠" in out
    assert "warning: sex Female: selection impact ratio 0.42" in err
    data = json.loads(run_main(capsys, [*base, "fairness", "report", "--all", "--json"])[1])
    assert data["observations"] == 10 and len(data["warnings"]) == 9
    rows = list(csv.DictReader(io.StringIO(run_main(capsys, [*base, "fairness", "report", str(job), "--csv"])[1])))
    assert rows[0]["category"] == "sex" and {r["group"] for r in rows if r["category"] == "sex"} == {"Male", "Female", "unknown"}
    assert run_main(capsys, [*base, "fairness", "report"])[0] == 2
    assert ids[0] in fairness_rows.reports(store)
    counts = store.forget_candidate(ids[0], actor="amy")
    assert counts["fairness_reports"] == 1 and ids[0] not in fairness_rows.reports(store)
