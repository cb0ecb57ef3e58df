"""Provides the public labelled sets the fusion is trained and checked on, with their provenance.

Every set is an `EvalData` (queries, corpus, TREC judgements). Sources:

- `../shared/data/bench/melo/*`: MELO (Avature, MIT) — national occupation titles linked to
  ESCO occupations (usa_q_en_c_en, fra_q_fr_c_fr, fra_q_fr_c_en).
- Other MELO countries (`--melo DIR`: the `data/processed/melo` folder of a checkout of the
  public repository Avature/melo-benchmark, MIT): e.g. cze_q_cs_c_cs (Czech), rou_q_ro_c_ro
  (Romanian), dnk_q_da_c_da (Danish), swe_q_sv_c_sv (Swedish) — languages neither packaged
  encoder covers — and deu_q_de_c_de, esp_q_es_c_es (covered by the multilingual encoder).
- `resumes`: the 166 résumés of `resumes_by_category.csv` ("UpdatedResumeDataSet", widely
  shared) against a job text per category made of an O*NET 29.2 occupation's title and
  description (O*NET, U.S. DoL/ETA, CC BY 4.0).
- `resumes_fr`: the same résumés against 25 short French job ads written by hand for this
  check (benchmarks/data/resumes_fr_queries.tsv).
- `resumes_ka`: the `resumes` set written letter for letter in Georgian script (queries and
  résumés alike). Constructed, not found: no labelled job -> résumé data in a language
  outside both encoders' lists is available offline. It keeps every word's spelling (so the
  lexical signal still works) while neither encoder can read it — exactly the case where a
  fusion must not let the dense signal drag the ranking down. The real-language checks of
  that case are the Czech, Romanian, Danish and Swedish MELO sets above (job titles).

No TalentCLEF data (any split) is used anywhere.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ranking.evaluate import EvalData, load_eval

REPO = Path(__file__).resolve().parents[2]
SHARED_BENCH = REPO.parent / "shared" / "data" / "bench"
SHARED_MELO = ("usa_q_en_c_en", "fra_q_fr_c_fr", "fra_q_fr_c_en")
CATEGORY_ONET = {
    "Java Developer": "15-1252.00", "Python Developer": "15-1252.00", "DotNet Developer": "15-1252.00",
    "Database": "15-1242.00", "Data Science": "15-2051.00", "HR": "13-1071.00", "Advocate": "23-1011.00",
    "Automation Testing": "15-1253.00", "Testing": "15-1253.00", "DevOps Engineer": "15-1299.08",
    "Hadoop": "15-1243.01", "ETL Developer": "15-1243.01", "Arts": "27-1013.00",
    "Health and fitness": "39-9031.00", "Civil Engineer": "17-2051.00", "Business Analyst": "13-1111.00",
    "SAP Developer": "15-1211.00", "Mechanical Engineer": "17-2141.00", "Sales": "41-4012.00",
    "Electrical Engineering": "17-2071.00", "Network Security Engineer": "15-1212.00",
    "Blockchain": "15-1299.07", "Web Designing": "15-1255.00", "Operations Manager": "11-1021.00",
    "PMO": "15-1299.09",
}
# a..z -> 26 distinct letters of the Georgian Mkhedruli alphabet (U+10D0 onwards).
_GEORGIAN = {chr(ord("a") + i): chr(0x10D0 + i) for i in range(26)}


def resumes_set(bench: Path = SHARED_BENCH) -> EvalData:
    """The job -> résumé set built from resumes_by_category.csv and O*NET descriptions."""
    onet = bench.parents[0] / "taxonomy" / "onet-29.2" / "Occupation Data.txt"
    with open(onet, encoding="utf-8") as fh:
        occ = {r["O*NET-SOC Code"]: r for r in csv.DictReader(fh, delimiter="\t")}
    rows = _resumes(bench)
    doc_ids = [f"r{i:04d}" for i in range(len(rows))]
    cats = sorted({r["Category"] for r in rows})
    queries = []
    for c in cats:
        o = occ[CATEGORY_ONET[c]]
        queries.append(f"{c}. {o['Title']}. {o['Description']}")
    qrels = {f"q{i:02d}": {d: 1 for d, r in zip(doc_ids, rows) if r["Category"] == c} for i, c in enumerate(cats)}
    return EvalData([f"q{i:02d}" for i in range(len(cats))], queries, doc_ids, [r["Resume"] for r in rows], qrels)


def resumes_fr_set(bench: Path = SHARED_BENCH) -> EvalData:
    """French job ads written by hand (benchmarks/data/resumes_fr_queries.tsv) vs the English résumés."""
    rows = _resumes(bench)
    doc_ids = [f"r{i:04d}" for i in range(len(rows))]
    with open(REPO / "benchmarks" / "data" / "resumes_fr_queries.tsv", encoding="utf-8") as fh:
        ads = dict(csv.reader(fh, delimiter="\t"))
    ads.pop("category", None)
    cats = sorted(ads)
    qrels = {f"q{i:02d}": {d: 1 for d, r in zip(doc_ids, rows) if r["Category"] == c} for i, c in enumerate(cats)}
    return EvalData([f"q{i:02d}" for i in range(len(cats))], [ads[c] for c in cats], doc_ids, [r["Resume"] for r in rows], qrels)


def to_georgian_script(text: str) -> str:
    """Text written letter for letter in Georgian script (accents folded first; other characters kept)."""
    from ranking.text import fold

    return "".join(_GEORGIAN.get(c, c) for c in fold(text))


def resumes_ka_set(bench: Path = SHARED_BENCH) -> EvalData:
    """`resumes` in Georgian script: a language no packaged encoder can read (see the module docstring)."""
    d = resumes_set(bench)
    return EvalData(d.query_ids, [to_georgian_script(q) for q in d.queries], d.doc_ids,
                    [to_georgian_script(x) for x in d.docs], d.qrels)


def _resumes(bench: Path) -> list[dict[str, str]]:
    with open(bench / "resumes" / "resumes_by_category.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_set(name: str, *, melo_dirs: list[Path] | None = None, bench: Path = SHARED_BENCH) -> EvalData:
    """A set by name: a MELO set (shared, or found in one of `melo_dirs`), resumes, resumes_fr, resumes_ka.

    Raises:
        FileNotFoundError: a MELO set that is in none of the folders.
    """
    if name == "resumes":
        return resumes_set(bench)
    if name == "resumes_fr":
        return resumes_fr_set(bench)
    if name == "resumes_ka":
        return resumes_ka_set(bench)
    for root in [bench / "melo", *(melo_dirs or [])]:
        d = Path(root) / name
        if (d / "queries.tsv").is_file():
            return load_eval(d / "queries.tsv", d / "corpus_elements.tsv", d / "annotations.tsv")
    raise FileNotFoundError(f"set {name}: not in {bench / 'melo'} nor in {', '.join(map(str, melo_dirs or [])) or 'any --melo folder'}")


def subsample(data: EvalData, max_queries: int | None) -> EvalData:
    """Every k-th query (file order) so at most max_queries remain; the corpus is untouched."""
    if not max_queries or len(data.query_ids) <= max_queries:
        return data
    step = len(data.query_ids) / max_queries
    keep = sorted({int(i * step) for i in range(max_queries)})
    return EvalData([data.query_ids[i] for i in keep], [data.queries[i] for i in keep], data.doc_ids, data.docs, data.qrels)


def reduce_corpus(data: EvalData, max_docs: int | None) -> EvalData:
    """Keep every document judged for the kept queries, plus every k-th other one, up to `max_docs` in all.

    For training runs on a shared machine: embedding a 34k-title corpus takes most of an hour
    there. The distractors are taken evenly through the file (deterministic); the metrics of a
    reduced set are higher than on the full corpus, and are reported as such.
    """
    if not max_docs or len(data.doc_ids) <= max_docs:
        return data
    judged = {d for q in data.query_ids for d in data.qrels.get(q, {})}
    keep = [i for i, d in enumerate(data.doc_ids) if d in judged]
    others = [i for i, d in enumerate(data.doc_ids) if d not in judged]
    room = max(max_docs - len(keep), 0)
    if room and others:
        step = len(others) / room
        keep += [others[int(k * step)] for k in range(min(room, len(others)))]
    keep.sort()
    return EvalData(data.query_ids, data.queries, [data.doc_ids[i] for i in keep], [data.docs[i] for i in keep], data.qrels)
