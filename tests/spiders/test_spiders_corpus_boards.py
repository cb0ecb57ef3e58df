"""Conformance corpus, job boards: every field of the Arbeitnow, Remote OK and HN Algolia recordings of the second batch.

What these recordings exposed, fixed in the shared layer: Arbeitnow markup escaped
except for a real tail it appends (stored as `<p>`, and "50|50" read as EUR 50 a day);
Remote OK text that is UTF-8 read as Latin-1 (`donâ\\x80\\x99t`); a growth budget read
as salary; HN headers with the URL second or the employment type before the role.
"""

from __future__ import annotations

import pytest

from spiders.parsers import arbeitnow, hn, remoteok
from spiders.parsers.common import MalformedRecord

from corpus_helpers import clean, fields, load, utc

NO_PAY = {"salary_min": None, "salary_max": None, "salary_currency": None, "salary_period": None, "salary_text": None}
NONE = {"department": None, "seniority": None}


def test_arbeitnow_unitelabs_skaylink_parity():
    jobs = [arbeitnow.to_job(o, source_key="arbeitnow") for o in arbeitnow.records(load("arbeitnow", "job_scraper.json"))]
    base = "https://www.arbeitnow.com/jobs/companies/"
    assert [fields(j) for j in jobs] == [
        {"external_id": "senior-python-engineer-platform-libraries-munchen-363975", "title": "Senior Python Engineer, Platform Libraries (m/f/d)",
         "company": "Unitelabs", "location": "München", "workplace": None, "remote": False,
         "url": base + "unitelabs/senior-python-engineer-platform-libraries-munchen-363975", **NONE,
         "employment_type": "Experienced, Permanent, Full time", **NO_PAY, "posted_at": utc(2026, 9, 7, 2, 9, 2),
         "tags": ["Python", "Developer", "Biotech", "Rust", "Software Development", "gRPC", "Docker", "API"]},
        {"external_id": "devops-engineer-leipzig-sachsen-478361", "title": "DevOps Engineer (m/w/d)", "company": "Skaylink",
         "location": "Leipzig, Sachsen", "workplace": None, "remote": False, "url": base + "skaylink/devops-engineer-leipzig-sachsen-478361",
         **NONE, "employment_type": "Full-time", **NO_PAY, "posted_at": utc(2026, 9, 6, 23, 5, 29), "tags": ["Managed Cloud Services"]},
        {"external_id": "remote-core-developer-platform-60113", "title": "Core Developer - Platform", "company": "Parity",
         "location": "Remote", "workplace": None, "remote": False,  # the board's flag says false: the location alone is not trusted
         "url": "https://www.arbeitnow.fr/jobs/companies/parity/remote-core-developer-platform-60113", **NONE,
         "employment_type": "Full Time", **NO_PAY, "posted_at": utc(2026, 9, 6, 13, 40, 5), "tags": ["Acceleration"]}]
    assert jobs[0].description.startswith("The role\n\nWe’re looking for a Senior Python Engineer, Platform Libraries (m/f/d)")
    assert jobs[1].description == (
        "Als DevOps Engineer (m/w/d) verantwortest du die Architektur, Automatisierung und kontinuierliche Verbesserung unserer "
        "AWS-Umgebungen und entwickelst skalierbare Lösungen, die echten Business Impact erzeugen.\nWas du bei uns machst\n"
        "- Du entwirfst und implementierst skalierbare, sichere und hochverfügbare Plattformarchitekturen auf AWS und anderen "
        "Cloud Providern.\n- Du treibst Automatisierung konsequent voran (Terraform, CloudFormation, CDK).")
    assert all(clean(j.description) for j in jobs)


