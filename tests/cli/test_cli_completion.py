"""Tests `sourcing completion SHELL`: the script loads in a real bash and completes commands and options."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cli_helpers import SOURCING
from cli_helpers import run_sourcing as sourcing


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_completes_commands_and_subcommands(tmp_path):
    script = sourcing("completion", "bash")
    assert script.returncode == 0 and "complete -o nosort -F _sourcing_completion sourcing" in script.stdout
    (tmp_path / "completion.bash").write_text(script.stdout)
    probe = f"""
source {tmp_path / 'completion.bash'}
complete() {{ :; }}  # registering is bash-interactive only; the function is what runs
COMP_WORDS=(sourcing sou); COMP_CWORD=1; COMPREPLY=(); _sourcing_completion {SOURCING}; echo "1:${{COMPREPLY[*]}}"
COMP_WORDS=(sourcing sources l); COMP_CWORD=2; COMPREPLY=(); _sourcing_completion {SOURCING}; echo "2:${{COMPREPLY[*]}}"
COMP_WORDS=(sourcing jobs list --c); COMP_CWORD=3; COMPREPLY=(); _sourcing_completion {SOURCING}; echo "3:${{COMPREPLY[*]}}"
"""
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=120).stdout.splitlines()
    assert out == ["1:sources", "2:list", "3:--csv"]


def test_zsh_and_fish_scripts_and_a_bad_shell():
    zsh, fish = sourcing("completion", "zsh"), sourcing("completion", "fish")
    assert zsh.returncode == 0 and "#compdef sourcing" in zsh.stdout
    assert fish.returncode == 0 and "complete --no-files --command sourcing" in fish.stdout
    bad = sourcing("completion", "powershell")
    assert bad.returncode == 2 and "'powershell' is not one of 'bash', 'zsh', 'fish'" in bad.stderr
