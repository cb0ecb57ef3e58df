"""Provides the builder of `ranking/data/fr_en.json.gz`, the French -> English word bridge.

French job descriptions meet English profiles all the time, and the multilingual encoder
alone matches them loosely. The bridge glosses French text word by word into English
(`ranking.bridge`), so the English side can be compared with the English model's view
and with English spellings. It holds:

- `lexicon`: French word -> English words with translation probabilities, learned with
  IBM Model 1 (EM, French NULL word) from the 13,485 ESCO v1.0 **skills** whose French
  labels (preferred and alternative) pair with their English (en-us) preferred label —
  "gérer le personnel musical" / "manage musical staff". Occupation labels are left
  out on purpose: they are what the job-title benchmarks are made of. Skill labels are
  verb phrases, so a short hand-written list of job-title head nouns (TITLE_WORDS:
  "ouvrier" -> "worker", "ingénieur" -> "engineer", ...) is added on top.
- `english`: English words seen at least 3 times in ESCO skill labels and descriptions
  and O*NET 29.2 occupation titles, alternate and reported titles, descriptions and
  technology examples; used to accept a cognate guess ("administrateur" -> "administrator")
  only when the English word exists.

Both sources are CC BY 4.0 (credited in ranking/data/NOTICE).
Run: `python -m ranking.tools.build_bridge [TAXONOMY_DIR]` (default ../shared/data/taxonomy).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from ranking.tools.packaged import taxonomy_dir, write_data_file
from ranking.text import STOPWORDS, words

# Job-title head nouns, which skill labels (verb phrases) never contain: written by hand from
# common French HR vocabulary, folded like `words()`. They take precedence over learned entries.
TITLE_WORDS = {
    "ouvrier": "worker", "employe": "clerk employee", "ingenieur": "engineer", "technicien": "technician",
    "responsable": "manager head", "chef": "head manager chef", "charge": "officer", "directeur": "director",
    "gestionnaire": "manager administrator", "conseiller": "advisor consultant", "assistant": "assistant",
    "aide": "assistant helper", "commercial": "sales", "vendeur": "salesperson seller", "caissier": "cashier",
    "cuisinier": "cook", "serveur": "waiter server", "livreur": "delivery driver", "chauffeur": "driver",
    "conducteur": "driver operator", "mecanicien": "mechanic", "plombier": "plumber", "macon": "mason bricklayer",
    "menuisier": "joiner carpenter", "charpentier": "carpenter", "peintre": "painter", "infirmier": "nurse",
    "medecin": "doctor physician", "pharmacien": "pharmacist", "enseignant": "teacher", "professeur": "teacher professor",
    "formateur": "trainer", "educateur": "educator", "animateur": "facilitator leader", "comptable": "accountant",
    "juriste": "lawyer legal", "avocat": "lawyer", "developpeur": "developer", "manutentionnaire": "handler",
    "magasinier": "warehouse storekeeper", "preparateur": "preparer", "soudeur": "welder", "jardinier": "gardener",
    "agriculteur": "farmer", "eleveur": "breeder farmer", "boulanger": "baker", "boucher": "butcher",
    "patissier": "pastry", "coiffeur": "hairdresser", "estheticien": "beautician", "veterinaire": "veterinarian",
    "chercheur": "researcher", "redacteur": "writer editor", "traducteur": "translator", "acheteur": "buyer",
    "courtier": "broker", "gardien": "guard caretaker", "surveillant": "supervisor", "controleur": "controller inspector",
    "stagiaire": "intern", "apprenti": "apprentice", "agent": "agent officer", "metier": "trade",
    "entretien": "maintenance", "nettoyage": "cleaning", "batiment": "building construction", "travaux": "works",
}
EM_ROUNDS = 8
KEEP_P = 0.05  # translations below this probability are noise
KEEP_PER_WORD = 4
MIN_ENGLISH_COUNT = 3
NULL = ""


def _tokens(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit()]


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def skill_pairs(taxonomy: Path) -> list[tuple[list[str], list[str]]]:
    """(French tokens, English tokens) for every French label of every ESCO skill."""
    esco = taxonomy / "esco-v1.0"
    english = {r["conceptUri"]: r["preferredLabel"] for r in _rows(esco / "skills_en-us.csv")}
    pairs = []
    for row in _rows(esco / "skills_fr.csv"):
        en = _tokens(english.get(row["conceptUri"], ""))
        if not en:
            continue
        for label in [row["preferredLabel"], *row["altLabels"].split("\n")]:
            fr = _tokens(label)
            if fr:
                pairs.append((fr, en))
    return pairs


def ibm_model1(pairs: list[tuple[list[str], list[str]]], rounds: int = EM_ROUNDS) -> dict[str, list[tuple[str, float]]]:
    """t(english | french) by EM over the pairs; returns each French word's likely English words."""
    t: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)
    for _ in range(rounds):
        count: dict[tuple[str, str], float] = defaultdict(float)
        total: dict[str, float] = defaultdict(float)
        for fr, en in pairs:
            sources = fr + [NULL]  # the NULL word absorbs English words with no French counterpart
            for e in en:
                z = sum(t[(e, f)] for f in sources)
                for f in sources:
                    c = t[(e, f)] / z
                    count[(e, f)] += c
                    total[f] += c
        t = defaultdict(float, {k: v / total[k[1]] for k, v in count.items()})
    table: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (e, f), p in t.items():
        if f != NULL and p >= KEEP_P:
            table[f].append((e, round(p, 3)))
    return {f: sorted(v, key=lambda x: (-x[1], x[0]))[:KEEP_PER_WORD] for f, v in sorted(table.items())}


def english_words(taxonomy: Path) -> list[str]:
    """English words frequent enough in ESCO skills and O*NET to validate a cognate guess."""
    counts: Counter[str] = Counter()
    for row in _rows(taxonomy / "esco-v1.0" / "skills_en-us.csv"):
        counts.update(words(row["preferredLabel"] + " " + row["description"]))
    onet = taxonomy / "onet-29.2"
    for name, cols in (("Occupation Data.txt", ("Title", "Description")), ("Alternate Titles.txt", ("Alternate Title",)),
                       ("Sample of Reported Titles.txt", ("Reported Job Title",)), ("Technology Skills.txt", ("Example",))):
        for row in _rows(onet / name, delimiter="\t"):
            counts.update(w for col in cols for w in words(row[col]))
    return sorted(w for w, n in counts.items() if n >= MIN_ENGLISH_COUNT and w.isalpha() and len(w) >= 3)


def build(taxonomy: Path) -> dict:
    return {
        "version": 1,
        "credit": "ESCO (c) European Union, CC BY 4.0; O*NET 29.2 (c) U.S. Department of Labor, ETA, CC BY 4.0",
        "lexicon": {**ibm_model1(skill_pairs(taxonomy)), **{f: [(e, 1.0) for e in en.split()] for f, en in TITLE_WORDS.items()}},
        "english": english_words(taxonomy),
    }


def main(argv: list[str] | None = None) -> None:
    data = build(taxonomy_dir(argv))
    out = write_data_file(data, "fr_en.json.gz")
    print(f"{out}: {len(data['lexicon'])} French words, {len(data['english'])} English words, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
