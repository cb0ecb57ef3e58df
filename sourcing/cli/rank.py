"""Provides `sourcing rank JOB` and `sourcing eval`.

The ranking layer (and with it numpy, scikit-learn and, for real models, torch) is
imported inside the command functions only, so `sourcing --help` stays fast.
"""

from __future__ import annotations

import json
from typing import Any

import click

from sourcing.cli.context import AppContext, pass_app
from sourcing.cli.output import emit, format_options

RANK_FIELDS = ("rank", "candidate_id", "score", "name", "headline", "matched_must", "missing_must")


def _progress_bar(label: str, quiet: bool):
    """A `progress(done, total)` callback drawing a rich bar of texts embedded (nothing when not wanted)."""
    from sourcing.cli.progress import Bars, progress_wanted

    bars = Bars(progress_wanted(quiet), unit="texts", eta=True)
    state = {"open": False}

    def update(done: int, total: int) -> None:
        if not bars.enabled:
            return
        if not state["open"]:
            bars.__enter__()
            state["open"] = True
        bars.update("embed", completed=done, total=total, description=label)
        if done >= total:
            bars.__exit__(None, None, None)
            state["open"] = False

    return update


@click.command("rank")
@click.argument("job_id", type=int)
@click.option("--top", type=int, default=None, help="How many candidates to show (default: [ranking] top).")
@click.option("--blind/--no-blind", default=None, help="Mask names, e-mails, gender words, ages… (default: [privacy] blind).")
@click.option("--retrieve", "retrieve", type=click.IntRange(min=1), default=None, metavar="N",
              help="Retrieve, re-rank and save the best N of the pool (default: [ranking] retrieve, 2000).")
@click.option("--location", default=None, help="Only candidates whose location contains this text (e.g. paris).")
@click.option("--remote/--not-remote", "remote", default=None, help="Only candidates who said they work remotely (or did not).")
@click.option("--lang", "lang", type=click.Choice(["en", "fr"]), default=None, help="Only candidates whose profile is in this language.")
@click.option("--undecided", is_flag=True, help="Leave out candidates with a decision on this job.")
@click.option("--feedback", is_flag=True, help="Use your shortlist/reject decisions on this job: the query moves toward whom you shortlisted.")
@format_options
@pass_app
def rank_cmd(app: AppContext, job_id: int, top: int | None, blind: bool | None, retrieve: int | None, location: str | None,
             remote: bool | None, lang: str | None, undecided: bool, feedback: bool, fmt: str) -> None:
    """Rank the pool for a job, store the best N and print the top.

    Two stages: the best N candidates (--retrieve) are retrieved from the indexes
    (vectors and words), then re-ranked with every signal; a pool of at most N is
    ranked whole. Fields: rank, candidate_id, score, name (pseudonym in blind mode),
    headline, matched_must, missing_must; --json and --nl add components and
    explanation. Only texts not embedded before are embedded. With `[ranking]
    enabled = false` (human oversight) the list is in a neutral order (random per
    job, stable) with the must-have checklist only: no rank, no score, no components.

    \b
    Examples:
      sourcing rank 3
      sourcing rank 3 --top 10 --blind
      sourcing rank 3 --retrieve 10000
      sourcing rank 3 --location paris --undecided
      sourcing rank 3 --json > ranking.json
      sourcing rank 3 --feedback      # after a few shortlist/reject decisions
      sourcing rank 3 --csv --top 100 > ranking.csv
    """
    from ranking.retrieve import rank_two_stage

    from sourcing.oversight import ordered, ranking_enabled
    from sourcing.storage import rank_index

    config = app.config
    store = app.store
    blind = bool(config.get("privacy.blind")) if blind is None else blind
    top = top if top is not None else int(config.get("ranking.top"))
    if feedback and not config.get("ranking.feedback"):
        from sourcing.errors import UsageError

        raise UsageError("--feedback is turned off by [ranking] feedback = false")
    enabled = ranking_enabled(config)
    filters = {k: v for k, v in {"location": location, "remote": remote, "lang": lang, "undecided": undecided or None}.items()
               if v is not None}
    run = rank_two_stage(store, job_id, config=config, blind=blind, top=top if enabled else None, retrieve=retrieve,
                         filters=filters, progress=_progress_bar("Embedding", app.quiet), feedback=feedback)
    # Human oversight off: the job's neutral order, the must-have checklist, no score.
    results = run.results if enabled else ordered(job_id, run.results, enabled=False)[: top or None]
    if run.pool > run.saved:
        click.echo(f"best {run.saved:,} of {run.pool:,} — pass --retrieve N to widen", err=True)
    people = rank_index.candidate_rows(store, [r.candidate_id for r in results]) if results else {}
    rows = []
    for i, r in enumerate(results, start=1):
        person = people.get(r.candidate_id, {})
        exp = r.explanation
        name = exp.get("pseudonym") if blind else (person.get("name") or exp.get("pseudonym"))
        headline = (person.get("headline") or "") if not blind else _blind_headline(person, exp)
        matched = [q["text"] for q in exp.get("requirements", []) if q["kind"] == "must" and q["matched"]]
        rows.append({
            "rank": i if enabled else None, "candidate_id": r.candidate_id,
            "score": round(r.score, 4) if enabled else None, "name": name,
            "headline": headline, "matched_must": matched, "missing_must": exp.get("missing_must", []),
            "components": exp.get("components", {}), "explanation": exp,
        })
    if not enabled:
        click.echo("Automated ordering is off ([ranking] enabled = false): neutral order, must-haves only.", err=True)
    scored = fmt in ("json", "nl") and enabled
    fields = RANK_FIELDS + ("components", "explanation") if scored else RANK_FIELDS
    emit(rows, fields, fmt, empty_hint="No candidates to rank yet. Import some with `sourcing candidates import`.")


