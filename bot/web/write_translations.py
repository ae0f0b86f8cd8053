"""POST /api/v1/translations: the English of a text already sent, without an alert, as
`translate status|order|maintenance` and `incidents translate`, through the same service."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.domain import InvalidInput, Source
from bot.services.status import directions
from bot.services.tokens import Scope
from bot.web.api import order_json
from bot.web.auth import ACCESS, back_office
from bot.web.fields import Body
from bot.web.intake import BODY, created, write

KINDS = ("status", "order", "maintenance", "incident_update")
FIELDS = {
    "status": ("kind", "asset", "direction", "note_en"),
    "order": ("kind", "id", "summary_en", "issuer_en"),
    "maintenance": ("kind", "id", "note_en"),
    "incident_update": ("kind", "id", "message_en", "title_en"),
}


@write(Scope.TRANSLATIONS)
async def translate(request: web.Request) -> web.Response:
    office = back_office(request)
    data: dict[str, Any] = request[BODY]
    kind = data.get("kind")
    if kind not in KINDS:
        raise InvalidInput(
            "bad_field", "kind must be status, order, maintenance or incident_update",
            field="kind", expected=" | ".join(KINDS),
        )  # fmt: skip
    body = Body(data, FIELDS[kind])
    actor, service = request[ACCESS].actor, office.translations
    if kind == "status":
        pairs = await service.translate_status(
            body.text("asset", required=True),
            directions(body.text("direction", required=True)),
            body.text("note_en"),
            actor=actor,
            source=Source.API,
        )
        done: dict[str, Any] = {
            "pairs": [{"asset": a, "direction": d.value} for a, d in pairs],
        }
    elif kind == "order":
        order = await service.translate_order(
            body.integer("id"),
            body.text("summary_en") if body.has("summary_en") else None,
            body.text("issuer_en") if body.has("issuer_en") else None,
            actor=actor,
            source=Source.API,
        )
        done = {"order": order_json(order)}
    elif kind == "maintenance":
        number = body.integer("id")
        await service.translate_maintenance(
            number, body.text("note_en"), actor=actor, source=Source.API
        )
        done = {"maintenance_id": number}
    else:
        update = await office.incidents.translate(
            body.integer("id"),
            body.text("message_en"),
            actor=actor,
            source=Source.API,
            title_en=body.text("title_en"),
        )
        done = {"incident_id": update.incident_id, "update_id": update.id}
    return created({"kind": kind, "alert": False, **done}, 200)
