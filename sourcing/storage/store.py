"""Provides `Store`, the single entry point to the database (see docs/STORE_API.md)."""

from __future__ import annotations

from sourcing.storage.base import BaseStore
from sourcing.storage.candidates import CandidatesMixin
from sourcing.storage.jobs import JobsMixin
from sourcing.storage.scoring import ScoringMixin


class Store(JobsMixin, CandidatesMixin, ScoringMixin, BaseStore):
    """Jobs, candidates, embeddings, rankings, decisions, audit log and crawl runs in one database."""
