"""Provides role families: postings clustered by title/description embeddings, labelled by TF-IDF.

Vectors come from any encoder with `encode(list[str]) -> np.ndarray` (the product
passes the packaged sentence model; tests pass a hashing encoder), or, without one,
from TF-IDF over the same texts. A posting's vector leans on its title (70%) because
the title is what names a role; the description (30%) separates e.g. "data engineer"
from "data analyst" when titles are short. Clusters are labelled with their most
distinctive title terms (class-based TF-IDF: one document per cluster).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

# scipy and scikit-learn are imported where they are used: the nightly imports this module
# (through ranking.brand.insights.is_own) and must not pay their ~8 s import for it.
if TYPE_CHECKING:
    from scipy import sparse

from ranking.brand.lexicon import normalise


class Encoder(Protocol):
    """Anything that turns texts into row vectors."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


# Words that say nothing about the role; French and English job-title filler.
STOP_WORDS = frozenset(
    "a an and at de des du en et for h f hf fh in la le les m mf of on or our the to un une we with "
    "you your vous nous pour par sur avec dans au aux est sont will are be is as this that it ce cette "
    "job role poste cdi cdd full time temps plein remote hybrid teletravail x w paris london lyon".split()
)
MAX_FULL = 2000  # average linkage holds an n x n distance matrix: 2,000 postings = 32 MB
_TOKEN = r"(?u)\b[a-zA-Z\u00c0-\u017f][\w+#.-]*[\w+#]|\b[a-zA-Z]\b"
# Seniority and gender markers say nothing about the role family (seniority is analysed apart).
_TITLE_NOISE = re.compile(
    r"\((?:[fhmwdx]\s*/\s*)+[fhmwdx]\)|\b(?:senior|sr|junior|jr|lead|staff|principal|confirme|experimente|"
    r"debutant|intern|stagiaire|alternance|[fhmwd]/[fhmwd](?:/[fhmwdx])?)\b\.?",
    re.IGNORECASE,
)


def role_title(title: str) -> str:
    """A title without seniority or gender markers: "Senior Data Engineer (F/H)" -> "Data Engineer"."""
    cleaned = _TITLE_NOISE.sub(" ", normalise(title))
    return " ".join(cleaned.replace(",", " ").split()) or normalise(title)


@dataclass
class RoleFamily:
    """A cluster of postings for the same kind of role.

    Attributes:
        label: a short name made of its most distinctive title terms, e.g. "backend engineer".
        terms: the top distinctive terms of titles and descriptions, best first.
        members: indices into the posting list that was clustered.
    """

    label: str
    terms: list[str]
    members: list[int] = field(default_factory=list)


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def posting_vectors(titles: Sequence[str], descriptions: Sequence[str], encoder: Encoder | None = None) -> np.ndarray | sparse.csr_matrix:
    """Embed postings as 0.7 * title + 0.3 * description, L2-normalised.

    Args:
        titles: one title per posting.
        descriptions: one description per posting (may be empty).
        encoder: the sentence encoder; None uses TF-IDF vectors of the same texts.

    Returns:
        an (n, d) matrix with unit rows: dense for an encoder, sparse (CSR) for TF-IDF, whose
        vocabulary can be tens of thousands of words on a large market.
    """
    descs = [d[:1000] or t for t, d in zip(titles, descriptions)]
    if encoder is None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        vec = TfidfVectorizer(token_pattern=_TOKEN, preprocessor=normalise, sublinear_tf=True, dtype=np.float32)
        both = vec.fit_transform(list(titles) + descs)
        t_vec, d_vec = both[: len(titles)], both[len(titles):]
        return normalize(0.7 * normalize(t_vec) + 0.3 * normalize(d_vec)).tocsr()
    # Encode each distinct text once (a posting without description reuses its title's vector).
    unique = list(dict.fromkeys([*titles, *descs]))
    vectors = np.asarray(encoder.encode(unique), dtype=np.float32)
    row = {text: n for n, text in enumerate(unique)}
    t_dense = vectors[[row[t] for t in titles]]
    d_dense = vectors[[row[d] for d in descs]]
    return _unit(0.7 * _unit(t_dense) + 0.3 * _unit(d_dense))


def _dense(matrix: np.ndarray | sparse.spmatrix) -> np.ndarray:
    from scipy import sparse

    return matrix.toarray() if sparse.issparse(matrix) else matrix


