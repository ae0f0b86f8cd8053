"""Bearer tokens on HTTP: who is asking, with which scopes, within its rate.

`requires(scope)` wraps any handler (the back office's writes, and later reads such as reports):
a missing, unknown or revoked token gets the same 401, a token without the scope a 403 naming
it, a token past its rate a 429 with Retry-After. The handler finds the token in
`request[ACCESS]`. The token itself is never logged. With `per_process` (beats) the token comes
from the process's short cache and its rate is counted in the process's memory: the same
answers, without a database write per request.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from functools import wraps

from aiohttp import web

from bot.services.tokens import Access, Scope
from bot.web.back_office import BackOffice
from bot.web.keys import CONTEXT
from bot.web.problem import problem

log = logging.getLogger(__name__)

ACCESS = web.RequestKey("access", Access)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def back_office(request: web.Request) -> BackOffice:
    office = request.app[CONTEXT].back_office
    if office is None:
        raise web.HTTPNotFound()  # writes are off in this process
    return office


def bearer(request: web.Request) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def unauthorized() -> web.Response:
    return problem(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})


def requires(scope: Scope, *, per_process: bool = False) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            office = back_office(request)
            secret = bearer(request)
            look_up = office.tokens.quick_access if per_process else office.tokens.access
            access = None if secret is None else await look_up(secret)
            if access is None:
                return unauthorized()
            if scope.value not in access.token.scopes:
                log.warning(
                    "token %s lacks scope %s for %s", access.token.name, scope, request.path
                )
                return problem(403, "missing_scope", scope=scope.value)
            if not access.allowed:
                wait = max(1, math.ceil(access.retry_after))
                return problem(
                    429, "rate_limited", headers={"Retry-After": str(wait)}, retry_after=wait
                )
            request[ACCESS] = access
            return await handler(request)

        return checked

    return wrap