def test_arbeitnow_escaped_markup_with_a_real_tail_and_no_benefit_as_pay():
    jobs = [arbeitnow.to_job(o, source_key="arbeitnow") for o in arbeitnow.records(load("arbeitnow", "job_search_aggregator.json"))]
    assert [(j.external_id, j.company, j.location, j.employment_type, j.posted_at) for j in jobs] == [
        ("ml-product-engineer-heidelberg-60723", "kausable GmbH", "Heidelberg", "professional / experienced", utc(2026, 8, 3, 21, 30, 34)),
        ("machine-meta-learner-heidelberg-235959", "kausable GmbH", "Heidelberg", "professional / experienced", utc(2026, 8, 3, 21, 30, 34)),
        ("technical-co-founder-cto-aureas-munich-353142", "aureas", "Munich", "geschäftsleitung", utc(2026, 8, 3, 21, 30, 33)),
        ("senior-product-owner-hamburg-berlin-302643", "dept", "Hamburg, Berlin", None, utc(2026, 8, 3, 21, 16, 52)),
        ("director-of-data-berlin-456700", "Moonfare", "Berlin", None, utc(2026, 8, 3, 21, 16, 18))]
    dept, moonfare = jobs[3], jobs[4]
    # `&lt;p&gt;…` followed by a real `<p>Find more … on Arbeitnow</a>`: all of it is text now
    assert dept.description.startswith("Senior Product Owner (d/f/m)\nHamburg, Berlin, Hybrid\n\nDEPT® is a Growth Invention company")
    assert dept.description.endswith("Check out our efforts here.\n\nFind more English Speaking Jobs in Germany on Arbeitnow")
    assert moonfare.description.startswith("Director of Data (m/f/d)\n\nReporting to the CTO, you will own the data strategy")
    assert "Weights & Biases" in jobs[0].description and "Tasks\n\n- Turn research models" in jobs[0].description
    for j in jobs:
        assert clean(j.description) and j.workplace is None and j.remote is False and j.url.startswith("https://www.arbeitnow.com/jobs/")
        # "50|50 tech and marketing" (dept) and "a growth budget of €1,500 or 2% of your base salary" (Moonfare) are not pay
        assert {k: getattr(j, k) for k in NO_PAY} == NO_PAY


