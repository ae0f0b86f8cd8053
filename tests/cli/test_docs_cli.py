"""docs/ names every command the CLI parser knows."""

from __future__ import annotations

from bot.cli import build_parser
from tests.cli.test_cli_postgres import commands_of
from tests.docs import unnamed


def test_every_cli_command_is_named_in_docs() -> None:
    commands = commands_of(build_parser())
    assert {"status set", "incidents open", "port-db"} <= commands  # the walk reaches the leaves
    assert unnamed(commands) == []


def test_a_command_missing_from_docs_is_reported() -> None:
    assert unnamed({"status set", "status fly-to-the-moon"}) == ["status fly-to-the-moon"]
