"""Provides helpers shared by the privacy tests: the controller text and a person to add."""

from __future__ import annotations

from sourcing.models import ProfileRecord

CONTROLLER = "Brightwave Labs SAS, 12 rue de la Paix, 75002 Paris, privacy@brightwave.example"


def add_person(store, key: str, *, email: str | None = None, name: str | None = None, skills=("Python",)) -> int:
    """One person from a public GitHub profile (with an e-mail when given)."""
    rec = ProfileRecord(source_kind="github", external_id=key, github_login=key, name=name or f"Name {key}",
                        email=email, url=f"https://github.com/{key}", summary=f"{key} writes Python",
                        skills=list(skills), location="Paris, France")
    return store.upsert_profile(rec).candidate_id


def run_main(capsys, args: list[str]) -> tuple[int, str, str]:
    """Run the console script's `main` in-process (errors map to exit codes); return (code, stdout, stderr)."""
    from sourcing.cli import main

    capsys.readouterr()
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
