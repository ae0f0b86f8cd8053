"""docs/ names every slash command the bot syncs to Discord, subcommands included."""

from __future__ import annotations

from typing import Any

from tests.chat.conftest import Chat
from tests.docs import unnamed

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def paths(node: dict[str, Any], prefix: str = "") -> set[str]:
    """`operator incident open` for a subcommand; the command itself when it has none."""
    path = f"{prefix}{node['name']}"
    subs = [o for o in node.get("options") or [] if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if not subs:
        return {path}
    found: set[str] = set()
    for sub in subs:
        found |= paths(sub, f"{path} ")
    return found


async def test_every_slash_command_is_named_in_docs(chat: Chat) -> None:
    synced: set[str] = set()
    for command in chat.emu.commands(chat.guild):
        synced |= paths(command)
    assert {"status", "operator set-status", "operator incident open"} <= synced
    missing = unnamed(synced, prefix="/")
    assert missing == [], missing
