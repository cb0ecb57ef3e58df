"""Tests `sourcing.schedule`: generated systemd units and crontab lines, idempotence, removal."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from sourcing import schedule
from sourcing.errors import UsageError


def _spec(tmp_path: Path, at: str = "02:30") -> schedule.ScheduleSpec:
    exe = tmp_path / "bin" / "sourcing"
    exe.parent.mkdir(parents=True, exist_ok=True)
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return schedule.ScheduleSpec(at=at, executable=str(exe), config_path=str(tmp_path / "my config.toml"),
                                 env_file=str(tmp_path / "env"))


def test_systemd_install_writes_valid_units_and_is_idempotent(tmp_path: Path) -> None:
    units = tmp_path / "units"
    spec = _spec(tmp_path)
    status = schedule.install(spec, method="systemd", unit_dir=units)
    service = (units / "sourcing-nightly.service").read_text()
    timer = (units / "sourcing-nightly.timer").read_text()
    assert "Type=oneshot" in service
    assert f'ExecStart={spec.executable} --config "{tmp_path}/my config.toml" nightly' in service
    assert "Environment=HF_HUB_OFFLINE=1" in service
    assert f"EnvironmentFile=-{tmp_path}/env" in service
    assert "OnCalendar=*-*-* 02:30:00" in timer
    assert "Persistent=true" in timer and "WantedBy=timers.target" in timer
    assert status.method == "systemd" and status.at == "02:30"
    assert status.next_run is not None and (status.next_run.hour, status.next_run.minute) == (2, 30)
    # Install again at another time: replaced, not duplicated.
    schedule.install(_spec(tmp_path, "23:05"), method="systemd", unit_dir=units)
    assert sorted(p.name for p in units.iterdir()) == ["sourcing-nightly.service", "sourcing-nightly.timer"]
    assert "OnCalendar=*-*-* 23:05:00" in (units / "sourcing-nightly.timer").read_text()
    assert schedule.show(unit_dir=units, crontab_file=tmp_path / "none").at == "23:05"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_generated_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    units = tmp_path / "units"
    schedule.install(_spec(tmp_path), method="systemd", unit_dir=units)
    proc = subprocess.run(["systemd-analyze", "verify", str(units / "sourcing-nightly.service"),
                           str(units / "sourcing-nightly.timer")], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == ""
    # And the check really rejects a broken unit (an executable that does not exist).
    broken = schedule.ScheduleSpec(at="02:30", executable=str(tmp_path / "missing" / "sourcing"))
    with pytest.raises(UsageError, match="systemd-analyze verify"):
        schedule.install(broken, method="systemd", unit_dir=tmp_path / "units2")
    assert not list((tmp_path / "units2").iterdir())


def test_cron_install_keeps_other_lines_and_replaces_ours(tmp_path: Path) -> None:
    crontab = tmp_path / "crontab"
    crontab.write_text("MAILTO=hr@example.com\n0 7 * * 1 /usr/bin/backup\n")
    spec = _spec(tmp_path)
    schedule.install(spec, method="cron", crontab_file=crontab)
    schedule.install(_spec(tmp_path, "04:15"), method="cron", crontab_file=crontab)
    lines = crontab.read_text().splitlines()
    assert lines[:2] == ["MAILTO=hr@example.com", "0 7 * * 1 /usr/bin/backup"]
    assert len(lines) == 3
    ours = lines[2]
    assert ours.startswith("15 4 * * * ")
    assert f"HF_HUB_OFFLINE=1 {spec.executable} --config '{tmp_path}/my config.toml' nightly" in ours
    assert ours.endswith(schedule.CRON_MARKER)
    status = schedule.show(method="cron", crontab_file=crontab)
    assert (status.method, status.at) == ("cron", "04:15")
    # The shell part of the line actually runs under sh (syntax and quoting are right).
    shell = ours.split(" * * * ", 1)[1].replace(spec.executable, "echo")
    out = subprocess.run(["sh", "-c", shell], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"--config {tmp_path}/my config.toml nightly"
    assert schedule.remove(crontab_file=crontab, unit_dir=tmp_path / "nounits") == [f"crontab line in {crontab}"]
    assert crontab.read_text().splitlines() == lines[:2]
    assert schedule.show(method="cron", crontab_file=crontab).method is None


def test_remove_systemd_and_nothing_installed(tmp_path: Path) -> None:
    units = tmp_path / "units"
    assert schedule.remove(unit_dir=units, crontab_file=tmp_path / "ct") == []
    schedule.install(_spec(tmp_path), method="systemd", unit_dir=units)
    removed = schedule.remove(unit_dir=units, crontab_file=tmp_path / "ct")
    assert sorted(Path(p).name for p in removed) == ["sourcing-nightly.service", "sourcing-nightly.timer"]
    assert schedule.show(unit_dir=units, crontab_file=tmp_path / "ct").method is None


@pytest.mark.parametrize("bad", ["25:00", "2h30", "", "02:60"])
def test_bad_time_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UsageError, match="HH:MM"):
        schedule.install(_spec(tmp_path, bad), method="cron", crontab_file=tmp_path / "ct")


def test_next_run_rolls_over_to_tomorrow() -> None:
    now = datetime(2026, 11, 26, 3, 0).astimezone()
    assert schedule.next_run("02:30", now) == now.replace(day=27, hour=2, minute=30)
    assert schedule.next_run("04:00", now) == now.replace(hour=4, minute=0)
