"""Provides `sourcing completion bash|zsh|fish`: the shell-completion script (Click's own)."""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
INSTALL = {
    "bash": 'eval "$(sourcing completion bash)"          # in ~/.bashrc',
    "zsh": 'eval "$(sourcing completion zsh)"           # in ~/.zshrc',
    "fish": "sourcing completion fish > ~/.config/fish/completions/sourcing.fish",
}


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell-completion script for SHELL (commands, options, choices, file names).

    \b
    Examples:
      eval "$(sourcing completion bash)"          # add to ~/.bashrc
      eval "$(sourcing completion zsh)"           # add to ~/.zshrc
      sourcing completion fish > ~/.config/fish/completions/sourcing.fish
    """
    from click.shell_completion import get_completion_class

    root = ctx.find_root()
    cls = get_completion_class(shell)
    if cls is None:  # pragma: no cover - the Choice above lists only shells Click knows
        raise click.UsageError(f"no completion for {shell}")
    click.echo(cls(root.command, {}, "sourcing", "_SOURCING_COMPLETE").source())
    click.echo(f"# Install: {INSTALL[shell]}", err=True)


def register(cli: click.Group) -> None:
    """Add `completion` to the CLI."""
    cli.add_command(completion)
