"""POST /api/v1/orders and PATCH /api/v1/orders/{id}: `orders add` and `orders set-status` over
HTTP, through the same service."""

from __future__ import annotations

from aiohttp import web

from bot.domain import InvalidInput, NewOrder, NotFound, OrderAction, OrderStatus, Source
from bot.services.tokens import Scope
from bot.web.api import order_json
from bot.web.auth import ACCESS, back_office
from bot.web.fields import Body, path_id
from bot.web.intake import BODY, created, write

ADD_FIELDS = (
    "issuer", "issuer_en", "action", "issued_on", "report_due", "legal_basis", "url",
    "summary", "summary_en",
)  # fmt: skip
SETTABLE = (OrderStatus.REPORTED, OrderStatus.CLOSED)


@write(Scope.ORDERS)
async def add(request: web.Request) -> web.Response:
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    body = Body(data, ADD_FIELDS)
    action = body.choice("action", OrderAction, required=True)
    issued_on = body.day("issued_on", required=True)
    assert action is not None and issued_on is not None
    new = NewOrder(
        issuer=body.text("issuer").strip(),
        issuer_en=body.text("issuer_en").strip(),
        action=action,
        issued_on=issued_on,
        legal_basis=body.text("legal_basis").strip(),
        report_due=body.day("report_due"),
        url=body.text("url").strip(),
        summary_ja=body.text("summary").strip(),
        summary_en=body.text("summary_en").strip(),
    )
    order, event = await office.orders.add(new, actor=request[ACCESS].actor, source=Source.API)
    return created({"event_id": event.id, "order": order_json(order)})


@write(Scope.ORDERS)
async def set_status(request: web.Request) -> web.Response:
    """`reported` or `closed`; the status it has already is a no-op (200, `changed` false)."""
    office = back_office(request)
    data: dict[str, object] = request[BODY]
    wanted = Body(data, ("status",)).choice("status", OrderStatus, required=True)
    if wanted not in SETTABLE:
        raise InvalidInput(
            "bad_field", "status must be reported or closed",
            field="status", expected=" | ".join(s.value for s in SETTABLE),
        )  # fmt: skip
    order_id = path_id(request, lambda given: NotFound("order", given))
    before = await office.orders.get(order_id)
    if before.status is wanted:
        return created({"changed": False, "order": order_json(before)}, 200)
    after = await office.orders.set_status(order_id, wanted, actor=request[ACCESS].actor)
    return created({"changed": True, "order": order_json(after)}, 200)
