"""Every back-office write against the running service, on SQLite and on PostgreSQL, mirroring
its CLI command: what it writes, and each refusal of the CLI's tests in its HTTP form (status,
problem+json, the service's code, both languages), with nothing written by a refusal."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import utcnow
from bot.domain import Source
from tests.web.back_office import Live, live_service

JAPANESE = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u4e00-\u9fff]")
ALL_SCOPES = ["status", "incidents", "maintenance", "orders", "translations"]
ORDER = {"issuer": "近畿財務局", "action": "business_improvement", "issued_on": "2026-11-20"}


def jst(moment: datetime) -> str:
    return (moment + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M")


async def events(live: Live) -> int:
    return await live.app.db.repos.events.count()


async def refused(
    live: Live, token: str, method: str, path: str, body: Any, status: int, code: str
) -> None:
    before = await events(live)
    got, document, headers = await live.post(path, body, token=token, method=method)
    assert (got, document.get("code")) == (status, code), (path, body, document)
    assert headers["Content-Type"].startswith("application/problem+json")
    assert document["status"] == status and document["type"].endswith(code)
    assert JAPANESE.search(document["detail_ja"]), document
    assert not JAPANESE.search(document["detail_en"]) and document["detail_en"]
    assert await events(live) == before, f"{path} {body} wrote an event"


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_every_write_and_every_cli_refusal_over_http(engine: str, tmp_path: Path) -> None:
    async with live_service(engine, tmp_path, rate_per_second=1000, burst=1000) as live:
        token = await live.token("incident-desk", ALL_SCOPES)
        post = live.post

        # Incidents: open, update, resolve (as `incidents open|update|resolve`).
        opened = await post(
            "api/v1/incidents",
            {"title": "MONA入金の遅延", "message": "調査中です。", "assets": ["mona"]},
            token=token,
        )
        assert opened[0] == 201, opened[1]
        number = opened[1]["incident"]["id"]
        assert opened[1]["incident"]["assets"] == ["MONA"]
        updates = f"api/v1/incidents/{number}/updates"
        step = await post(
            updates, {"stage": "identified", "message": "原因が判明しました。"}, token=token
        )
        assert step[0] == 201 and step[1]["incident"]["stage"] == "identified"
        done = await post(updates, {"stage": "resolved", "message": "解決しました。"}, token=token)
        assert done[0] == 201 and done[1]["incident"]["stage"] == "resolved"
        update_id = done[1]["incident"]["updates"][-1]["id"]
        incident = await live.app.services.incidents.get(number)
        assert {u.actor for u in incident.updates} == {"api:incident-desk"}
        assert {u.source for u in incident.updates} == {Source.API}
        for body, status, code in [
            ({"stage": "monitoring", "message": "続報"}, 409, "incident_closed"),
            ({"stage": "resolved", "message": "再び"}, 409, "incident_already_resolved"),
            ({"stage": "closed", "message": "x"}, 422, "bad_field"),
        ]:
            await refused(live, token, "POST", updates, body, status, code)
        await refused(
            live,
            token,
            "POST",
            "api/v1/incidents/42/updates",
            {"stage": "identified", "message": "続報"},
            404,
            "unknown_incident",
        )
        await refused(
            live,
            token,
            "POST",
            "api/v1/incidents/1/updates",
            {"stage": "identified", "message": "あ" * 2001},
            422,
            "message_too_long",
        )
        await refused(
            live,
            token,
            "POST",
            "api/v1/incidents",
            {"title": "件名", "message": "x" * 2001},
            422,
            "message_too_long",
        )
        await refused(
            live,
            token,
            "POST",
            "api/v1/incidents",
            {"title": "件名", "message": "本文", "assets": ["DOGE"]},
            422,
            "unknown_asset",
        )
        await refused(
            live, token, "POST", "api/v1/incidents", {"message": "本文"}, 422, "title_empty"
        )

        # Maintenance: schedule, extend, cancel.
        starts = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
        window: dict[str, Any] = {
            "assets": ["btc", "MONA"],
            "direction": "both",
            "starts": jst(starts),
            "ends": jst(starts + timedelta(hours=2)),
            "reason": "network_upgrade",
        }
        scheduled = await post("api/v1/maintenances", window, token=token)
        assert scheduled[0] == 201, scheduled[1]
        wid = scheduled[1]["maintenance"]["id"]
        assert scheduled[1]["maintenance"]["assets"] == ["BTC", "MONA"]
        later = {"ends": (starts + timedelta(hours=3)).isoformat()}
        extended = await post(f"api/v1/maintenances/{wid}", later, token=token, method="PATCH")
        assert extended[0] == 200, extended[1]
        assert extended[1]["maintenance"]["ends_at"].startswith(
            (starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        )
        windows: list[tuple[dict[str, Any], int, str]] = [
            (
                {
                    **window,
                    "starts": jst(starts + timedelta(hours=5)),
                    "ends": jst(starts + timedelta(hours=4)),
                },
                422,
                "maintenance_ends_before_start",
            ),
            (
                {
                    **window,
                    "starts": jst(utcnow() - timedelta(minutes=10)),
                    "ends": jst(utcnow() + timedelta(hours=1)),
                },
                422,
                "maintenance_starts_in_past",
            ),
            (
                {**window, "assets": ["mona"], "starts": jst(starts + timedelta(hours=1))},
                409,
                "maintenance_overlap",
            ),
            ({**window, "assets": ["xem"]}, 422, "unknown_asset"),
            ({**window, "direction": "sideways"}, 422, "bad_field"),
        ]
        for body, status, code in windows:
            await refused(live, token, "POST", "api/v1/maintenances", body, status, code)
        await refused(
            live,
            token,
            "PATCH",
            f"api/v1/maintenances/{wid}",
            {"ends": jst(starts)},
            422,
            "maintenance_extend_not_later",
        )
        await refused(
            live, token, "POST", "api/v1/maintenances/9/cancel", None, 404, "maintenance_not_found"
        )
        huge = f"api/v1/maintenances/{2**64}/cancel"  # past any id an engine stores
        await refused(live, token, "POST", huge, None, 404, "maintenance_not_found")
        cancelled = await post(f"api/v1/maintenances/{wid}/cancel", None, token=token)
        assert cancelled[0] == 200 and cancelled[1]["maintenance"]["state"] == "cancelled"
        await refused(
            live,
            token,
            "POST",
            f"api/v1/maintenances/{wid}/cancel",
            None,
            409,
            "maintenance_not_active",
        )

        # Orders: add, set-status.
        added = await post(
            "api/v1/orders",
            {**ORDER, "report_due": "2026-11-27", "summary": "業務改善命令"},
            token=token,
        )
        assert added[0] == 201, added[1]
        oid = added[1]["order"]["id"]
        marked = await post(
            f"api/v1/orders/{oid}", {"status": "reported"}, token=token, method="PATCH"
        )
        assert (
            marked[0] == 200 and marked[1]["changed"] and marked[1]["order"]["status"] == "reported"
        )
        for body, code in [
            ({**ORDER, "url": "http://lfb.mof.go.jp/kinki/x.html"}, "order_url_not_https"),
            ({**ORDER, "issuer": "局" * 101}, "issuer_length"),
            ({**ORDER, "summary": "あ" * 1001}, "summary_too_long"),
            ({**ORDER, "report_due": "2026-11-19"}, "report_due_before_issued"),
            ({**ORDER, "action": "fine"}, "bad_field"),
            ({**ORDER, "issued_on": "someday"}, "bad_date"),
            ({"issuer": "x"}, "bad_field"),
        ]:
            await refused(live, token, "POST", "api/v1/orders", body, 422, code)
        await refused(
            live, token, "PATCH", f"api/v1/orders/{oid}", {"status": "open"}, 422, "bad_field"
        )
        await refused(
            live, token, "PATCH", "api/v1/orders/99", {"status": "reported"}, 404, "order_not_found"
        )

        # Translations: no alert, so no event.
        before = await events(live)
        for body in [
            {"kind": "status", "asset": "BTC", "direction": "both", "note_en": "Halted."},
            {"kind": "order", "id": oid, "summary_en": "Business improvement order"},
            {"kind": "incident_update", "id": update_id, "message_en": "Resolved."},
        ]:
            got = await post("api/v1/translations", body, token=token)
            assert got[0] == 200 and got[1]["alert"] is False, got[1]
        assert await events(live) == before
        assert (await live.app.services.incidents.get_update(update_id)).message_en == "Resolved."
        cases: list[tuple[dict[str, Any], int, str]] = [
            (
                {"kind": "status", "asset": "DOGE", "direction": "both", "note_en": "x"},
                422,
                "unknown_asset",
            ),
            (
                {"kind": "status", "asset": "BTC", "direction": "sideways", "note_en": "x"},
                422,
                "unknown_direction",
            ),
            (
                {"kind": "status", "asset": "BTC", "direction": "both", "note_en": "x" * 501},
                422,
                "note_too_long",
            ),
            ({"kind": "order", "id": 999, "summary_en": "x"}, 404, "order_not_found"),
            ({"kind": "order", "id": 1}, 422, "nothing_to_translate"),
            ({"kind": "maintenance", "id": 9, "note_en": "x"}, 404, "maintenance_not_found"),
            (
                {"kind": "incident_update", "id": 99, "message_en": "x"},
                404,
                "unknown_incident_update",
            ),
            ({"kind": "poem"}, 422, "bad_field"),
        ]
        for body, status, code in cases:
            await refused(live, token, "POST", "api/v1/translations", body, status, code)

        # A token without the scope is refused before anything is read.
        status_only = await live.token("status-only", ["status"])
        await refused(live, status_only, "POST", "api/v1/orders", ORDER, 403, "missing_scope")
