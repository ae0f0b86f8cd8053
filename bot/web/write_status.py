"""POST /api/v1/status/changes: `status set` over HTTP, through the same service."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.domain import Direction, InvalidInput, Reason, Source, State, StatusRequest, Target
from bot.services.status import ChangeResult
from bot.services.tokens import Scope
from bot.web.api import iso
from bot.web.auth import ACCESS, back_office
from bot.web.fields import Body
from bot.web.intake import BODY, created, write

FIELDS = ("assets", "deposit", "withdrawal", "reason", "note", "note_en", "expected_reopen")


def result_json(result: ChangeResult) -> dict[str, Any]:
    return {
        "event_id": result.event.id if result.event else None,
        "deliveries": result.deliveries,
        "changes": [
            {
                "asset": c.asset,
                "direction": c.direction.value,
                "old_state": c.old_state.value if c.old_state else None,
                "new_state": c.new_state.value,
            }
            for c in result.changes
        ],
        "estimates": [
            {
                "asset": e.asset,
                "direction": e.direction.value,
                "old_estimate": iso(e.old),
                "new_estimate": iso(e.new),
            }
            for e in result.estimates
        ],
    }


@write(Scope.STATUS)
async def change(request: web.Request) -> web.Response:
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    body = Body(data, FIELDS)
    given = body.names("assets")
    wanted = [
        (Direction.DEPOSIT, body.choice("deposit", State)),
        (Direction.WITHDRAWAL, body.choice("withdrawal", State)),
    ]
    reason = body.choice("reason", Reason, required=True)
    assert reason is not None
    note, note_en = body.text("note"), body.text("note_en")
    reopen = body.moment("expected_reopen", office.zone)
    if all(state is None for _, state in wanted):
        raise InvalidInput(
            "status_set_needs_state", "give deposit, withdrawal or both"
        )  # the CLI's own rule
    codes: list[str] = []
    for name in ["all"] if given == "all" else list(given or ()):
        codes.extend(c for c in await office.status.codes(name) if c not in codes)
    targets = tuple(
        Target(code, direction, state)
        for code in codes
        for direction, state in wanted
        if state is not None
    )
    result = await office.status.change(
        StatusRequest(
            targets=targets,
            reason=reason,
            note=note,
            note_en=note_en,
            actor=request[ACCESS].actor,
            source=Source.API,
            expected_reopen=reopen,
        )
    )
    return created(result_json(result), 200 if result.noop else 201)
