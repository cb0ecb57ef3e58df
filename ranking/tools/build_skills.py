"""Provides the builder of `ranking/data/skills.json.gz`, the packaged skills taxonomy.

Sources (both CC BY 4.0, credited in ranking/data/NOTICE):
- ESCO v1.0 skills, English (en-us) and French: preferred and alternative labels. Every
  French label maps to the concept's English name, so "programmation Python" and
  "Python" are one skill.
- O*NET 29.2 Technology Skills: tools and technologies that are "hot" or named for at
  least three occupations, with vendor prefixes and trailing acronyms turned into
  aliases ("Structured query language SQL" -> "SQL", "Microsoft Excel" -> "Excel").
- A short hand-written list of common synonyms ("Postgres" = "PostgreSQL", "k8s").

Single words that are also ordinary words ("Go", "Excel", "Swift") are kept as
case-sensitive forms, so "go" and "excel at" do not count as skills.

Run: `python -m ranking.tools.build_skills [TAXONOMY_DIR]` (default ../shared/data/taxonomy).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from ranking.tools.packaged import taxonomy_dir, write_data_file
from ranking.skills import COMMON_WORDS, COUNTRY_CODES, GENERIC_SINGLE, SYNONYMS, surface_key

VENDORS = ("Microsoft ", "Oracle ", "Google ", "Apache ", "Atlassian ", "Amazon ", "IBM ", "Adobe ",
           "Autodesk ", "The MathWorks ", "Red Hat ", "Apple ", "SAP ", "Dassault Systemes ", "Cisco ", "Eclipse ")
DROP_SINGLE = {"chef", "puppet", "salt", "analyze", "abbott", "facebook", "tiktok", "zoom", "slack", "access",
               "project", "teams", "word", "outlook", "dynamics", "sas", "canva"}
MAX_TOKENS = 6


def _clean(label: str) -> str:
    label = re.sub(r"\s*\([^)]*\)\s*", " ", label).strip()
    return re.sub(r"\s+", " ", label)


def onet_aliases(example: str) -> tuple[str, list[str]]:
    """Canonical name and aliases of an O*NET Technology Skills example."""
    name = re.sub(r" software$", "", example.strip())
    aliases = {name}
    m = re.match(r"^(.*\S)\s+([A-Z][A-Z0-9.+#/-]{1,})$", name)
    if m and len(m.group(1).split()) >= 2:
        # "Structured query language SQL": both the words and the acronym name it.
        aliases.update({m.group(1), m.group(2)})
        return m.group(2), sorted(aliases)
    for vendor in VENDORS:
        if name.startswith(vendor) and len(name) > len(vendor) + 1:
            short = name[len(vendor):]
            aliases.add(short)
            name = short
            break
    return name, sorted(aliases)


def build(taxonomy: Path) -> dict:
    names: list[str] = []
    index: dict[str, int] = {}

    def canon(name: str) -> int:
        key = surface_key(name)
        if key not in index:
            index[key] = len(names)
            names.append(name)
        return index[key]

    forms: dict[str, int] = {}
    exact: dict[str, int] = {}

    def add_form(form: str, idx: int, *, single_ok: bool, curated: bool = False, alt: bool = False) -> None:
        key = surface_key(form)
        toks = key.split()
        if not toks or len(toks) > MAX_TOKENS:
            return
        if len(toks) == 1:
            if key in DROP_SINGLE or (key in GENERIC_SINGLE and not curated):
                return
            # A country code ("ES", "MX", "FR") in "Madrid, ES" is not a skill: only the
            # hand-written synonyms may use one. Other initials ("HR", "BI") stay case-sensitive.
            if len(key) == 2 and key in COUNTRY_CODES and not curated:
                return
            if alt and single_ok and form.strip().isupper() and len(key) >= 3:
                # A one-word alternative label is kept only as a capitalised acronym ("SEO",
                # "ETL", "PAP"), matched with that casing: in lower case it is a word ("pap").
                exact.setdefault(form.strip(), idx)
                return
            if not single_ok or alt:
                return
            # An ordinary word spelled like a product ("Go", "Excel") only counts with that
            # casing; an all-lowercase label ("marketing", "anglais") is a plain skill word.
            if (key in COMMON_WORDS and form != form.lower()) or len(key) <= 2:
                exact.setdefault(form.strip(), idx)
                return
        forms.setdefault(key, idx)

    # Hand-written synonyms first: they decide the canonical spelling of common tech.
    for canonical, alts in SYNONYMS.items():
        idx = canon(canonical)
        for form in [canonical, *alts]:
            add_form(form, idx, single_ok=True, curated=True)

    rows = list(csv.DictReader(open(taxonomy / "onet-29.2" / "Technology Skills.txt", encoding="utf-8"), delimiter="\t"))
    counts = Counter(r["Example"] for r in rows)
    hot = {r["Example"] for r in rows if r.get("Hot Technology") == "Y"}
    for example in sorted(set(counts)):
        if example not in hot and counts[example] < 3:
            continue
        name, aliases = onet_aliases(example)
        key = surface_key(name)
        idx = index[key] if key in index else canon(name)
        for alias in [example, *aliases]:
            add_form(alias, idx, single_ok=True)

    by_uri: dict[str, int] = {}
    en_keys: dict[str, set[str]] = {}
    en = taxonomy / "esco-v1.0" / "skills_en-us.csv"
    for row in csv.DictReader(open(en, encoding="utf-8")):
        name = _clean(row["preferredLabel"])
        key = surface_key(name)
        idx = index[key] if key in index else canon(name)
        by_uri[row["conceptUri"]] = idx
        # One word names a skill only as the concept's own preferred label ("Python",
        # "marketing"): single-word alternative labels are where ESCO is ambiguous
        # ("administration" for office administration, "SaaS" for service-oriented modelling).
        single_ok = row["skillType"] == "knowledge"
        add_form(row["preferredLabel"], idx, single_ok=single_ok)
        en_keys.setdefault(row["conceptUri"], set()).update({surface_key(row["preferredLabel"]), surface_key(name)})
        add_form(name, idx, single_ok=False)
        for form in row["altLabels"].split("\n"):
            if form.strip():
                add_form(_clean(form), idx, single_ok=single_ok, alt=True)
                en_keys[row["conceptUri"]].add(surface_key(_clean(form)))
    fr = taxonomy / "esco-v1.0" / "skills_fr.csv"
    for row in csv.DictReader(open(fr, encoding="utf-8")):
        idx = by_uri.get(row["conceptUri"])
        if idx is None:
            continue
        # As in English, a single French word counts as the concept's preferred label
        # ("comptabilité") or when spelled like one of its English labels ("Python");
        # single-word alternative labels are ordinary words far more often ("avec", an
        # acronym for mobile device management).
        english = en_keys.get(row["conceptUri"], set())
        knowledge = row["skillType"] == "knowledge"
        add_form(_clean(row["preferredLabel"]), idx, single_ok=knowledge)
        for form in row["altLabels"].split("\n"):
            if form.strip():
                if surface_key(_clean(form)) in english:
                    add_form(_clean(form), idx, single_ok=knowledge)
                else:
                    add_form(_clean(form), idx, single_ok=knowledge, alt=True)

    return {
        "version": 1,
        "credit": "ESCO (c) European Union, CC BY 4.0; O*NET 29.2 (c) U.S. Department of Labor, ETA, CC BY 4.0",
        "names": names,
        "forms": forms,
        "exact": exact,
    }


def main(argv: list[str] | None = None) -> None:
    data = build(taxonomy_dir(argv))
    out = write_data_file(data, "skills.json.gz")
    print(f"{out}: {len(data['names'])} skills, {len(data['forms'])} forms, {len(data['exact'])} case-sensitive forms, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
