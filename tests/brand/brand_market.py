"""Provides the fixture market: real-shaped postings from Acme (ours) and three competitors.

Competitors state "remote" and "learning budget"; Acme states "4-day week". Shares by design:
- remote: 6 of 8 competitor postings (75%), 0 of 3 Acme postings.
- learning budget: 5 of 8 competitor postings (62.5%), 0 of 3 Acme postings.
- 4-day week: 3 of 3 Acme postings (100%), 0 of 8 competitor postings.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sourcing.models import JobPosting

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)

ACME_BENEFITS = (
    "What we offer: a 4-day week (32 hours, full salary), health insurance through our company plan, "
    "and a collaborative team that reviews every pull request together."
)


def _job(source_key: str, ext: str, title: str, company: str, description: str, **kw) -> JobPosting:
    kind = source_key.split(":", 1)[0]
    slug = company.lower().replace(" ", "")
    return JobPosting(source_kind=kind, source_key=source_key, external_id=ext, title=title, company=company,
                      description=description, url=f"https://jobs.example.org/{slug}/{ext}",
                      posted_at=first_seen_for(ext), **kw)


def market_postings() -> list[JobPosting]:
    """Eleven postings: 3 ours (Acme, on greenhouse:acme), 8 from competitors."""
    return [
        _job("greenhouse:acme", "4001", "Senior Backend Engineer", "Acme",
             "Acme builds payroll software for 4,000 small businesses. You will design Python services on "
             "PostgreSQL and Kubernetes, own features end to end and mentor two engineers. " + ACME_BENEFITS
             + " Salary range: €65,000 - €80,000 depending on experience."),
        _job("greenhouse:acme", "4002", "Backend Engineer (Python)", "Acme",
             "Join the Acme payments team. You will build APIs in Python and Django, write PostgreSQL "
             "migrations and run services on AWS. " + ACME_BENEFITS),
        _job("greenhouse:acme", "4003", "Data Engineer", "Acme",
             "Acme's data team moves payroll events into our warehouse. You will write Airflow pipelines in "
             "Python and SQL and model data in dbt. " + ACME_BENEFITS),
        _job("lever:globex", "g-11", "Backend Engineer", "Globex",
             "Globex is a remote-first logistics company. Build Go and Python services on Kubernetes. "
             "Perks: fully remote, a €1,500 yearly learning budget, stock options."),
        _job("lever:globex", "g-12", "Senior Backend Developer", "Globex",
             "Work remote from anywhere in Europe. Python, PostgreSQL, Kafka. We offer a learning budget "
             "and parental leave of 16 weeks. Salary: €70k - €85k."),
        _job("ashby:initech", "i-1", "Backend Software Engineer", "Initech",
             "Initech is hiring a backend engineer for our billing platform (Java, Kotlin, PostgreSQL). "
             "Hybrid work: two days a week in our Lyon office. Annual training budget of €2,000."),
        _job("ashby:initech", "i-2", "Python Backend Engineer", "Initech",
             "Remote possible across France. You will write Python and FastAPI services, on AWS. "
             "Learning budget, health insurance, meal vouchers."),
        _job("greenhouse:umbrella", "u-7", "Backend Engineer, Platform", "Umbrella",
             "Umbrella Health runs its platform on Kubernetes and Python. This role is fully remote. "
             "We value diversity and inclusion."),
        _job("greenhouse:umbrella", "u-8", "Data Engineer", "Umbrella",
             "Build data pipelines with Airflow, Python and Spark on GCP. Remote within the EU. "
             "Conference budget of €1,000 a year."),
        _job("lever:globex", "g-20", "Senior Data Engineer", "Globex",
             "Globex data platform: dbt, Snowflake, Python, Airflow. Work from home or in our Paris office. "
             "Salary range €60,000 - €75,000."),
        _job("recruitee:hooli", "h-3", "Data Engineer (F/H)", "Hooli",
             "Hooli recrute un·e data engineer pour construire nos pipelines Spark et Airflow en Python. "
             "Présence au bureau de Nantes 5 jours par semaine. Mutuelle prise en charge à 100 %."),
    ]


OPENED_DAYS_AGO = {"4001": 70, "4002": 10, "4003": 12}  # the senior backend role has been open for 70 days


def first_seen_for(external_id: str) -> datetime:
    """When the fixture says a posting was first seen (older for the hard-to-fill role)."""
    return NOW - timedelta(days=OPENED_DAYS_AGO.get(external_id, 5))
