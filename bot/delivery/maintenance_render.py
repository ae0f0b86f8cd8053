"""The embed of a maintenance notice: announced, reminded, started, ended, extended, cancelled.

Cut to the subscriber's assets, as status alerts are; the operators' note in the reader's
language, marked where it is not yet translated.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot import i18n
from bot.clock import from_db, show
from bot.domain import Subscription
from bot.i18n import Lang, t
from bot.i18n import delivery as _delivery  # noqa: F401 - registers the strings
from bot.i18n.maintenance import lead_text

COLOUR_MAINTENANCE = 0xE67E22
COLOUR_DONE = 0x2ECC71
COLOUR_CANCELLED = 0x95A5A6
COLOURS = {"completed": COLOUR_DONE, "took_place": COLOUR_DONE, "cancelled": COLOUR_CANCELLED}


def _mine(rows: list[dict[str, Any]], key: str, sub: Subscription) -> list[dict[str, Any]]:
    return rows if sub.all_assets else [r for r in rows if r.get(key) in sub.assets]


def cut_to(payload: dict[str, Any], sub: Subscription) -> dict[str, Any]:
    """The payload as a webhook subscriber gets it: only its assets and their pairs."""
    return {
        **payload,
        "assets": _mine(list(payload.get("assets", [])), "code", sub),
        "changes": _mine(list(payload.get("changes", [])), "asset", sub),
        "left": _mine(list(payload.get("left", [])), "asset", sub),
    }


def _pair_line(language: Lang, row: dict[str, Any], old: str | None, new: str) -> str:
    direction = t(language, f"direction.{row['direction']}")
    state = t(language, f"state.{new}") if new else "-"
    if old is None:
        return f"{row['asset']} {direction}: {state}"
    return f"{row['asset']} {direction}: {t(language, f'state.{old}')} → {state}"


def maintenance_embed(
    language: Lang, payload: dict[str, Any], sub: Subscription, zone: ZoneInfo
) -> dict[str, Any] | None:
    """The embed for this subscriber, or None when none of the window's assets concern it."""
    assets = _mine(list(payload.get("assets", [])), "code", sub)
    if not assets:
        return None
    step = str(payload.get("step", "scheduled"))
    name_key = "name_en" if language is Lang.EN else "name_ja"
    if payload.get("all_assets") and sub.all_assets:
        shown = t(language, "maintenance.all_assets")
    else:
        shown = ", ".join(f"{a['code']} {a.get(name_key) or ''}".strip() for a in assets)
    direction = str(payload.get("direction", "both"))
    ways = t(
        language,
        "maintenance.direction.both" if direction == "both" else f"direction.{direction}",
    )
    window = t(
        language,
        "maintenance.window",
        starts=show(from_db(payload["starts_at"]), zone),
        ends=show(from_db(payload["ends_at"]), zone),
    )
    fields = [
        {"name": t(language, "delivery.maintenance.assets"), "value": shown},
        {"name": t(language, "delivery.maintenance.direction"), "value": ways, "inline": True},
        {
            "name": t(language, "delivery.maintenance.reason"),
            "value": t(language, f"reason.{payload.get('reason', 'maintenance')}"),
            "inline": True,
        },
        {"name": t(language, "delivery.maintenance.when"), "value": window},
    ]
    if payload.get("old_ends_at"):
        old_end = show(from_db(payload["old_ends_at"]), zone)
        fields.append({"name": t(language, "delivery.maintenance.old_end"), "value": old_end})
    changes = _mine(list(payload.get("changes", [])), "asset", sub)
    if changes:
        lines = [_pair_line(language, c, c.get("old_state"), c["new_state"]) for c in changes]
        fields.append(
            {"name": t(language, "delivery.maintenance.changes"), "value": "\n".join(lines)}
        )
    left = _mine(list(payload.get("left", [])), "asset", sub)
    if left:
        lines = [_pair_line(language, row, None, str(row.get("state", ""))) for row in left]
        lines.append(t(language, "delivery.maintenance.left_why"))
        fields.append({"name": t(language, "delivery.maintenance.left"), "value": "\n".join(lines)})
    params = {"id": payload.get("maintenance_id", "")}
    if step == "reminder":
        params["lead"] = lead_text(language, float(payload.get("lead_hours", 0)))
    note = i18n.written(language, str(payload.get("note_ja", "")), str(payload.get("note_en", "")))
    description = [t(language, f"delivery.maintenance.text.{step}", **params)]
    if note.strip():
        description.append(note)
    return {
        "title": t(language, f"delivery.maintenance.title.{step}", **params),
        "description": "\n\n".join(description),
        "color": COLOURS.get(step, COLOUR_MAINTENANCE),
        "fields": fields,
    }
