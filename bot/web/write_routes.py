"""The back office's write routes, and the problem answer for a write that found no route."""

from __future__ import annotations

from aiohttp import web

from bot.web import (
    read_deliveries,
    read_reports,
    write_heartbeats,
    write_incidents,
    write_maintenance,
    write_orders,
    write_status,
    write_translations,
)
from bot.web.problem import problem

PROBLEM_CODES = {404: "not_found"}


def add_write_routes(routes: web.UrlDispatcher) -> None:
    routes.add_post("/api/v1/status/changes", write_status.change)
    routes.add_post("/api/v1/incidents", write_incidents.open_incident)
    routes.add_post(r"/api/v1/incidents/{id:\d+}/updates", write_incidents.post_update)
    routes.add_post("/api/v1/maintenances", write_maintenance.schedule)
    routes.add_patch(r"/api/v1/maintenances/{id:\d+}", write_maintenance.extend)
    routes.add_post(r"/api/v1/maintenances/{id:\d+}/cancel", write_maintenance.cancel)
    routes.add_post("/api/v1/orders", write_orders.add)
    routes.add_patch(r"/api/v1/orders/{id:\d+}", write_orders.set_status)
    routes.add_post("/api/v1/translations", write_translations.translate)
    routes.add_post("/api/v1/heartbeats/{name}", write_heartbeats.beat)
    routes.add_get(read_reports.PATH, read_reports.notifications)
    routes.add_get(read_deliveries.LATEST, read_deliveries.fan_out)
    routes.add_get(read_deliveries.ONE, read_deliveries.fan_out)


def write_error(status: int) -> web.Response:
    """A write's error outside any handler (no such thing, a crash): problem+json too."""
    code = PROBLEM_CODES.get(status, "server_error")
    return problem(status if status in PROBLEM_CODES else 500, code)