@pytest.mark.parametrize("name, expected", [
    ("job_agent.json", [
        ("1136372", "Group leader", "PAYTM SERVICES PVT LTD", "Krishnagiri", utc(2026, 8, 11, 2, 21, 57), ["exec"],
         "paytm qr , soundbox,loan, insurance and swipe mechanic (pos)"),
        ("1136373", "Handyman", "Ocean Hotels Group BARBADOS", "Lowlands", utc(2026, 8, 11, 1, 56, 42), [],
         "Company: Chickmont Foods Ltd.\n\nJob Summary\n\nThe Handyman would be responsible")]),
    ("job_search_aggregator.json", [
        ("1135929", "Compatibility", "DanielTems", "How", utc(2026, 8, 2, 21, 5, 22), None,
         "CompatibilityWorking at Stripe is not for everyone\n\nNot everyone finds success at Stripe."),
        ("1136039", "These 10 things on your cv could be the reason you are not getting hired", "Anansewaa", "Sonipat",
         utc(2026, 8, 2, 20, 59, 49), ["amazon", "web dev", "engineer", "ecommerce", "marketing", "dev", "digital nomad"],
         "In the world of software development, lines of code often steal the spotlight, portrayed as the ultimate measure of a… READ MORE"),
        ("1135927", "Menu", "Bevoxe", "Ashreigney", utc(2026, 8, 2, 20, 31, 52), None,
         "As Abraham Lincoln once said, “The best way to predict the future is to create it.” If you want to advance your career but don’t"),
        ("1135924", "Failure Breeds Success", "Deliberate Development", "Success", utc(2026, 8, 2, 18, 19, 27),
         ["consulting", "finance", "exec", "api", "marketing"], "Every leader wants to see meaningful change.")]),
    ("internship_hunter.json", [
        ("1131612", "IT Support Technician", "Avalere Health", "London", utc(2026, 5, 16, 8, 0, 12), None,
         "About Avalere Health\n\nUnited by one profound purpose: to reach EVERY PATIENT POSSIBLE."),
        ("1131611", "Forward Deployed Engineer Agentic Platform", "Cohere", None, utc(2026, 5, 16, 8, 0, 5), None,
         "Who are we?\n\nOur mission is to scale intelligence to serve humanity. We’re training and deploying frontier models"),
        ("1131610", "Sr Solution Architect Consultant Sales Engineer", "Cyara", "United States", utc(2026, 5, 16, 0, 0, 15), None,
         "Cyara is the global leader in AI-powered customer experience assurance"),
        ("1131609", "Operations Manager A379", "Pearl", None, utc(2026, 5, 16, 0, 0, 8), None,
         "Industry\n\nE-commerce | Health & Wellness | Consumer Goods | Supply Chain Operations\n\nWork Arrangement\n\nFully Remote")]),
])
def test_remoteok_recordings(name, expected):
    payload = load("remoteok", name)
    rows = remoteok.records(payload)
    assert remoteok.legal_notice(payload).startswith("API Terms of Service: Please link back (with follow, and without nofollow!)")
    jobs = [remoteok.to_job(o, source_key="remoteok") for o in rows]
    assert len(jobs) == len(expected) == len(payload) - 1  # element 0 is the legal notice
    for j, o, (ext, title, company, location, posted, tags, start) in zip(jobs, rows, expected):
        assert fields(j) == {
            "external_id": ext, "title": title, "company": company, "location": location, "workplace": "remote", "remote": True,
            "url": o["url"], "department": None, "employment_type": None, "seniority": None,
            **NO_PAY,  # salary_min/max 0: not stated
            "posted_at": posted, "tags": tags if tags is not None else o["tags"]}
        assert j.url.startswith("https://remoteOK.com/remote-jobs/") and j.url.endswith(ext)
        assert j.credit.startswith("Source: Remote OK (https://remoteok.com)") and j.url in j.credit
        assert j.description.startswith(start) and clean(j.description), j.description[:300]
        # the board's anti-spam footer stays: it is part of what the poster wrote
        assert "This is a beta feature to avoid spam applicants." in j.description or name == "job_agent.json"


def test_hn_may_2026_thread_raw_algolia_page():
    payload = load("hn", "internship_hunter.comments.json")
    story = "47975571"
    assert payload["params"].startswith("tags=comment%2Cstory_47975571") and payload["nbPages"] == 1
    top = [h for h in payload["hits"] if hn.is_top_level(h, story)]
    assert len(payload["hits"]) == 30 and len(top) == 8  # 22 replies to posts are not posts
    jobs, dropped = [], []
    for h in top:
        try:
            jobs.append(hn.to_job(h, source_key=f"hn_jobs:{story}"))
        except MalformedRecord as exc:
            dropped.append((h["objectID"], str(exc)))
    assert dropped == [("48129378", "no 'Company | Role | Location' header line: 'Founding AI, Data Science Lead (Possible Co-Founder Track)'")]
    got = {j.external_id: (j.company, j.title, j.location, j.workplace, j.remote, j.employment_type, j.salary_text) for j in jobs}
    assert got == {
        # the URL second, not the title
        "48147597": ("Woosmap", "Backend Engineer (Mid-level & Senior)", "HYBRID (London, Paris, Montpellier) or REMOTE (UTC-1 to UTC+2)",
                     "hybrid", False, "Full-time", None),
        "48137886": ("Coder", "Multiple roles", "Multiple locations", None, None, "Full-time", None),
        # the company's link and tagline in the first segment, the employment type before the role
        "48133591": ("Clutch", "Head of AI (Computer Vision / MLOps)", "Remote (worldwide)", "remote", True, "Full-time", "€70-100k + equity"),
        "48127030": ("Stealth Startup", "Founding Engineer", "NYC (in-person 5x/week)", "onsite", False, "Full-Time", None),
        "48123123": ("Furtim Modus", "Hiring Java Developer (Full-Time)", "NYC (HYBRID)", "hybrid", False, None, "$125K-$200K + equity"),
        "48121719": ("SalesJack", "Solutions Engineer", "Toronto, ON, Canada", "hybrid", False, "FULL-TIME", None),
        "48113023": ("Forage", "Senior Mobile Engineer (React Native)", "Hybrid NYC (2-3 days in office)", "hybrid", False, "Full-time",
                     "$185,000 - $200,000 per year base"),
    }
    forage = next(j for j in jobs if j.external_id == "48113023")
    assert (forage.salary_min, forage.salary_max, forage.salary_currency, forage.salary_period) == (185000.0, 200000.0, "USD", "year")
    assert forage.tags == ["$185,000 - $200,000 per year base", "joinforage.com"] and forage.posted_at == utc(2026, 5, 12, 19, 14, 47)
    clutch = next(j for j in jobs if j.external_id == "48133591")
    assert (clutch.salary_min, clutch.salary_max, clutch.salary_currency) == (70000.0, 100000.0, "EUR")
    assert "https://www.clutchapp.io" in clutch.tags and clutch.url == "https://news.ycombinator.com/item?id=48133591"
    for j in jobs:
        assert clean(j.description) and j.description.startswith(j.company.split()[0]) and j.posted_at.year == 2026


