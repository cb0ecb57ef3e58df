"""Provides the skills extractor: taxonomy phrases found in a text, as canonical names.

The taxonomy (ESCO English + French labels, O*NET Technology Skills, a few
hand-written synonyms) is compiled by `ranking/tools/build_skills.py` into
`ranking/data/skills.json.gz` (CC BY 4.0, see ranking/data/NOTICE) and loaded
once, lazily. Matching is greedy longest-phrase over accent- and case-folded
tokens, so "Postgres", "postgresql" and "PostgreSQL" are one skill and
"programmation Python" maps to the English canonical name "Python". Forms that
are also ordinary words ("Go", "Excel", "Swift") only match with their own casing.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from ranking.text import fold

# Hand-written synonyms for common tech whose taxonomy labels miss the everyday spelling.
SYNONYMS: dict[str, list[str]] = {
    "PostgreSQL": ["Postgres", "PostgreSQL", "psql", "pgsql"],
    "JavaScript": ["JS", "Javascript", "ECMAScript", "ES6"],
    "TypeScript": ["TS", "Typescript"],
    "Kubernetes": ["k8s", "kube"],
    "Go": ["Golang", "Go lang", "Go"],
    "React": ["React.js", "ReactJS", "React JS"],
    "Vue.js": ["Vue", "VueJS", "Vue JS"],
    "Node.js": ["NodeJS", "Node JS", "Node"],
    "Django": ["Django", "Django REST framework", "DRF"],
    "Flask": ["Flask"],
    "FastAPI": ["FastAPI", "Fast API"],
    "scikit-learn": ["sklearn", "scikit learn", "scikit-learn"],
    "Amazon Web Services": ["AWS", "Amazon Web Services"],
    "Google Cloud Platform": ["GCP", "Google Cloud"],
    "Microsoft Azure": ["Azure"],
    "machine learning": ["ML", "apprentissage automatique", "machine learning"],
    "CI/CD": ["CI/CD", "CI CD", "continuous integration", "intégration continue"],
    "REST API": ["REST", "RESTful", "REST API", "API REST", "RESTful API"],
    "Docker": ["Docker", "conteneurs Docker"],
    "Python": ["Python", "Python3", "Python 3"],
    "SQL": ["SQL"],
    "Linux": ["Linux", "GNU/Linux"],
    "pastry": ["pastry", "pâtisserie", "patisserie", "viennoiserie"],
    # Everyday tools the taxonomies miss (requirements such as "Automated testing with pytest").
    "pytest": ["pytest", "py.test"],
    "Celery": ["Celery"],
    "RabbitMQ": ["RabbitMQ", "Rabbit MQ"],
    "dbt": ["dbt", "data build tool"],
    "Snowflake": ["Snowflake"],
    "Airflow": ["Airflow", "Apache Airflow"],
    "English": ["English", "anglais"],
    "French": ["French", "français", "francais"],
}

# Two-letter country codes seen in location text ("Madrid, ES"): never read as a skill's initials.
COUNTRY_CODES = frozenset(
    """fr es mx gp mq re gf yt ax bw sl de it nl be ch uk gb us ca pt ie at pl se dk no fi lu cz gr ro hu
    ma tn sn ci br ar in cn jp au nz""".split()
)

# Single words that name a whole field or sector, not a skill a requirement or profile
# lists: on their own ("an energy start-up", "logistics company") they are noise.
GENERIC_SINGLE = frozenset(
    """energy logistics administration history politics migration securities coining dies
    paris pari energie logistique""".split()
)

# Ordinary English/French words that are also product names: matched case-sensitively.
COMMON_WORDS = frozenset(
    """go swift rust excel access word project office teams spring express rest ruby dart make
    ant gradle? hive pig flask bootstrap react vue node spark storm kafka? chef puppet salt jest
    mocha electron ember meteor backbone knockout gatsby next nuxt unity maven sketch figma? zoom
    slack box drive keras? pandas numpy? julia elixir crystal pascal ada logo basic scheme prolog
    lisp forth io d r c j e f m s t v sage oracle java? shell bash? fish git? apache
    windows mail outlook publisher visio? lead sales design marketing management support service
    services data cloud web mobile app apps network networks security testing agile scrum lean
    translate cook cooking bake baking clean cleaning drive driving sell selling teach teaching
    write writing read reading listen speak speaking english french spanish german italian
    travail cuisine vente conduite gestion projet données réseau sécurité anglais français""".replace("?", "").split()
)

_TOKEN = re.compile(r"\.?[a-z0-9]+(?:\+\+|#)?", re.IGNORECASE)
# A location field inside free text ("Location: Paris, FR", "Lieu : Lyon"): place names and
# country codes are not skills ("Paris" is French for "betting", "FR" is not French).
_LOCATION_FIELD = re.compile(
    r"\b(?:(?:location|locations|lieu|localisation|bureaux?|office|city|ville|country|pays)\s*:|based in)[^.;\n]*",
    re.IGNORECASE,
)


def surface_key(form: str) -> str:
    """The folded token string a form is looked up by ("Node.js" -> "node .js")."""
    return " ".join(t.lower() for t in _TOKEN.findall(fold(form)))


@lru_cache(maxsize=1)
def _taxonomy() -> dict[str, Any]:
    path = resources.files("ranking") / "data" / "skills.json.gz"
    with path.open("rb") as fh:
        data = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
    data["max_len"] = max((k.count(" ") + 1 for k in data["forms"]), default=1)
    # First token of every multi-word form: only those positions need longer look-ups.
    data["starts"] = {k.split(" ", 1)[0] for k in data["forms"] if " " in k}
    return data


def find_skills(text: str) -> list[tuple[str, int, int]]:
    """Every skill mention in `text` as `(canonical name, start, end)` character offsets.

    Greedy longest match: "Django REST framework" is one mention, not three.
    """
    tax = _taxonomy()
    forms: dict[str, int] = tax["forms"]
    exact: dict[str, int] = tax["exact"]
    names: list[str] = tax["names"]
    max_len: int = tax["max_len"]
    text = _LOCATION_FIELD.sub(lambda m: " " * len(m.group(0)), text or "")
    folded = fold(text)
    if len(folded) != len(text):
        folded_tokens = [(m.group(0).lower(), m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
    else:
        folded_tokens = [(m.group(0).lower(), m.start(), m.end(), text[m.start() : m.end()]) for m in _TOKEN.finditer(folded)]
    out: list[tuple[str, int, int]] = []
    i = 0
    n = len(folded_tokens)
    starts: set[str] = tax["starts"]
    while i < n:
        matched = False
        longest = min(max_len, n - i) if folded_tokens[i][0] in starts else 1
        for length in range(longest, 0, -1):
            key = " ".join(t[0] for t in folded_tokens[i : i + length])
            idx = forms.get(key)
            if idx is None and length == 1:
                start, end = folded_tokens[i][1], folded_tokens[i][2]
                # An elided French word ("J'écris", "C'est") is not the J or C language, nor is
                # the R of "R&D".
                # (Positions are in the folded text, which transliteration can make longer than the text.)
                if (end < len(folded) and folded[end] in "'’&") or (start > 0 and folded[start - 1] == "&"):
                    break
                idx = exact.get(folded_tokens[i][3].lstrip("."))
                if idx is None:
                    idx = exact.get(folded_tokens[i][3])
            if idx is not None:
                out.append((names[idx], folded_tokens[i][1], folded_tokens[i + length - 1][2]))
                i += length
                matched = True
                break
        if not matched:
            i += 1
    return out


def extract_skills(text: str, lang: str | None = None) -> list[str]:
    """Canonical skill names found in `text`, deduplicated, in order of first mention.

    Args:
        text: any text (English or French; the taxonomy holds both).
        lang: accepted for callers that know the language; matching uses both
            languages' labels either way, so it does not change the result.

    Returns:
        Canonical names, e.g. ["Python", "Django", "PostgreSQL"].
    """
    seen: set[str] = set()
    out = []
    for name, _s, _e in find_skills(text):
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


@lru_cache(maxsize=65_536)  # a pool names the same few thousand skills again and again
def canonical(skill: str) -> str:
    """Canonical name of a single skill label ("postgres" -> "PostgreSQL"); itself if unknown."""
    found = find_skills(skill)
    if len(found) == 1 and found[0][1] == 0 and found[0][2] >= len(skill.strip()) - 1:
        return found[0][0]
    return skill.strip()