def cluster_labels(vectors: np.ndarray | sparse.spmatrix, distance_threshold: float, *, max_full: int = MAX_FULL) -> np.ndarray:
    """Average-linkage clusters of unit vectors; above `max_full` rows, cluster a spread sample and
    give every posting the cluster of its nearest sample centroid (memory stays O(max_full²))."""
    n = vectors.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance_threshold)
    if n <= max_full:
        return model.fit_predict(_dense(vectors))
    sample = np.linspace(0, n - 1, max_full).astype(int)
    sample_labels = model.fit_predict(_dense(vectors[sample]))
    k = int(sample_labels.max()) + 1
    centroids = np.zeros((k, vectors.shape[1]), dtype=np.float32)
    for lab in range(k):
        centroids[lab] = np.asarray(vectors[sample[sample_labels == lab]].mean(axis=0)).ravel()
    centroids = _unit(centroids)
    labels = np.empty(n, dtype=int)
    for start in range(0, n, 4096):  # chunks keep the similarity block small
        block = vectors[start : start + 4096] @ centroids.T
        labels[start : start + 4096] = np.asarray(block).argmax(axis=1)
    return labels


def _distinctive_terms(docs: list[str], top: int, ngram: tuple[int, int]) -> list[list[str]]:
    """Class-based TF-IDF: the terms that set each cluster's document apart from the others."""
    if not any(d.strip() for d in docs):
        return [[] for _ in docs]
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(token_pattern=_TOKEN, preprocessor=normalise, stop_words=sorted(STOP_WORDS),
                          ngram_range=ngram, sublinear_tf=True)
    try:
        matrix = vec.fit_transform(docs).toarray()
    except ValueError:  # every word was a stop word
        return [[] for _ in docs]
    vocab = np.array(vec.get_feature_names_out())
    out = []
    for row in matrix:
        order = np.argsort(-row, kind="stable")
        out.append([str(vocab[i]) for i in order[:top] if row[i] > 0])
    return out


def _tidy_terms(terms: list[str]) -> list[str]:
    """Drop n-grams that repeat a word ("engineer backend engineer") or add no word to those kept."""
    kept: list[str] = []
    seen_words: set[str] = set()
    for term in terms:
        words = term.split()
        if len(set(words)) < len(words) or (kept and set(words) <= seen_words):
            continue
        kept.append(term)
        seen_words |= set(words)
    return kept


def _label(titles: list[str], top_terms: list[str]) -> str:
    """Prefer a distinctive multi-word term that most titles share; fall back to the best term."""
    norm_titles = [normalise(t) for t in titles]
    for term in top_terms:
        if " " in term and sum(term in t for t in norm_titles) * 2 >= len(norm_titles):
            return term
    if top_terms:
        return top_terms[0]
    common = Counter(norm_titles).most_common(1)
    return common[0][0] if common else "other roles"


def cluster_roles(
    titles: Sequence[str],
    descriptions: Sequence[str],
    *,
    encoder: Encoder | None = None,
    distance_threshold: float | None = None,
    max_full: int = MAX_FULL,
) -> list[RoleFamily]:
    """Group postings into role families and label each one.

    Args:
        titles: one title per posting.
        descriptions: one description per posting.
        encoder: sentence encoder (None = TF-IDF vectors).
        distance_threshold: cosine distance under which clusters merge (average linkage);
            default 0.7 for TF-IDF vectors (sparse, low cosines) and 0.4 for sentence encoders
            (measured on all-MiniLM-L6-v2: 0.5 merges data, SRE and ML engineers into "engineer").
        max_full: above this many postings, cluster a spread sample and assign the rest to the
            nearest family (see `cluster_labels`).

    Returns:
        families, largest first; every posting belongs to exactly one.
    """
    titles = [role_title(t) for t in titles]
    n = len(titles)
    if n == 0:
        return []
    if distance_threshold is None:
        distance_threshold = 0.7 if encoder is None else 0.4
    labels = cluster_labels(posting_vectors(titles, descriptions, encoder), distance_threshold, max_full=max_full)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    ordered = sorted(groups.values(), key=lambda m: (-len(m), m[0]))
    title_docs = [" . ".join(titles[i] for i in members) for members in ordered]
    full_docs = [" . ".join(f"{titles[i]} {titles[i]} {descriptions[i][:1500]}" for i in members) for members in ordered]
    title_terms = _distinctive_terms(title_docs, 8, (1, 3))
    all_terms = _distinctive_terms(full_docs, 8, (1, 2))
    families = []
    for members, t_terms, a_terms in zip(ordered, title_terms, all_terms):
        label = _label([titles[i] for i in members], t_terms)
        terms = _tidy_terms([label] + t_terms + a_terms)[:8]
        families.append(RoleFamily(label=label, terms=terms, members=members))
    return families


def matches_role(family: RoleFamily, titles: Sequence[str], role: str) -> bool:
    """Whether a `--role` filter names this family (its label, terms or any member title)."""
    wanted = normalise(role).strip()
    if not wanted:
        return True
    haystack = [family.label, *family.terms, *(normalise(titles[i]) for i in family.members)]
    return any(re.search(rf"\b{re.escape(wanted)}", h) for h in haystack)


def family_of(families: list[RoleFamily], index: int) -> RoleFamily | None:
    """The family a posting index belongs to."""
    for fam in families:
        if index in fam.members:
            return fam
    return None


__all__ = ["Encoder", "RoleFamily", "cluster_roles", "posting_vectors", "matches_role", "family_of"]
