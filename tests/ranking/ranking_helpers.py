"""Provides ranking test data: job descriptions and candidate profiles."""

from __future__ import annotations

from sourcing.models import ProfileRecord

DJANGO_JOB_EN = """We build payment APIs for small shops.

Responsibilities:
- Design, build and run Django services
- Own our PostgreSQL schema and its migrations

Requirements:
- 4+ years of Python
- Django
- PostgreSQL
- Fluent English

Nice to have:
- Kubernetes
- Celery

Location: Paris (hybrid)
"""

DJANGO_JOB_FR = """Nous développons des API de paiement pour les petits commerces.

Vos missions :
- Concevoir et faire tourner des services Django
- Faire évoluer notre schéma PostgreSQL

Profil recherché :
- Au moins 4 ans d'expérience en Python
- Django
- PostgreSQL

Les plus :
- Kubernetes

Lieu : Paris, télétravail partiel
"""


def backend_profile(external_id: str = "alice", name: str = "Alice Martin", pronoun: str = "She", **kw) -> ProfileRecord:
    """A Python/Django backend engineer (English JSON-Resume-like profile)."""
    fields = dict(
        source_kind="jsonresume", external_id=external_id, name=name, email=f"{external_id}@example.org",
        headline="Backend engineer", location="Paris, France",
        skills=["Python", "Django", "Postgres", "Docker"], titles=["Backend engineer", "Python developer"],
        summary=f"{pronoun} builds Django REST APIs on PostgreSQL and deploys them with Docker.",
        experience=[{"title": "Python developer", "org": "Shopify-like", "summary": "Wrote the order service in Django; tuned PostgreSQL queries."}],
        languages=["English", "French"],
    )
    fields.update(kw)
    return ProfileRecord(**fields)


def pastry_profile(external_id: str = "bob", name: str = "Bob Durand", pronoun: str = "He", **kw) -> ProfileRecord:
    """A pastry chef: no software skills at all."""
    fields = dict(
        source_kind="jsonresume", external_id=external_id, name=name, email=f"{external_id}@example.org",
        headline="Pastry chef", location="Lyon, France", skills=["pastry", "viennoiserie"], titles=["Pastry chef"],
        summary=f"{pronoun} has baked croissants, tarts and wedding cakes in French bakeries for ten years.",
        experience=[{"title": "Head pastry chef", "org": "Maison Dupont", "summary": "Ran a team of four bakers."}],
        languages=["French"],
    )
    fields.update(kw)
    return ProfileRecord(**fields)


def frontend_profile(external_id: str = "carol", name: str = "Carol Smith", pronoun: str = "She", **kw) -> ProfileRecord:
    """A frontend developer who knows Python a little: between the two others."""
    fields = dict(
        source_kind="github", external_id=external_id, name=name, headline="Frontend developer",
        location="Berlin, Germany", skills=["JavaScript", "React", "Python"], titles=["Frontend developer"],
        summary=f"{pronoun} writes React apps and small Python scripts.", languages=["English"],
    )
    fields.update(kw)
    return ProfileRecord(**fields)
