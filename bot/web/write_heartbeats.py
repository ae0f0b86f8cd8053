"""POST /api/v1/heartbeats/{name}: a wallet node (or its monitor) says it is alive.

A beat is cheap: counted in memory and written with the next batch (`bot.services.beats`), no
event, no alert, nothing the read model rebuilds for; its token is checked and rate-limited in
this process. The body may be empty; a JSON object is accepted and ignored, so monitors that
always send one work.
"""

from __future__ import annotations

from aiohttp import web

from bot.services.tokens import Scope
from bot.web.auth import back_office
from bot.web.intake import created, write


@write(Scope.HEARTBEATS, empty_body=True, per_process=True)
async def beat(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    await back_office(request).beats.beat(name)
    return created({"heartbeat": name}, 200)
