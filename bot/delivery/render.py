"""One embed per delivery, in the subscriber's language, within Discord's embed limits.

Embeds are plain dicts in Discord's JSON shape: the Discord transport sends them as they are and
the webhook transport puts the same dict in its body.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import i18n
from bot.clock import JST, from_db, show
from bot.delivery.maintenance_render import maintenance_embed
from bot.domain import EventKind, Impact, IncidentStage, State, Subscription, TargetKind
from bot.i18n import Lang, t
from bot.i18n import delivery as _texts  # noqa: F401 - registers the strings

Embed = dict[str, Any]

# Discord's embed limits.
MAX_FIELDS = 25
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_TOTAL = 6000

COLOURS = {
    State.SUSPENDED: 0xD83C3E,
    State.MAINTENANCE: 0xE67E22,
    State.DELAYED: 0xF1C40F,
    State.OPERATIONAL: 0x2ECC71,
}
COLOUR_ORDER = 0x8E44AD
COLOUR_NOTICE = 0x3498DB
COLOUR_OPERATOR = 0x95A5A6
COLOUR_RESOLVED = 0x2ECC71
IMPACT_COLOURS = {
    Impact.CRITICAL: 0xD83C3E,
    Impact.MAJOR: 0xE67E22,
    Impact.MINOR: 0xF1C40F,
    Impact.NONE: 0x95A5A6,
}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def concerning(
    payload: dict[str, Any], sub: Subscription, key: str = "changes"
) -> list[dict[str, Any]]:
    """The rows of an event (its `changes`, or `estimates`) that concern this subscription."""
    rows: list[dict[str, Any]] = list(payload.get(key, []))
    if sub.all_assets:
        return rows
    return [c for c in rows if c.get("asset") in sub.assets]


def cut_to(payload: dict[str, Any], sub: Subscription) -> dict[str, Any]:
    """A status event's payload with only this subscription's assets: what a webhook receives."""
    cut = dict(payload)
    for key in ("changes", "estimates"):
        if key in payload:
            cut[key] = concerning(payload, sub, key)
    return cut


def concerns(payload: dict[str, Any], sub: Subscription) -> bool:
    """Whether an incident's alert concerns this subscription: all assets, or one of its own."""
    if sub.all_assets or payload.get("all_assets"):
        return True
    return bool(sub.assets & set(payload.get("assets", [])))


def render(
    kind: EventKind,
    payload: dict[str, Any],
    created_at: datetime,
    sub: Subscription,
    zone: ZoneInfo = JST,
) -> Embed | None:
    """The embed for this subscriber, or None when nothing in the event concerns it any more."""
    language = i18n.lang(sub.locale)
    if kind is EventKind.STATUS:
        changes = concerning(payload, sub)
        estimates = concerning(payload, sub, "estimates")
        if not changes and not estimates:
            return None
        embed = _status(language, payload, changes, estimates, zone)
    elif kind is EventKind.ORDER:
        embed = _order(language, payload, zone)
    elif kind is EventKind.NOTICE:
        embed = _notice(language, payload, zone)
    elif kind is EventKind.INCIDENT:
        if not concerns(payload, sub):
            return None
        embed = _incident(language, payload)
    elif kind is EventKind.MAINTENANCE:
        found = maintenance_embed(language, payload, sub, zone)
        if found is None:
            return None
        embed = found
    else:
        embed = _operator(language, payload)
    footer = t(language, "delivery.at", time=show(created_at, zone))
    embed["footer"] = {"text": _cut(footer, MAX_FOOTER)}
    embed["timestamp"] = created_at.isoformat()
    return fit(embed)


def _when(text: str | None, language: Lang, zone: ZoneInfo) -> str:
    return show(from_db(text), zone) if text else t(language, "delivery.unset")


def _change_line(language: Lang, row: dict[str, Any], zone: ZoneInfo) -> str:
    direction = t(language, f"direction.{row['direction']}")
    path = row.get("path") or []
    if len(path) > 2:
        # Merged alerts: the latest state, and the way there.
        return t(
            language,
            "delivery.status.changed",
            direction=direction,
            new=t(language, f"state.{row['new_state']}"),
            count=len(path) - 1,
            since=from_db(row["since"]).astimezone(zone).strftime("%H:%M"),
            path=" → ".join(t(language, f"state.{s}") if s else "-" for s in path),
        )
    if "new_state" in row:
        return t(
            language,
            "delivery.status.change",
            direction=direction,
            old=t(language, f"state.{row['old_state']}") if row.get("old_state") else "-",
            new=t(language, f"state.{row['new_state']}"),
        )
    key = "delivery.estimate.slip" if row.get("revisions") else "delivery.estimate.first"
    return t(
        language,
        key,
        direction=direction,
        old=_when(row.get("old_estimate"), language, zone),
        new=_when(row.get("new_estimate"), language, zone),
        count=row.get("revisions", 0),
    )


