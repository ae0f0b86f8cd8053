"""POST /api/v1/maintenances, PATCH /api/v1/maintenances/{id} and POST .../{id}/cancel:
`maintenance schedule`, `extend` and `cancel` over HTTP, through the same service."""

from __future__ import annotations

from aiohttp import web

from bot.domain import InvalidInput, NewMaintenance, NotFound, Reason, Source
from bot.services.tokens import Scope
from bot.web.auth import ACCESS, back_office
from bot.web.fields import Body, path_id
from bot.web.intake import BODY, created, write
from bot.web.maintenance import window_json

SCHEDULE_FIELDS = ("assets", "direction", "starts", "ends", "reason", "note", "note_en")
DIRECTIONS = ("deposit", "withdrawal", "both")


@write(Scope.MAINTENANCE)
async def schedule(request: web.Request) -> web.Response:
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    body = Body(data, SCHEDULE_FIELDS)
    given = body.names("assets")
    direction = body.text("direction", required=True)
    if direction not in DIRECTIONS:
        raise InvalidInput(
            "bad_field", "direction must be deposit, withdrawal or both",
            field="direction", expected=" | ".join(DIRECTIONS),
        )  # fmt: skip
    starts = body.moment("starts", office.zone, required=True)
    ends = body.moment("ends", office.zone, required=True)
    reason = body.choice("reason", Reason, required=True)
    assert starts is not None and ends is not None and reason is not None
    selection = await office.maintenance.parse_assets(
        given if isinstance(given, str) else ",".join(given or ())
    )
    window, event = await office.maintenance.schedule(
        NewMaintenance(
            assets=selection.codes,
            direction=direction,
            starts_at=starts,
            ends_at=ends,
            reason=reason,
            note_ja=body.text("note"),
            note_en=body.text("note_en"),
            all_assets=selection.all,
        ),
        actor=request[ACCESS].actor,
        source=Source.API,
    )
    return created({"event_id": event.id, "maintenance": window_json(window)})


@write(Scope.MAINTENANCE)
async def extend(request: web.Request) -> web.Response:
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    ends = Body(data, ("ends",)).moment("ends", office.zone, required=True)
    assert ends is not None
    window, event = await office.maintenance.extend(
        path_id(request, lambda given: NotFound("maintenance", given)),
        ends,
        actor=request[ACCESS].actor,
        source=Source.API,
    )
    return created({"event_id": event.id, "maintenance": window_json(window)}, 200)


@write(Scope.MAINTENANCE, empty_body=True)
async def cancel(request: web.Request) -> web.Response:
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    Body(data, ())
    window, event = await office.maintenance.cancel(
        path_id(request, lambda given: NotFound("maintenance", given)),
        actor=request[ACCESS].actor,
        source=Source.API,
    )
    return created({"event_id": event.id, "maintenance": window_json(window)}, 200)
