"""The back office's write routes, and the problem answer for a write that found no route."""

from __future__ import annotations

from aiohttp import web

from bot.web import write_status
from bot.web.problem import problem

PROBLEM_CODES = {404: "not_found"}


def add_write_routes(routes: web.UrlDispatcher) -> None:
    routes.add_post("/api/v1/status/changes", write_status.change)


def write_error(status: int) -> web.Response:
    """A write's error outside any handler (no such thing, a crash): problem+json too."""
    code = PROBLEM_CODES.get(status, "server_error")
    return problem(status if status in PROBLEM_CODES else 500, code)
