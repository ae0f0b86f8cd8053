"""Maintenance windows on the web: the page's section, the JSON API and the Atom feed's entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import i18n
from bot.clock import from_db, utcnow
from bot.domain import Event, Maintenance
from bot.i18n import Lang
from bot.i18n import delivery as _notice_texts  # noqa: F401 - the notices read the same here
from bot.i18n.maintenance import lead_text
from bot.web.context import WebContext
from bot.web.format import moment

FEED_NOTICES = 50
# What /api/v1/status calls upcoming, as Kraken's system status does: under way, or starting
# within this many hours. /api/v1/maintenances lists every window still ahead.
UPCOMING_HOURS = 72


@dataclass(frozen=True, slots=True)
class MaintenanceRow:
    id: int
    state: str  # the code, for the style
    state_label: str
    assets: str
    direction: str
    starts: str
    ends: str
    reason: str
    note: str


def assets_label(window: Maintenance, lang: Lang) -> str:
    return i18n.t(lang, "maintenance.all_assets") if window.all_assets else ", ".join(window.assets)


def direction_label(direction: str, lang: Lang) -> str:
    key = "maintenance.direction.both" if direction == "both" else f"direction.{direction}"
    return i18n.t(lang, key)


def rows(windows: list[Maintenance], ctx: WebContext, lang: Lang) -> list[MaintenanceRow]:
    return [
        MaintenanceRow(
            id=w.id,
            state=w.state.value,
            state_label=i18n.t(lang, f"maintenance.state.{w.state.value}"),
            assets=assets_label(w, lang),
            direction=direction_label(w.direction, lang),
            starts=moment(w.starts_at, ctx.zone),
            ends=moment(w.ends_at, ctx.zone),
            reason=i18n.t(lang, f"reason.{w.reason.value}"),
            note=i18n.written(lang, w.note_ja, w.note_en),
        )
        for w in windows
    ]


def _iso(moment_: datetime | None) -> str | None:
    return None if moment_ is None else moment_.astimezone(UTC).isoformat().replace("+00:00", "Z")


def window_json(window: Maintenance) -> dict[str, Any]:
    return {
        "id": window.id,
        "state": window.state.value,
        "all_assets": window.all_assets,
        "assets": list(window.assets),
        "direction": window.direction,
        "starts_at": _iso(window.starts_at),
        "ends_at": _iso(window.ends_at),
        "reason": window.reason.value,
        "note_ja": window.note_ja,
        "note_en": window.note_en,
        "started_at": _iso(window.started_at),
        "ended_at": _iso(window.ended_at),
        "updated_at": _iso(window.updated_at),
    }


async def active_json(ctx: WebContext) -> list[dict[str, Any]]:
    return [window_json(w) for w in await ctx.maintenance.active()]


async def upcoming_json(ctx: WebContext) -> list[dict[str, Any]]:
    horizon = utcnow() + timedelta(hours=UPCOMING_HOURS)
    return [window_json(w) for w in await ctx.maintenance.active() if w.starts_at <= horizon]


def notice_title(event: Event, lang: Lang) -> str:
    payload = event.payload
    step = str(payload.get("step", "scheduled"))
    params: dict[str, Any] = {"id": payload.get("maintenance_id", "")}
    if step == "reminder":
        params["lead"] = lead_text(lang, float(payload.get("lead_hours", 0)))
    codes = ", ".join(str(a.get("code")) for a in payload.get("assets", []))
    return f"{i18n.t(lang, f'delivery.maintenance.title.{step}', **params)} ({codes})"


def notice_text(event: Event, ctx: WebContext, lang: Lang) -> str:
    payload = event.payload
    step = str(payload.get("step", "scheduled"))
    lines = [i18n.t(lang, f"delivery.maintenance.text.{step}", id=payload.get("maintenance_id"))]
    lines.append(
        i18n.t(
            lang,
            "maintenance.window",
            starts=moment(from_db(payload["starts_at"]), ctx.zone),
            ends=moment(from_db(payload["ends_at"]), ctx.zone),
        )
    )
    lines.append(
        f"{i18n.t(lang, 'web.reason')}: {i18n.t(lang, 'reason.' + str(payload.get('reason')))}"
    )
    note = i18n.written(lang, str(payload.get("note_ja", "")), str(payload.get("note_en", "")))
    if note.strip():
        lines.append(note)
    return "\n".join(lines)
