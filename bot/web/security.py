"""Locked-down HTTP: GET and HEAD, writes only under /api/v1/ (with a bearer token, see
bot.web.auth), and security headers on every response."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

log = logging.getLogger(__name__)

ALLOWED_METHODS = frozenset({"GET", "HEAD"})
# The back office's writes: only under this prefix, and the routes themselves say which.
WRITE_METHODS = frozenset({"POST", "PATCH"})
WRITE_PREFIX = "/api/v1/"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


@web.middleware
async def read_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Nothing but the API's writes changes anything: every other method is refused before
    routing."""
    writing = request.method in WRITE_METHODS and request.path.startswith(WRITE_PREFIX)
    if request.method not in ALLOWED_METHODS and not writing:
        raise web.HTTPMethodNotAllowed(request.method, sorted(ALLOWED_METHODS))
    return await handler(request)


# Public, read-only data without credentials: other sites' scripts may read it.
SHARED_PREFIXES = ("/api/", "/feed.atom")


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Runs for every response, errors and static files included, just before headers go out."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    # Reads only: a write is for programs, never for another site's script (no CORS).
    if request.method in ALLOWED_METHODS and request.path.startswith(SHARED_PREFIXES):
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
