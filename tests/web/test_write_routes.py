"""The write routes as HTTP sees them, before any token: the methods each allows, a read of a
write-only address, and a write where there is none."""

from __future__ import annotations

from tests.web.helpers import Client


async def test_a_write_only_address_names_its_own_methods(client: Client) -> None:
    response = await client.get("/api/v1/status/changes")
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    patch_only = await client.get("/api/v1/orders/3")
    assert patch_only.status == 405 and patch_only.headers["Allow"] == "PATCH"
    read = await client.post("/api/v1/status", json={})
    assert read.status == 405 and read.headers["Allow"] == "GET, HEAD"


async def test_a_write_where_there_is_none_is_a_problem(client: Client) -> None:
    response = await client.post("/api/v1/nowhere", json={})
    assert response.status == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = await response.json(content_type=None)
    assert body["code"] == "not_found" and body["detail_ja"] and body["detail_en"]
    assert "Access-Control-Allow-Origin" not in response.headers
