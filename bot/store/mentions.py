"""The one role a channel subscription pings, and when (critical alerts, or all)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.store.sql import Sql

# The "Notify me" button under a channel's alert: any member presses it to take or drop the role.
NOTIFY_BUTTON = "alerts:role:{subscription_id}"
NOTIFY_PATTERN = r"alerts:role:(?P<subscription_id>[0-9]+)"


class MentionWhen(StrEnum):
    CRITICAL = "critical"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Mention:
    role_id: str
    when: MentionWhen


class MentionRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def set(self, subscription_id: int, mention: Mention | None) -> None:
        """Ping `mention`'s role from now on; None: ping nobody."""
        if mention is None:
            await self._conn.execute(
                "DELETE FROM channel_mentions WHERE subscription_id = ?", (subscription_id,)
            )
            return
        await self._conn.execute(
            "INSERT INTO channel_mentions (subscription_id, role_id, mention_when)"
            " VALUES (?, ?, ?) ON CONFLICT (subscription_id) DO UPDATE SET"
            " role_id = excluded.role_id, mention_when = excluded.mention_when",
            (subscription_id, mention.role_id, mention.when.value),
        )

    async def of(self, subscription_id: int) -> Mention | None:
        async with self._conn.execute(
            "SELECT role_id, mention_when FROM channel_mentions WHERE subscription_id = ?",
            (subscription_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return Mention(str(row[0]), MentionWhen(row[1])) if row else None
