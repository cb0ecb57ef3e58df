"""Provides blind mode for the ranker: the shared masker and stable pseudonyms.

The masker itself (`Masker`, `masker_for`, `neutralise_gender`) lives in
`sourcing.masking` so that every output — the ranker (before embedding), the
review app, `sourcing rank --blind` and blind exports — masks the same way:
names and logins, e-mails, phones, URLs, dates of birth and ages, nationality,
and gender (pronouns, "(H/F)", gendered job titles such as "Développeuse" or
"Cheffe"). Two profiles that differ only in name or gender give the same text,
the same vectors and the same score. People are shown by a stable pseudonym.
"""

from __future__ import annotations

import hashlib

from sourcing.masking import NAME, Masker, mask_all, masker_for, neutralise_gender

__all__ = ["NAME", "Masker", "mask_all", "masker_for", "neutralise_gender", "pseudonym"]


def pseudonym(candidate_id: int, stored: str | None = None) -> str:
    """Stable pseudonym of a candidate: the store's when it has one, else derived from the id."""
    if stored:
        return stored
    digest = hashlib.sha1(f"candidate:{candidate_id}".encode()).hexdigest()[:6].upper()
    return f"Candidate {digest}"
