"""Fifty interactions in flight at once are all answered inside Discord's 3-second window."""

from __future__ import annotations

import asyncio

from tests.chat.conftest import Chat

IN_FLIGHT = 50
DISCORD_WINDOW = 3.0


async def test_fifty_interactions_at_once_are_all_answered_in_time(chat: Chat) -> None:
    users = [chat.aiko, chat.ben]
    calls = []
    for n in range(IN_FLIGHT):
        user = users[n % 2]
        if n % 5 == 0:
            calls.append(chat.emu.invoke("status", user=user, guild=chat.guild, timeout=10))
        elif n % 5 == 1:
            calls.append(
                chat.emu.invoke(
                    "history", {"asset": "btc"}, user=user, guild=chat.guild, timeout=10
                )
            )
        elif n % 5 == 2:
            calls.append(chat.emu.invoke("incident", user=user, guild=chat.guild, timeout=10))
        elif n % 5 == 3:
            calls.append(
                chat.emu.invoke(
                    "status", {"asset": "MONA"}, user=user, guild=chat.guild, timeout=10
                )
            )
        else:
            calls.append(chat.emu.invoke("subscribe", user=user, guild=chat.guild, timeout=10))
    results = await asyncio.gather(*calls)
    assert len(results) == IN_FLIGHT
    # /subscribe by DM defers (5) while it waits a moment for the welcome DM; the rest answer.
    assert all(r.response_type == (5 if n % 5 == 4 else 4) for n, r in enumerate(results))
    assert all(r.embeds or r.content for r in results)
    assert not any(r.ephemeral and r.content and "申し訳" in r.content for r in results)
    slowest = max(r.latency for r in results)
    assert slowest < DISCORD_WINDOW, f"slowest reply took {slowest:.3f}s"