def _blind_headline(person: dict[str, Any], exp: dict[str, Any]) -> str:
    from ranking.blind import masker_for

    return masker_for(person).mask(person.get("headline") or "")


@click.command("eval")
@click.option("--queries", "queries", required=True, type=click.Path(exists=True), help="Queries: id<TAB>text TSV, or a directory of text files.")
@click.option("--corpus", "corpus", required=True, type=click.Path(exists=True), help="Documents: id<TAB>text TSV, or a directory of text files.")
@click.option("--qrels", "qrels", required=True, type=click.Path(exists=True, dir_okay=False), help="Judgements, TREC format: qid 0 docid rel.")
@click.option("--method", "methods", multiple=True, type=click.Choice(["hybrid", "weighted", "dense", "bm25", "tfidf"]),
              help="Method(s) to evaluate; repeat the option. hybrid = the learned fusion, weighted = the old hand weights. Default: all five.")
@click.option("--metrics", default="map,ndcg@10,mrr", show_default=True, help="Comma-separated: map, mrr, ndcg@K.")
@click.option("--lang", type=click.Choice(["auto", "en", "multi", "cross"]), default="auto", show_default=True,
              help="Encoder choice: English model, multilingual model, multilingual with the French->English bridge (French queries, English documents), or by the texts' language.")
@click.option("--cache", "use_cache", is_flag=True, help="Keep the vectors in the database's embedding cache, so a re-run embeds nothing.")
@click.option("--feedback", "reveal", type=click.IntRange(0, 100), default=0, show_default=True,
              help="Also measure feedback: reveal the labels of the hybrid's top N, re-rank, score the rest (residual ranking).")
@format_options(json_help="Print {\"model\": …, \"results\": {method: {metric: value}}} as one JSON object.")
@pass_app
def eval_cmd(app: AppContext, queries: str, corpus: str, qrels: str, methods: tuple[str, ...], metrics: str, lang: str,
             use_cache: bool, reveal: int, fmt: str) -> None:
    """Measure ranking quality on your own labelled data.

    Every method ranks the whole corpus for every query; metrics are averaged over
    the queries that have at least one relevant document. Prints one row per
    metric and one column per method; --json prints {"model", "results": {method:
    {metric: value}}}; --csv and --nl one row per method and metric (method, metric, value).

    \b
    Examples:
      sourcing eval --queries q.tsv --corpus cvs/ --qrels qrels.txt --metrics map,ndcg@10
      sourcing eval --queries q.tsv --corpus c.tsv --qrels qrels.txt --method hybrid --method tfidf --cache
      sourcing eval --queries q.tsv --corpus c.tsv --qrels qrels.txt --feedback 5
    """
    from ranking.evaluate import auto_lang, evaluate, load_eval, method_scores, parse_metrics
    from ranking.hybrid import resolve_weights
    from ranking.service import load_encoder

    metric_list = parse_metrics(metrics)
    data = load_eval(queries, corpus, qrels)
    chosen = list(methods) or ["tfidf", "bm25", "dense", "weighted", "hybrid"]
    encoder = None
    if {"dense", "hybrid", "weighted"} & set(chosen) or reveal:
        if lang == "auto":
            lang = auto_lang(data)
        encoder = load_encoder(app.config, lang)
    weights = resolve_weights(app.config, lang="en" if lang == "auto" else lang)
    from ranking.fusion import load_model

    choice = str(app.config.get("ranking.fusion") or "learned")
    fusion = load_model(None if choice in ("learned", "weights") else choice)
    embed = None
    if use_cache and encoder is not None:
        from ranking.cache import EmbeddingCache

        embed = EmbeddingCache(app.store, encoder).embed
    shared: dict[str, Any] = {}
    results = {
        m: evaluate(data, method_scores(data, m, encoder=encoder, weights=weights, embed=embed, cache=shared, bridge=lang == "cross",
                                        fusion=fusion), metric_list)
        for m in chosen
    }
    if reveal:
        from ranking.residual import residual_metrics

        res = residual_metrics(data, encoder, metrics=metric_list, reveal=reveal, embed=embed, cache=shared, bridge=lang == "cross", fusion=fusion)
        results[f"residual@{reveal}"] = res["no feedback"]
        results[f"residual@{reveal}+feedback"] = res["feedback"]
    if fmt == "json":
        click.echo(json.dumps({"model": getattr(encoder, "name", None), "results": results}, indent=2))
        return
    if fmt in ("csv", "nl"):
        emit([{"method": meth, "metric": m, "value": results[meth][m]} for meth in results for m in metric_list],
             EVAL_FIELDS, fmt)
        return
    cols = list(results)
    emit([{"metric": m, **{meth: f"{results[meth][m]:.4f}" for meth in cols}} for m in metric_list], ["metric", *cols], fmt)
    if encoder is not None:
        click.echo(f"dense/hybrid model: {encoder.name}", err=True)


EVAL_FIELDS = ("method", "metric", "value")


def register(cli: click.Group) -> None:
    """Add `rank` and `eval` to the root command."""
    cli.add_command(rank_cmd)
    cli.add_command(eval_cmd)
