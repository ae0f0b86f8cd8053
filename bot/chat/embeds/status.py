"""Status at a glance, one asset in detail, its history, and an operator's change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot import i18n
from bot.clock import show, utcnow
from bot.domain import Asset, AssetStatus, Direction, State, StatusChange
from bot.i18n import Lang
from bot.services.status import ChangeResult

from ..replies import fit
from . import AMBER, DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, GREEN, RED, TITLE_LIMIT

MARKS = {
    State.OPERATIONAL: "🟢",
    State.SUSPENDED: "🔴",
    State.MAINTENANCE: "🛠️",
    State.DELAYED: "🟡",
}
HISTORY_NOTE_LIMIT = 80


def name_of(asset: Asset, language: Lang) -> str:
    return asset.name_ja if language is Lang.JA else asset.name_en


def actor_text(actor: str) -> str:
    """A Discord user as a mention (it names them, and pings nobody inside an embed)."""
    kind, _, user_id = actor.partition(":")
    if kind == "discord" and user_id.isdigit():
        return f"<@{user_id}> ({actor})"
    return actor


def state_text(state: State | None, language: Lang) -> str:
    if state is None:
        return "-"
    return f"{MARKS[state]} {i18n.t(language, f'state.{state.value}')}"


def _colour(states: Sequence[State]) -> discord.Colour:
    if all(s is State.OPERATIONAL for s in states):
        return GREEN
    if any(s is State.SUSPENDED for s in states):
        return RED
    return AMBER


def overview(
    assets: Sequence[Asset],
    statuses: Sequence[AssetStatus],
    language: Lang,
    as_of: datetime | None = None,
) -> discord.Embed:
    """Every asset on one line, both directions, as of `as_of` (default: now)."""
    by_key = {(s.asset, s.direction): s for s in statuses}
    lines = []
    for asset in assets:
        parts = []
        for direction in Direction:
            status = by_key.get((asset.code, direction))
            label = i18n.t(language, f"direction.{direction.value}")
            parts.append(f"{label} {state_text(status.state if status else None, language)}")
        lines.append(f"**{asset.code}** {name_of(asset, language)} — " + " · ".join(parts))
    embed = discord.Embed(
        title=i18n.t(language, "chat.status.title"),
        description=fit("\n".join(lines), DESCRIPTION_LIMIT),
        colour=_colour([s.state for s in statuses]),
        timestamp=as_of or utcnow(),
    )
    embed.set_footer(text=i18n.t(language, "chat.status.footer"))
    return embed


def detail(
    asset: Asset, statuses: list[AssetStatus], language: Lang, zone: ZoneInfo
) -> discord.Embed:
    """Both directions of one asset: state, reason, since, note and expected reopening."""
    embed = discord.Embed(
        title=fit(
            i18n.t(
                language, "chat.status.detail_title", code=asset.code, name=name_of(asset, language)
            ),
            TITLE_LIMIT,
        ),
        colour=_colour([s.state for s in statuses]),
        timestamp=utcnow(),
    )
    for status in sorted(statuses, key=lambda s: list(Direction).index(s.direction)):
        reopen = (
            show(status.expected_reopen, zone)
            if status.expected_reopen
            else i18n.t(language, "chat.status.reopen_unknown")
        )
        lines = [
            f"{i18n.t(language, 'chat.status.reason')}: "
            + i18n.t(language, f"reason.{status.reason.value}"),
            f"{i18n.t(language, 'chat.status.since')}: {show(status.since, zone)}",
        ]
        if status.state is not State.OPERATIONAL:
            lines.append(f"{i18n.t(language, 'chat.status.reopen')}: {reopen}")
            if status.estimate_revisions:
                lines.append(
                    i18n.t(language, "chat.status.revisions", count=status.estimate_revisions)
                )
        if status.note:
            note = i18n.written(language, status.note, status.note_en)
            lines.append(f"{i18n.t(language, 'chat.status.note')}: {note}")
        embed.add_field(
            name=f"{i18n.t(language, f'direction.{status.direction.value}')} — "
            + state_text(status.state, language),
            value=fit("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed


def history(
    asset: Asset, changes: list[StatusChange], language: Lang, zone: ZoneInfo
) -> discord.Embed:
    """Newest first; each line says when, which direction, from what to what, why and who."""
    lines = []
    for change in changes:
        line = i18n.t(
            language,
            "chat.history.line",
            when=show(change.changed_at, zone),
            direction=i18n.t(language, f"direction.{change.direction.value}"),
            old=state_text(change.old_state, language),
            new=state_text(change.new_state, language),
            reason=i18n.t(language, f"reason.{change.reason.value}"),
            actor=actor_text(change.actor),
        )
        if change.note:
            note = change.note_en if language is Lang.EN and change.note_en else change.note
            line += f"\n> {fit(note, HISTORY_NOTE_LIMIT)}"
        lines.append(line)
    description = "\n".join(lines) or i18n.t(language, "chat.history.empty")
    return discord.Embed(
        title=fit(
            i18n.t(language, "chat.history.title", code=asset.code, name=name_of(asset, language)),
            TITLE_LIMIT,
        ),
        description=fit(description, DESCRIPTION_LIMIT),
        colour=AMBER,
    )


def change_summary(result: ChangeResult, note: str, language: Lang, zone: ZoneInfo) -> str:
    """The operator's confirmation: what moved, and the note as customers will see it."""
    if result.noop:
        return i18n.t(language, "chat.operator.noop")
    lines = []
    if result.changes:
        lines.append(i18n.t(language, "chat.operator.changed", count=len(result.changes)))
    for change in result.changes:
        lines.append(
            f"- {change.asset} {i18n.t(language, f'direction.{change.direction.value}')}: "
            f"{state_text(change.old_state, language)} → {state_text(change.new_state, language)}"
        )
    for estimate in result.estimates:
        lines.append(
            f"- {estimate.asset} {i18n.t(language, f'direction.{estimate.direction.value}')}: "
            + i18n.t(
                language,
                "chat.status.estimate_moved",
                old=show(estimate.old, zone),
                new=show(estimate.new, zone),
                count=estimate.revisions,
            )
        )
    if note.strip():
        lines.append(i18n.t(language, "chat.operator.note", note=note.strip()))
    return "\n".join(lines)
