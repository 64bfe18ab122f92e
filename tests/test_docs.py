"""Every command has help text with an example and is documented in the README,
and the README's shell examples name only commands that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from graphlink.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _commands():
    root = typer.main.get_command(app)
    out = []
    for name, cmd in sorted(root.commands.items()):
        subs = getattr(cmd, "commands", None)
        if subs:
            out.extend((f"{name} {sub}", subcmd) for sub, subcmd in sorted(subs.items()))
        else:
            out.append((name, cmd))
    return out


COMMANDS = _commands()


def test_there_are_commands():
    names = {n for n, _ in COMMANDS}
    assert {"status", "config"} <= names


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_with_example(name, cmd):
    assert cmd.help and len(cmd.help.strip()) > 20, f"'graphlink {name}' has no help text"
    assert "Example" in cmd.help, f"'graphlink {name}' help has no example"


@pytest.mark.skipif(not README.is_file(), reason="README.md is not shipped with the installed package")
@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_command_is_in_readme(name):
    text = README.read_text(encoding="utf-8")
    pattern = r"graphlink(?:\s+--?[\w-]+(?:[ =][^\s-][^\s]*)?)*\s+" + r"\s+".join(map(re.escape, name.split()))
    assert re.search(pattern, text), f"README.md does not document 'graphlink {name}'"


def _options(cmd):
    return [p for p in getattr(cmd, "params", []) if getattr(p, "help", None)]


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_option_help_shows_its_default(name, cmd):
    """Rich markup eats an unescaped '[default: ...]'; the help must keep it."""
    for param in _options(cmd):
        if "[default:" in param.help:
            assert "\\[default:" in param.help, f"'graphlink {name}' {param.name}: escape '[' as '\\\\['"
