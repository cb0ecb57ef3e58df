"""Conformance corpus, ATS boards: every field of each recording added in the second batch (see tests/fixtures/real/README.md).

Lever (JumpCloud), Ashby (Truelogic), Workable (Vasion, ClimateWorks), Recruitee (Aikido
Security) and SmartRecruiters (Automation Anywhere, a listing page and one posting's detail).
"""

from __future__ import annotations

from spiders.parsers import ashby, lever, recruitee, smartrecruiters, workable

from corpus_helpers import clean, fields, load, utc

NO_PAY = {"salary_min": None, "salary_max": None, "salary_currency": None, "salary_period": None, "salary_text": None}


def test_lever_jumpcloud_remote_in_country():
    jobs = [lever.to_job(o, source_key="k", site="jumpcloud") for o in lever.records(load("lever", "job_agent.json"))]
    assert [fields(j) for j in jobs] == [
        {"external_id": "7d6cc0b4-a5f9-4f02-8542-7fc1eb5749e2", "title": "Account Executive, North America SMB - India",
         "company": "jumpcloud", "location": "Bangalore, India - Remote", "workplace": "remote", "remote": True,
         "url": "https://jobs.lever.co/jumpcloud/7d6cc0b4-a5f9-4f02-8542-7fc1eb5749e2", "department": "Sales",
         "employment_type": "Full Time", "seniority": None, **NO_PAY, "posted_at": utc(2026, 7, 29, 15, 44, 26, 689000),
         "tags": ["remote", "IN"]},
        {"external_id": "9a6ab6b6-d8fc-4e34-8d13-9e8016e98223", "title": "Account Manager - Singapore", "company": "jumpcloud",
         "location": "Singapore, Singapore - Remote", "workplace": "remote", "remote": True,
         "url": "https://jobs.lever.co/jumpcloud/9a6ab6b6-d8fc-4e34-8d13-9e8016e98223", "department": "Customer Success",
         "employment_type": "Full Time", "seniority": None, **NO_PAY, "posted_at": utc(2026, 7, 28, 16, 9, 41, 579000),
         "tags": ["remote", "SG"]}]
    assert jobs[0].description.startswith("All roles at JumpCloud® are Remote unless otherwise specified in the Job Description. "
                                          "This opportunity requires that you work a specific shift")
    # the recorder cut `additionalPlain` mid-word: kept as recorded
    assert jobs[0].description.endswith("required to speak and wr") and jobs[1].description.endswith("required to spea")
    assert all(clean(j.description) and "\nAbout JumpCloud®\n" in j.description for j in jobs)


def test_ashby_truelogic_remote_open_applications():
    payload = load("ashby", "job_search_aggregator.json")
    jobs = [ashby.to_job(o, source_key="k", name="truelogic") for o in ashby.records(payload)]
    expected = [("09bb501c-e72d-4c9e-8df3-212ac53e69d9", "Senior Front-end Engineer - Open Application", utc(2025, 1, 15, 10, 36, 4, 937000)),
                ("3af5b1b2-d873-4809-95a7-663784c9315e", "Senior Back-end Engineer – Open Application", utc(2025, 1, 15, 10, 36, 11, 346000)),
                ("df72bf39-0baf-4a6e-b1a5-c4e4a3599124", "DevOps Engineer - Open Application", utc(2025, 1, 15, 10, 35, 57, 182000))]
    assert [fields(j) for j in jobs] == [
        {"external_id": ext, "title": title, "company": "truelogic", "location": "LatAm", "workplace": "remote", "remote": True,
         "url": f"https://jobs.ashbyhq.com/truelogic/{ext}", "department": "Pipeline", "employment_type": "FullTime",
         "seniority": None, **NO_PAY, "posted_at": posted, "tags": ["Remote"]} for ext, title, posted in expected]
    for j in jobs:
        assert j.description.startswith("ABOUT TRUELOGIC\n\nAt Truelogic we are a leading provider of nearshore staff augmentation")
        assert j.description.endswith("ensuring you're working with the best in your field.\n\nApply now!") and clean(j.description)


