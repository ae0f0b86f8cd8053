"""The way in for every back-office write: a token with the scope, a JSON body of at most 64 KiB,
and an Idempotency-Key honoured.

`write(scope)` wraps a handler that reads `request[BODY]` and answers JSON; a refusal a service
raises becomes a problem+json answer with its own code and texts. The answers are not cached,
set no cookie and carry no CORS header: the writes are for programs, not other sites' pages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from aiohttp import web

from bot.domain import DomainError
from bot.services.idempotency import Answer, fingerprint
from bot.services.tokens import Scope
from bot.web import auth
from bot.web.auth import ACCESS, back_office, requires
from bot.web.problem import PROBLEM_JSON, problem, refusal

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
BODY: web.RequestKey[dict[str, Any]] = web.RequestKey("body", dict)
JSON_TYPES = ("application/json",)
Handler = Callable[[web.Request], Awaitable[web.Response]]


def created(data: Any, status: int = 201) -> web.Response:
    return web.Response(
        body=json.dumps(data, ensure_ascii=False).encode("utf-8"),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )


async def _read(request: web.Request) -> bytes | None:
    """The body, or None when it is over the limit (read no further than that)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return None
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    return None if len(raw) > MAX_BODY_BYTES else raw


def _is_json(request: web.Request) -> bool:
    kind = request.content_type.lower()
    return kind in JSON_TYPES or (kind.startswith("application/") and kind.endswith("+json"))


def write(
    scope: Scope, *, empty_body: bool = False, per_process: bool = False
) -> Callable[[Handler], auth.Handler]:
    """A write with `scope`; `empty_body`: a request without a body is allowed (a beat);
    `per_process`: the token cached and rate-limited in this process (see `auth.requires`)."""

    def wrap(handler: Handler) -> auth.Handler:
        @requires(scope, per_process=per_process)
        @wraps(handler)
        async def taken(request: web.Request) -> web.StreamResponse:
            raw = await _read(request)
            if raw is None:
                return problem(413, "payload_too_large", limit=MAX_BODY_BYTES)
            if not raw.strip() and empty_body:
                data: dict[str, Any] = {}
            elif not _is_json(request):
                return problem(
                    415, "unsupported_media_type", headers={"Accept-Post": "application/json"}
                )
            else:
                try:
                    parsed = json.loads(raw)
                except (ValueError, UnicodeDecodeError):
                    return problem(400, "malformed_json")
                if not isinstance(parsed, dict):
                    return problem(400, "malformed_json")
                data = parsed
            request[BODY] = data
            key = request.headers.get("Idempotency-Key")
            if key is None:
                return await _answer(handler, request)
            return await _once(
                handler, request, key, fingerprint(request.method, request.path, raw)
            )

        return taken

    return wrap


async def _answer(handler: Handler, request: web.Request) -> web.Response:
    try:
        response = await handler(request)
    except DomainError as exc:
        log.info("%s %s refused for %s: %s", request.method, request.path,
                 request[ACCESS].actor, exc)  # fmt: skip
        response = refusal(exc)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _once(handler: Handler, request: web.Request, key: str, print_: str) -> web.Response:
    """The first request with `key` writes and its answer is kept; a repeat gets that answer."""
    office = back_office(request)
    token = request[ACCESS].token
    try:
        kept = await office.idempotency.claim(token.id, key, print_)
    except DomainError as exc:
        return refusal(exc)
    if kept is not None:
        replay = web.Response(
            body=kept.body.encode("utf-8"),
            status=kept.status,
            content_type=PROBLEM_JSON if kept.status >= 400 else "application/json",
            charset="utf-8",
        )
        replay.headers["Idempotent-Replayed"] = "true"
        replay.headers["Cache-Control"] = "no-store"
        return replay
    response = await _answer(handler, request)
    assert isinstance(response.body, bytes)
    await office.idempotency.answer(token.id, key, Answer(response.status, response.body.decode()))
    return response