def _status(
    language: Lang,
    payload: dict[str, Any],
    changes: list[dict[str, Any]],
    estimates: list[dict[str, Any]],
    zone: ZoneInfo,
) -> Embed:
    by_asset: dict[str, list[dict[str, Any]]] = {}
    for row in [*changes, *estimates]:
        by_asset.setdefault(str(row["asset"]), []).append(row)
    fields = []
    for code, rows in by_asset.items():
        name = rows[0].get("name_en" if language is Lang.EN else "name_ja") or code
        lines = [_change_line(language, row, zone) for row in rows]
        fields.append({"name": f"{code} {name}", "value": "\n".join(lines), "inline": True})
    if len(fields) > MAX_FIELDS:
        # Keep room for one field that says how many assets were left out.
        left_out = len(fields) - (MAX_FIELDS - 1)
        fields = fields[: MAX_FIELDS - 1]
        fields.append(
            {
                "name": t(language, "delivery.status.more", count=left_out),
                "value": t(language, "delivery.status.more_value"),
                "inline": False,
            }
        )
    reason = t(language, f"reason.{payload['reason']}")
    lines = [t(language, "delivery.status.reason", reason=reason)]
    if payload.get("note"):
        note = i18n.written(language, payload["note"], payload.get("note_en") or "")
        lines.append(t(language, "delivery.status.note", note=note))
    if payload.get("merged_critical"):
        halted = ", ".join(payload["merged_critical"])
        lines.append(t(language, "delivery.status.merged_critical", assets=halted))
    if payload.get("expected_reopen") and changes:
        when = show(from_db(payload["expected_reopen"]), zone)
        lines.append(t(language, "delivery.status.reopen", when=when))
    states = [State(c["new_state"]) for c in changes] + [State(e["state"]) for e in estimates]
    worst = min(states, key=list(COLOURS).index)
    title = "delivery.status.title" if changes else "delivery.estimate.title"
    return {
        "title": t(language, title),
        "description": "\n".join(lines),
        "color": COLOURS[worst],
        "fields": fields,
    }


def _due(text: str | None, language: Lang) -> str:
    if not text:
        return t(language, "delivery.unset")
    # A report due "by the 27th" is due at the end of that day: 24:00 reads better than 00:00.
    return f"{date.fromisoformat(text).isoformat()} 24:00 JST"


def _order(language: Lang, payload: dict[str, Any], zone: ZoneInfo) -> Embed:
    action = t(language, f"action.{payload.get('action', 'other')}")
    summary = i18n.written(
        language, payload.get("summary_ja") or "", payload.get("summary_en") or ""
    ) or str(payload.get("summary_en") or "")
    issuer = i18n.written(language, payload.get("issuer") or "-", payload.get("issuer_en") or "")
    fields = [
        {"name": t(language, "delivery.order.issuer"), "value": issuer},
        {"name": t(language, "delivery.order.action"), "value": action},
        {
            "name": t(language, "delivery.order.issued_on"),
            "value": str(payload.get("issued_on") or "-"),
        },
        {
            "name": t(language, "delivery.order.report_due"),
            "value": _due(payload.get("report_due"), language),
        },
    ]
    embed: Embed = {
        "title": t(language, "delivery.order.title", action=action),
        "description": summary,
        "color": COLOUR_ORDER,
        "fields": fields,
    }
    if payload.get("url"):
        fields.append({"name": t(language, "delivery.order.link"), "value": str(payload["url"])})
        embed["url"] = str(payload["url"])
    return embed