def test_hn_june_2026_thread_of_another_project():
    payload = load("hn", "job_pilot.comments.json")
    assert (payload["nbHits"], payload["nbPages"], payload["hitsPerPage"]) == (467, 10, 50)  # page 0, trimmed to 4 hits
    top = [h for h in payload["hits"] if hn.is_top_level(h, "48357725")]
    assert [h["objectID"] for h in top] == ["48470128", "48469252"]  # the other two are replies
    up, chain = (hn.to_job(h, source_key="hn_jobs:48357725") for h in top)
    assert fields(up) == {
        "external_id": "48470128", "title": "Full Stack Software Engineer", "company": "UpMetrics",
        "location": "Hybrid (Sacramento, CA)", "workplace": "hybrid", "remote": False,
        "url": "https://news.ycombinator.com/item?id=48470128", "department": None, "employment_type": "Full Time",
        "seniority": None, "salary_min": 145000.0, "salary_max": 170000.0, "salary_currency": "USD", "salary_period": None,
        "salary_text": "$145k-$170k", "posted_at": utc(2026, 6, 10, 1, 30, 27), "tags": ["$145k-$170k"]}
    assert fields(chain) == {
        "external_id": "48469252", "title": "Blockchain Security Engineer", "company": "ChainSecurity",
        "location": "INTERNS , HYBRID/REMOTE, Zurich, Switzerland", "workplace": "hybrid", "remote": False,
        "url": "https://news.ycombinator.com/item?id=48469252", "department": None, "employment_type": "Full-time",
        "seniority": None, **NO_PAY, "posted_at": utc(2026, 6, 9, 23, 32, 28),
        "tags": ["VISA possible", "https://chainsecurity.com/"]}
    assert "\n\nStack: Ruby (flexible if you know Python), JavaScript/TypeScript" in up.description
    assert "* Good knowledge of cryptography" in chain.description and clean(up.description) and clean(chain.description)


def test_hn_whoishiring_story_search_page():
    payload = load("hn", "internship_hunter.stories.json")
    assert [(h["objectID"], h["title"], h["author"]) for h in payload["hits"]] == [
        ("47975571", "Ask HN: Who is hiring? (May 2026)", "whoishiring"), ("47601859", "Ask HN: Who is hiring? (April 2026)", "whoishiring"),
        ("47219668", "Ask HN: Who is hiring? (March 2026)", "whoishiring"),
        ("46857488", "Ask HN: Who is hiring? (February 2026)", "whoishiring")]
    assert hn.latest_thread(payload, "Ask HN: Who is hiring?") == "47975571"
    assert hn.latest_thread(payload, "ask hn: who is HIRING?") == "47975571"  # case does not matter
    assert hn.latest_thread(payload, "Ask HN: Who wants to be hired?") is None