def test_workable_vasion_telecommuting_and_office():
    payload = load("workable", "job_agent.json")
    jobs = [workable.to_job(o, source_key="k", account="vasion", company=payload["name"])
            for o in workable.merge_locations(workable.records(payload))]
    assert [fields(j) for j in jobs] == [
        {"external_id": "74172297A5", "title": "Account Executive (Partner First) - APAC", "company": "Vasion",
         "location": "New South Wales, Australia", "workplace": "remote", "remote": True,
         "url": "https://apply.workable.com/j/74172297A5", "department": "Sales - International", "employment_type": "Full-time",
         "seniority": "Associate", **NO_PAY, "posted_at": utc(2026, 8, 5), "tags": ["Sales", "Computer Software"]},
        {"external_id": "15F16B8D99", "title": "Account Executive - UK&I / Northern Europe", "company": "Vasion",
         "location": "London, England, United Kingdom", "workplace": None, "remote": False,  # telecommuting: false says no more
         "url": "https://apply.workable.com/j/15F16B8D99", "department": "Sales - International", "employment_type": "Full-time",
         "seniority": "Associate", **NO_PAY, "posted_at": utc(2026, 8, 10), "tags": ["Sales", "Computer Software"]}]
    assert jobs[0].description.startswith("Vasion is a cloud-native SaaS platform that simplifies print management")
    assert "organisations worldwide" in jobs[1].description and all(clean(j.description) for j in jobs)


def test_workable_climateworks_listing_without_description():
    payload = load("workable", "pantau.json")
    [job] = [workable.to_job(o, source_key="k", account="climateworks", company=payload["name"]) for o in workable.records(payload)]
    assert fields(job) == {
        "external_id": "869818CC50", "title": "Program Manager, Global Energy Transition Initiative",
        "company": "ClimateWorks Foundation", "location": "United Kingdom", "workplace": "remote", "remote": True,
        "url": "https://apply.workable.com/j/869818CC50", "department": "Programs", "employment_type": None, "seniority": None,
        **NO_PAY, "posted_at": utc(2026, 7, 7),  # published_on wins over created_at (2026-04-02)
        "tags": ["Environmental Services"]}
    assert job.description == ""  # the recorder kept no description


def test_recruitee_aikido_remote_onsite_and_thousands_pay():
    jobs = [recruitee.to_job(o, source_key="k", company="aikidosecurity") for o in recruitee.records(load("recruitee", "job_agent.json"))]
    common = {"company": "Aikido Security", "employment_type": "fulltime_permanent", "tags": []}
    assert [fields(j) for j in jobs] == [
        {**common, "external_id": "2707521", "title": "Customer Success Engineer Tel Aviv", "location": "Tel Aviv, Israel",
         "workplace": "remote", "remote": True, "url": "https://aikidosecurity.recruitee.com/o/customer-success-engineer-tel-aviv",
         "department": "Sales", "seniority": "mid_level", **NO_PAY, "posted_at": utc(2026, 8, 11, 20, 45, 29)},
        {**common, "external_id": "2707517", "title": "Customer Success Engineer Dubai", "location": "Dubai, United Arab Emirates",
         "workplace": "remote", "remote": True, "url": "https://aikidosecurity.recruitee.com/o/customer-success-engineer-dubai",
         "department": "Sales", "seniority": "mid_level", **NO_PAY, "posted_at": utc(2026, 8, 11, 20, 42, 44)},
        # salary {"min": "75.00", "max": "95.00", "period": "year", "currency": "USD"}: $75k-$95k a year, stated in thousands
        {**common, "external_id": "2705729", "title": "Office Manager Chicago", "location": "Chicago, United States",
         "workplace": "onsite", "remote": False, "url": "https://aikidosecurity.recruitee.com/o/office-manager-chicago",
         "department": "Operations", "seniority": "experienced", "salary_min": 75000.0, "salary_max": 95000.0,
         "salary_currency": "USD", "salary_period": "year", "salary_text": "75.00–95.00 USD per year (stated in thousands)",
         "posted_at": utc(2026, 8, 10, 15, 13, 59)}]
    assert jobs[0].description.startswith("🌍 We’re making security suck less for developers.\n\nSecurity tools haven’t kept up")
    assert all(clean(j.description) and "Qualities of people are decisive" in j.description for j in jobs)