def _notice(language: Lang, payload: dict[str, Any], zone: ZoneInfo) -> Embed:
    fields = []
    source = payload.get("feed") or payload.get("source") or payload.get("issuer")
    if source:
        fields.append({"name": t(language, "delivery.notice.source"), "value": str(source)})
    if payload.get("published_at"):
        when = show(from_db(str(payload["published_at"])), zone)
        fields.append({"name": t(language, "delivery.notice.published"), "value": when})
    link = payload.get("link") or payload.get("url")
    if link:
        fields.append({"name": t(language, "delivery.notice.link"), "value": str(link)})
    description = str(payload.get("summary") or "")
    if language is Lang.EN:
        # Regulator items are Japanese sources: shown as published, and said to be so.
        description = "\n".join(
            filter(None, [description, t(language, "delivery.notice.source_ja")])
        )
    embed: Embed = {
        "title": str(payload.get("title") or t(language, "delivery.notice.title")),
        "description": description,
        "color": COLOUR_NOTICE,
        "fields": fields,
    }
    if link:
        embed["url"] = str(link)
    return embed


def _incident(language: Lang, payload: dict[str, Any]) -> Embed:
    """One step of an incident: its title, the update's message, its stage, impact and assets."""
    step = str(payload.get("step") or "updated")
    title_ja, title_en = str(payload.get("title_ja", "")), str(payload.get("title_en", ""))
    # A title has no room for the untranslated mark; the message below carries it.
    title = title_en if language is Lang.EN and title_en.strip() else title_ja
    stage = IncidentStage(payload.get("stage", IncidentStage.INVESTIGATING.value))
    impact = Impact(payload.get("impact", Impact.MAJOR.value))
    assets = (
        t(language, "delivery.incident.all_assets")
        if payload.get("all_assets")
        else ", ".join(payload.get("assets", []))
    )
    fields = [
        {"name": t(language, "delivery.incident.stage"), "value": t(language, f"stage.{stage}")},
        {
            "name": t(language, "delivery.incident.impact"),
            "value": t(language, f"impact.{impact}"),
        },
        {"name": t(language, "delivery.incident.assets"), "value": assets or "-"},
    ]
    message = i18n.written(
        language, str(payload.get("message_ja", "")), str(payload.get("message_en", ""))
    )
    return {
        "title": t(
            language, f"delivery.incident.{step}", id=payload.get("incident_id", "?"), title=title
        ),
        "description": message,
        "color": COLOUR_RESOLVED if stage.closed else IMPACT_COLOURS[impact],
        "fields": [{**f, "inline": True} for f in fields],
    }


def _operator(language: Lang, payload: dict[str, Any]) -> Embed:
    if payload.get("topic") == "subscription_disabled":
        kind = str(payload.get("target_kind", ""))
        target = str(payload.get("target", ""))
        shown = f"<#{target}>" if kind == TargetKind.CHANNEL.value else target
        text = t(
            language,
            "delivery.operator.disabled",
            target_kind=t(language, f"delivery.target.{kind}") if kind else "",
            target=shown,
            reason=payload.get("reason", ""),
        )
    else:
        key = "text_en" if language is Lang.EN else "text_ja"
        text = str(payload.get(key) or payload.get("text") or payload.get("text_ja") or "")
    title = payload.get(f"title_{language.value}") or payload.get("title")
    return {
        "title": str(title or t(language, "delivery.operator.title")),
        "description": text,
        "color": COLOUR_OPERATOR,
        "fields": [],
    }


def size(embed: Embed) -> int:
    """Characters Discord counts towards the 6,000 limit."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for f in embed.get("fields", []):
        total += len(f["name"]) + len(f["value"])
    return total


def fit(embed: Embed) -> Embed:
    """Cut every part to its own limit, then the description and fields to the total limit."""
    embed["title"] = _cut(embed.get("title", ""), MAX_TITLE)
    embed["description"] = _cut(embed.get("description", ""), MAX_DESCRIPTION)
    fields = embed.get("fields", [])[:MAX_FIELDS]
    for f in fields:
        f["name"] = _cut(str(f["name"]) or "-", MAX_FIELD_NAME)
        f["value"] = _cut(str(f["value"]) or "-", MAX_FIELD_VALUE)
    embed["fields"] = fields
    excess = size(embed) - MAX_TOTAL
    if excess > 0 and embed["description"]:
        keep = max(len(embed["description"]) - excess, 1)
        embed["description"] = _cut(embed["description"], keep)
        excess = size(embed) - MAX_TOTAL
    while excess > 0 and fields:
        longest = max(fields, key=lambda f: len(f["value"]))
        keep = max(len(longest["value"]) - excess, 1)
        longest["value"] = _cut(longest["value"], keep)
        excess = size(embed) - MAX_TOTAL
        if len(longest["value"]) <= 1:
            fields.remove(longest)
            excess = size(embed) - MAX_TOTAL
    if not embed["description"]:
        del embed["description"]
    return embed
