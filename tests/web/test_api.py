"""The JSON API: status, one asset in any case, its history, orders, and errors as JSON."""

from __future__ import annotations

from bot.web.context import WebContext
from tests.web.helpers import SEEDED_CODES, Client, reopen


async def test_status_lists_the_eleven_assets_in_order(client: Client) -> None:
    response = await client.get("/api/v1/status")
    assert response.status == 200
    assert response.content_type == "application/json"
    body = await response.json()
    assert [a["code"] for a in body["assets"]] == SEEDED_CODES
    btc = body["assets"][0]
    assert btc["name_ja"] == "ビットコイン" and btc["name_en"] == "Bitcoin"
    for direction in ("deposit", "withdrawal"):
        assert btc[direction]["state"] == "suspended"
        assert btc[direction]["reason"] == "security_incident"
        assert btc[direction]["since"] == "2018-09-16T15:00:00Z"  # 2018-09-17 00:00 JST
        assert btc[direction]["expected_reopen"] is None
    # Japanese text stays readable in the body, not \u-escaped.
    assert "ビットコイン" in await response.text()


async def test_one_asset_in_any_case(client: Client) -> None:
    for given in ("pepecash", "PEPECASH", "PepeCash"):
        response = await client.get(f"/api/v1/assets/{given}")
        assert response.status == 200
        body = await response.json()
        assert body["code"] == "pepecash" and body["name_en"] == "PepeCash"
        assert body["deposit"]["state"] == "suspended"


async def test_unknown_asset_is_a_json_404(client: Client) -> None:
    for path in ("/api/v1/assets/DOGE", "/api/v1/assets/DOGE/history"):
        response = await client.get(path)
        assert response.status == 404
        assert response.content_type == "application/json"
        body = await response.json()
        assert body["error"]["code"] == "unknown_asset"
        assert "DOGE" in body["error"]["message"]


async def test_unknown_api_path_is_a_json_404(client: Client) -> None:
    response = await client.get("/api/v1/nothing")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"


async def test_history_newest_first_with_limit(client: Client, context: WebContext) -> None:
    await context.status.change(reopen("BTC", note="first"))
    response = await client.get("/api/v1/assets/btc/history?limit=3")
    assert response.status == 200
    body = await response.json()
    assert body["asset"] == "BTC"
    changes = body["changes"]
    assert len(changes) == 3
    assert [c["note"] for c in changes[:2]] == ["first", "first"]
    assert {c["direction"] for c in changes[:2]} == {"deposit", "withdrawal"}
    assert changes[0]["old_state"] == "suspended" and changes[0]["new_state"] == "operational"
    assert changes[0]["source"] == "cli"
    assert changes[2]["source"] == "seed" and changes[2]["old_state"] is None
    assert changes[0]["id"] > changes[1]["id"] > changes[2]["id"]
    assert "actor" not in changes[0]  # operators' accounts are not published


async def test_history_rejects_a_bad_limit(client: Client) -> None:
    for limit in ("0", "101", "ten"):
        response = await client.get(f"/api/v1/assets/BTC/history?limit={limit}")
        assert response.status == 400, limit
        assert (await response.json())["error"]["code"] == "invalid_input"


async def test_orders_with_items_and_deadlines(client: Client) -> None:
    body = await (await client.get("/api/v1/orders")).json()
    orders = body["orders"]
    assert [o["issued_on"] for o in orders] == ["2018-03-08", "2018-06-22", "2018-09-25"]
    third = orders[2]
    assert third["issuer"] == "近畿財務局"
    assert third["action"] == "business_improvement"
    assert third["report_due"] == "2018-09-27"
    assert third["status"] == "open"
    assert [i["position"] for i in third["items"]] == [1, 2, 3, 4, 5]
    assert third["items"][1]["text_en"] == "Prevent customer damage from spreading."
    assert orders[0]["report_due"] is None and orders[0]["status"] == "reported"