def test_recruitee_bunq_hybrid_offers_cut_by_the_recorder():
    offers = load("recruitee", "job_poller.json")  # the recorder kept the `offers` array itself
    jobs = [recruitee.to_job(o, source_key="k", company="bunq") for o in recruitee.records({"offers": offers})]
    common = {"company": "bunq", "location": "Amsterdam, Netherlands", "workplace": "hybrid", "remote": False,  # hybrid: true
              "department": None, "employment_type": "fulltime_permanent", "seniority": "experienced", **NO_PAY}
    assert [fields(j) for j in jobs] == [
        {**common, "external_id": "2760348", "title": "(Senior) Legal Counsel", "url": "https://careers.bunq.com/o/senior-legal-counsel-3",
         "posted_at": utc(2026, 9, 25, 15, 46, 7), "tags": ["E4", "Enablers"]},
        {**common, "external_id": "2760249", "title": "Deputy Head of Legal", "url": "https://careers.bunq.com/o/deputy-head-of-legal-1",
         "posted_at": utc(2026, 9, 25, 14, 42, 17), "tags": ["E4", "E5"]}]
    # description then requirements; each `<ul>` of one `<li><p>` a bullet; the recorder's "..." cuts kept
    assert jobs[0].description == (
        "At bunq , we move fast, launching products, entering new markets, and onboarding partners acr...\n\n"
        "- You are a qualified lawyer with a Master's degree in Law and a strong background in financial services.\n\n"
        "- You've reviewed and n...")
    assert jobs[1].description.endswith("- You are a qualified lawyer with a Master's degree in Law and a strong background in financial servic...")


def test_smartrecruiters_automation_anywhere_listing_and_detail():
    payload = load("smartrecruiters", "job_agent.json")
    detail = load("smartrecruiters", "job_agent.detail.json")
    rows = smartrecruiters.records(payload)
    jobs = [smartrecruiters.to_job(o, source_key="k", company="AutomationAnywhere1", detail=detail if i == 0 else None)
            for i, o in enumerate(rows)]
    common = {"company": "Automation Anywhere", "workplace": "onsite", "remote": False, "department": None,  # department: {}
              "employment_type": "Full-time", "seniority": "Mid-Senior Level", **NO_PAY,
              "tags": ["Information Technology", "Information Technology And Services"]}
    assert [fields(j) for j in jobs] == [
        {**common, "external_id": "743999706414750", "title": "Pricing Analyst", "location": "San Jose, CA, us",
         "url": "https://jobs.smartrecruiters.com/AutomationAnywhere1/743999706414750", "posted_at": utc(2020, 2, 6, 19, 42, 44)},
        {**common, "external_id": "743999706405540", "title": "Sr. Sales Executive (4418)", "location": "Los Angeles, CA, us",
         "url": "https://jobs.smartrecruiters.com/AutomationAnywhere1/743999706405540", "posted_at": utc(2020, 2, 6, 18, 23, 10)},
        {**common, "external_id": "743999704892584", "title": "Strategic Account Manager/Senior Account Executive - Seattle (4120)",
         "location": "Seattle, WA, us", "url": "https://jobs.smartrecruiters.com/AutomationAnywhere1/743999704892584",
         "posted_at": utc(2020, 1, 21, 21, 3, 44)}]
    # the detail's four jobAd sections, in order, as text
    assert jobs[0].description.startswith("Automation Anywhere is the leader in Robotic Process Automation (RPA)")
    assert jobs[0].description.endswith("All your information will be kept confidential according to EEO guidelines.")
    assert clean(jobs[0].description) and jobs[1].description == jobs[2].description == ""
    # the recording has no `offset`: the next page comes from the offset requested (3 of totalFound 4)
    assert smartrecruiters.next_offset(payload, requested=0) == 3 and smartrecruiters.next_offset(payload, requested=1) is None
