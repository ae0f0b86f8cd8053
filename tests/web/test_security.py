"""Every response carries the security headers; nothing but GET and HEAD is served."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from bot.web.context import WebContext
from bot.web.security import CONTENT_SECURITY_POLICY
from tests.web.helpers import Client

PATHS = [
    "/",
    "/?lang=en",
    "/api/v1/status",
    "/api/v1/assets/BTC",
    "/api/v1/assets/BTC/history",
    "/api/v1/assets/nope",
    "/api/v1/orders",
    "/api/v1/openapi.json",
    "/feed.atom",
    "/healthz",
    "/metrics",
    "/static/style.css",
    "/no-such-page",
]


def assert_locked_down(headers: Mapping[str, str], path: str) -> None:
    get = headers.get
    assert get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, path
    assert get("X-Content-Type-Options") == "nosniff", path
    assert get("X-Frame-Options") == "DENY", path
    assert get("Referrer-Policy") == "no-referrer", path


async def test_policy_is_strict() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives == {
        "default-src": "'none'",
        "style-src": "'self'",
        "img-src": "'self'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }


@pytest.mark.parametrize("path", PATHS)
async def test_headers_on_every_response(client: Client, path: str) -> None:
    response = await client.get(path)
    assert response.status in (200, 404)
    assert_locked_down(response.headers, path)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/api/v1/status", "/api/v1/assets/BTC", "/nowhere"])
async def test_only_get_and_head(
    client: Client, context: WebContext, method: str, path: str
) -> None:
    before = await context.status.history(None, 100)
    response = await client.request(
        method, path, json={"state": "operational", "asset": "BTC", "direction": "deposit"}
    )
    assert response.status == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert_locked_down(response.headers, path)
    if path.startswith("/api/"):
        assert (await response.json())["error"]["code"] == "method_not_allowed"
    assert await context.status.history(None, 100) == before


async def test_api_and_feed_are_readable_from_other_sites(client: Client) -> None:
    for path in ("/api/v1/status", "/feed.atom"):
        response = await client.get(path)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    page = await client.get("/")
    assert "Access-Control-Allow-Origin" not in page.headers
