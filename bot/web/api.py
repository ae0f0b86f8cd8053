"""The JSON API (/api/v1/...): read-only views of status, history and orders.

Everything is rendered from the snapshot once per variant and served as bytes (`bot.web.cache`);
only an asset's history longer than the snapshot keeps is read from the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

from aiohttp import web

from bot.domain import Asset, AssetStatus, Direction, DomainError, InvalidInput, Order, StatusChange
from bot.services.snapshot import Snapshot, by_pair
from bot.services.status import MAX_HISTORY
from bot.web.cache import Rendered, serve
from bot.web.context import WebContext
from bot.web.keys import CONTEXT, RENDERED
from bot.web.openapi import document

DEFAULT_HISTORY = 20
JSON = "application/json; charset=utf-8"

_dumps = partial(json.dumps, ensure_ascii=False)


def reply(data: Any, status: int = 200) -> web.Response:
    """JSON with Japanese kept readable (UTF-8, not \\u escapes)."""
    return web.json_response(data, status=status, dumps=_dumps)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def direction_json(row: AssetStatus | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "state": row.state.value,
        "reason": row.reason.value,
        "note": row.note,
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
        "source": change.source.value,
        "changed_at": iso(change.changed_at),
        "expected_reopen": iso(change.expected_reopen),
    }


def order_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "slug": order.slug,
        "issuer": order.issuer,
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


def error_response(status: int, code: str, message: str) -> web.Response:
    return reply({"error": {"code": code, "message": message}}, status)


def domain_error(exc: DomainError) -> web.Response:
    status = 400 if isinstance(exc, InvalidInput) else 404
    return error_response(status, exc.code, str(exc))


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


def status_document(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "generated_at": iso(snapshot.built_at),
        "assets": [asset_json(a, snapshot.current) for a in snapshot.assets],
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


def _limit(request: web.Request) -> int:
    raw = request.query.get("limit", str(DEFAULT_HISTORY))
    try:
        limit = int(raw)
    except ValueError:
        raise InvalidInput(f"limit must be a whole number, got {raw[:20]!r}") from None
    if not 1 <= limit <= MAX_HISTORY:
        raise InvalidInput(f"limit must be 1 to {MAX_HISTORY}", limit=limit)
    return limit


async def history(request: web.Request) -> web.Response:
    """From the snapshot when it keeps enough; a longer history is one indexed, bounded query."""
    ctx: WebContext = request.app[CONTEXT]
    snapshot = await current(request)
    try:
        code = snapshot.asset(request.match_info["code"]).code
        limit = _limit(request)
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


async def openapi(request: web.Request) -> web.Response:
    return cached(request, await current(request), "openapi", document)
