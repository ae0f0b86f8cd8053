"""POST /api/v1/heartbeats/{name}: a wallet node (or its monitor) says it is alive.

A beat is cheap: one row updated, no event, no alert, nothing the read model rebuilds for. The
body may be empty; a JSON object is accepted and ignored, so monitors that always send one work.
"""

from __future__ import annotations

from aiohttp import web

from bot.services.tokens import Scope
from bot.web.auth import back_office
from bot.web.intake import created, write


@write(Scope.HEARTBEATS, empty_body=True)
async def beat(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    await back_office(request).heartbeats.beat(name)
    return created({"heartbeat": name}, 200)
