"""The JSON API (/api/v1/...): read-only views of status, history, orders and incidents.

Everything is rendered from the snapshot once per variant and served as bytes (`bot.web.cache`);
only an asset's history longer than the snapshot keeps, and an incident older than the ones it
keeps, are read from the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from aiohttp import web

from bot.domain import (
    Asset,
    AssetStatus,
    Direction,
    DomainError,
    Incident,
    IncidentUpdate,
    InvalidInput,
    Order,
    StatusChange,
)
from bot.services.snapshot import Snapshot, by_pair
from bot.services.status import MAX_HISTORY
from bot.web.cache import Rendered, serve
from bot.web.context import WebContext
from bot.web.keys import CONTEXT, RENDERED
from bot.web.maintenance import UPCOMING_HOURS, window_json
from bot.web.openapi import document

DEFAULT_HISTORY = 20
DEFAULT_INCIDENTS = 20
MAX_INCIDENTS = 100
JSON = "application/json; charset=utf-8"

_dumps = partial(json.dumps, ensure_ascii=False)


def reply(data: Any, status: int = 200) -> web.Response:
    """JSON with Japanese kept readable (UTF-8, not \\u escapes)."""
    return web.json_response(data, status=status, dumps=_dumps)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def translated(text_ja: str, text_en: str) -> bool:
    """False while a Japanese text customers read has no English version yet."""
    return not text_ja.strip() or bool(text_en.strip())


def direction_json(row: AssetStatus | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "state": row.state.value,
        "reason": row.reason.value,
        "note": row.note,
        "note_en": row.note_en,
        "translated": translated(row.note, row.note_en),
        "since": iso(row.since),
        "expected_reopen": iso(row.expected_reopen),
        "estimate_revisions": row.estimate_revisions,
    }


def asset_json(asset: Asset, rows: Sequence[AssetStatus]) -> dict[str, Any]:
    by_direction = {r.direction: r for r in rows if r.asset == asset.code}
    return {
        "code": asset.code,
        "name_ja": asset.name_ja,
        "name_en": asset.name_en,
        "kind": asset.kind,
        "deposit": direction_json(by_direction.get(Direction.DEPOSIT)),
        "withdrawal": direction_json(by_direction.get(Direction.WITHDRAWAL)),
    }


def change_json(change: StatusChange) -> dict[str, Any]:
    # The actor (an operator's account) is left out: this API is public.
    return {
        "id": change.id,
        "direction": change.direction.value,
        "old_state": change.old_state.value if change.old_state else None,
        "new_state": change.new_state.value,
        "reason": change.reason.value,
        "note": change.note,
        "note_en": change.note_en,
        "translated": translated(change.note, change.note_en),
        "source": change.source.value,
        "changed_at": iso(change.changed_at),
        "expected_reopen": iso(change.expected_reopen),
    }


def order_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "slug": order.slug,
        "issuer": order.issuer,
        "issuer_en": order.issuer_en,
        "translated": translated(order.issuer, order.issuer_en)
        and translated(order.summary_ja, order.summary_en),
        "action": order.action.value,
        "legal_basis": order.legal_basis,
        "issued_on": order.issued_on.isoformat(),
        "report_due": order.report_due.isoformat() if order.report_due else None,
        "status": order.status.value,
        "url": order.url,
        "summary_ja": order.summary_ja,
        "summary_en": order.summary_en,
        "items": [
            {"position": i.position, "text_ja": i.text_ja, "text_en": i.text_en}
            for i in order.items
        ],
    }


def incident_update_json(update: IncidentUpdate) -> dict[str, Any]:
    # Who posted it is left out, as for status changes: this API is public.
    return {
        "id": update.id,
        "stage": update.stage.value,
        "message_ja": update.message_ja,
        "message_en": update.message_en,
        "source": update.source.value,
        "posted_at": iso(update.posted_at),
        "translated_at": iso(update.translated_at),
    }


def incident_head_json(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "slug": incident.slug,
        "title_ja": incident.title_ja,
        "title_en": incident.title_en,
        "impact": incident.impact.value,
        "stage": incident.stage.value,
        "all_assets": incident.all_assets,
        "assets": list(incident.assets),
        "started_at": iso(incident.started_at),
        "updated_at": iso(incident.updated_at),
        "resolved_at": iso(incident.resolved_at),
    }


def active_incident_json(incident: Incident) -> dict[str, Any]:
    """An open incident in /status: its head and its latest update."""
    latest = incident.updates[-1] if incident.updates else None
    return {
        **incident_head_json(incident),
        "latest_update": incident_update_json(latest) if latest else None,
    }


def incident_json(incident: Incident) -> dict[str, Any]:
    """An incident in full: its timeline oldest first, and its losses where it has them."""
    return {
        **incident_head_json(incident),
        "updates": [incident_update_json(u) for u in incident.updates],
        "losses": [
            {
                "asset": loss.asset,
                "stolen": loss.stolen,
                "stolen_jpy": loss.stolen_jpy,
                "customers": loss.customers,
                "customers_jpy": loss.customers_jpy,
            }
            for loss in incident.losses
        ],
    }


def error_response(status: int, code: str, message: str) -> web.Response:
    return reply({"error": {"code": code, "message": message}}, status)


def domain_error(exc: DomainError) -> web.Response:
    status = 400 if isinstance(exc, InvalidInput) else 404
    return error_response(status, exc.category, str(exc))


def as_json(data: Any) -> Rendered:
    return Rendered.of(_dumps(data).encode("utf-8"), JSON)


def cached(
    request: web.Request, snapshot: Snapshot, key: Hashable, render: Callable[[], Any]
) -> web.Response:
    """The JSON document `render` makes from `snapshot`, rendered once per snapshot."""
    rendered = request.app[RENDERED].get(snapshot, key, lambda: as_json(render()))
    return serve(request, rendered, vary_language=False)


async def current(request: web.Request) -> Snapshot:
    return await request.app[CONTEXT].snapshots.get()


def upcoming(snapshot: Snapshot) -> list[dict[str, Any]]:
    """Windows under way or starting within UPCOMING_HOURS of the snapshot."""
    horizon = snapshot.built_at + timedelta(hours=UPCOMING_HOURS)
    return [window_json(w) for w in snapshot.active_maintenances if w.starts_at <= horizon]


def status_document(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "generated_at": iso(snapshot.built_at),
        "assets": [asset_json(a, snapshot.current) for a in snapshot.assets],
        "active_incidents": [active_incident_json(i) for i in snapshot.open_incidents],
        "upcoming_maintenance": upcoming(snapshot),
        # Anyone who keeps these can later check the history up to them: `audit verify`.
        "audit": {"events": snapshot.audit.entries, "head": snapshot.audit.hash},
    }


def asset_document(snapshot: Snapshot, code: str) -> dict[str, Any]:
    detail = asset_json(snapshot.asset(code), snapshot.status_of(code))
    detail["estimates"] = {
        direction.value: [
            {
                "old_estimate": iso(e.old_estimate),
                "new_estimate": iso(e.new_estimate),
                "changed_at": iso(e.changed_at),
            }
            for e in rows
        ]
        for direction, rows in by_pair(snapshot, code).items()
    }
    return detail


def history_document(code: str, changes: list[StatusChange]) -> dict[str, Any]:
    return {"asset": code, "changes": [change_json(c) for c in changes]}


async def status(request: web.Request) -> web.Response:
    snapshot = await current(request)
    return cached(request, snapshot, "status", lambda: status_document(snapshot))


async def asset(request: web.Request) -> web.Response:
    snapshot = await current(request)
    try:
        code = snapshot.asset(request.match_info["code"]).code
    except DomainError as exc:
        return domain_error(exc)
    return cached(request, snapshot, ("asset", code), lambda: asset_document(snapshot, code))


def _limit(request: web.Request, default: int = DEFAULT_HISTORY) -> int:
    raw = request.query.get("limit", str(default))
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(
            "limit_not_a_number", f"limit must be a whole number, got {raw[:20]!r}", value=raw[:20]
        ) from None


async def history(request: web.Request) -> web.Response:
    """From the snapshot when it keeps enough; a longer history is one indexed, bounded query."""
    ctx: WebContext = request.app[CONTEXT]
    snapshot = await current(request)
    try:
        code = snapshot.asset(request.match_info["code"]).code
        limit = _limit(request)
        if not 1 <= limit <= MAX_HISTORY:
            raise InvalidInput("bad_limit", f"limit must be 1 to {MAX_HISTORY}", limit=MAX_HISTORY)
        kept = snapshot.history(code, limit)
        if kept is None:
            changes = await ctx.status.history(code, limit)
            return serve(request, as_json(history_document(code, changes)), vary_language=False)
    except DomainError as exc:
        return domain_error(exc)
    return cached(request, snapshot, ("history", code, limit), lambda: history_document(code, kept))


async def orders(request: web.Request) -> web.Response:
    snapshot = await current(request)
    return cached(
        request, snapshot, "orders", lambda: {"orders": [order_json(o) for o in snapshot.orders]}
    )


async def incidents(request: web.Request) -> web.Response:
    snapshot = await current(request)
    try:
        limit = _limit(request, DEFAULT_INCIDENTS)
        if not 1 <= limit <= MAX_INCIDENTS:
            raise InvalidInput(
                "bad_limit", f"limit must be 1 to {MAX_INCIDENTS}", limit=MAX_INCIDENTS
            )
    except DomainError as exc:
        return domain_error(exc)
    return cached(
        request,
        snapshot,
        ("incidents", limit),
        lambda: {"incidents": [incident_json(i) for i in snapshot.incidents[:limit]]},
    )


async def incident(request: web.Request) -> web.Response:
    ctx: WebContext = request.app[CONTEXT]
    snapshot = await current(request)
    number = int(request.match_info["id"])
    kept = snapshot.incident(number)
    if kept is not None:
        return cached(request, snapshot, ("incident", number), lambda: incident_json(kept))
    try:
        found = await ctx.incidents.get(number)  # older than the snapshot keeps, or none
    except DomainError as exc:
        return domain_error(exc)
    return serve(request, as_json(incident_json(found)), vary_language=False)


async def maintenances(request: web.Request) -> web.Response:
    snapshot = await current(request)
    return cached(
        request,
        snapshot,
        "maintenances",
        lambda: {
            "generated_at": iso(snapshot.built_at),
            "maintenances": [window_json(w) for w in snapshot.active_maintenances],
        },
    )


async def openapi(request: web.Request) -> web.Response:
    return cached(request, await current(request), "openapi", document)
