"""POST /api/v1/incidents and POST /api/v1/incidents/{id}/updates: `incidents open`, `update` and
`resolve` over HTTP, through the same service."""

from __future__ import annotations

from aiohttp import web

from bot.domain import Impact, IncidentStage, NewIncident, Source
from bot.services.tokens import Scope
from bot.web.api import incident_json
from bot.web.auth import ACCESS, back_office
from bot.web.fields import Body
from bot.web.intake import BODY, created, write

OPEN_FIELDS = ("title", "message", "impact", "assets", "title_en", "message_en")
UPDATE_FIELDS = ("stage", "message", "message_en")


@write(Scope.INCIDENTS)
async def open_incident(request: web.Request) -> web.Response:
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    body = Body(data, OPEN_FIELDS)
    given = body.names("assets", required=False) or "all"
    new = NewIncident(
        title_ja=body.text("title"),
        title_en=body.text("title_en"),
        message_ja=body.text("message"),
        message_en=body.text("message_en"),
        impact=body.choice("impact", Impact) or Impact.MAJOR,
        assets=(
            await office.incidents.parse_assets(
                given if isinstance(given, str) else ",".join(given)
            )
        ).named,
    )
    incident, event = await office.incidents.open(
        new, actor=request[ACCESS].actor, source=Source.API
    )
    return created({"event_id": event.id, "incident": incident_json(incident)})


@write(Scope.INCIDENTS)
async def post_update(request: web.Request) -> web.Response:
    """An update at any stage; `resolved` resolves (as `incidents resolve`)."""
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    body = Body(data, UPDATE_FIELDS)
    stage = body.choice("stage", IncidentStage, required=True)
    assert stage is not None
    incident, event = await office.incidents.update(
        int(request.match_info["id"]),
        stage,
        body.text("message"),
        body.text("message_en"),
        actor=request[ACCESS].actor,
        source=Source.API,
    )
    return created({"event_id": event.id, "incident": incident_json(incident)})
