"""GET /api/v1/reports/notifications: the notification report for a token with `reports`, in
each format, the same figures as the service's, no identity in it; refusals as problems."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.clock import JST
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.i18n import Lang
from bot.services.report import period
from bot.services.report.formats import to_json
from bot.web.openapi import document
from tests.web.back_office import Live, live_service

PATH = "api/v1/reports/notifications"


async def get(live: Live, query: str, token: str | None) -> tuple[int, str, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with live.http.get(f"{live.url}{PATH}?{query}", headers=headers) as response:
        return response.status, response.content_type, await response.text()


def schema(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}", "components": document()["components"]}


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_a_reports_token_reads_the_report_in_each_format(engine: str, tmp_path: Path) -> None:
    async with live_service(engine, tmp_path) as live:
        await live.app.services.status.change(
            StatusRequest(
                targets=(Target("BTC", Direction.DEPOSIT, State.DELAYED),),
                reason=Reason.NETWORK_CONGESTION,
                note="入金反映が遅れています",
                actor="ops",
                source=Source.CLI,
            )
        )
        token = await live.token("regulator-desk", ["reports"])
        today = datetime.now(JST).date()
        since = (today - timedelta(days=2)).isoformat()
        query = f"from={since}&to={today.isoformat()}"

        status, kind, text = await get(live, query, token)
        assert (status, kind) == (200, "application/json")
        report = json.loads(text)
        jsonschema.validate(report, schema("NotificationReport"))
        service = live.app.services.report
        begin, until = period(since, today.isoformat(), JST)
        expected = to_json(await service.notifications(begin, until, Lang.JA, JST))
        assert report.pop("generated_at") and expected.pop("generated_at")
        assert report == expected
        assert any(e["kind"] == "status" for e in report["events"])

        status, kind, text = await get(live, query + "&format=csv&lang=en", token)
        assert (status, kind) == (200, "text/csv")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(report["events"])

        status, kind, text = await get(live, query + "&format=html", token)
        assert (status, kind) == (200, "text/html")
        assert text.lstrip().lower().startswith("<!doctype html") and "<table" in text


async def test_no_token_the_wrong_scope_and_bad_queries_are_problems(tmp_path: Path) -> None:
    async with live_service("sqlite", tmp_path) as live:
        writer = await live.token("wallet-monitor", ["status"])
        reader = await live.token("regulator-desk", ["reports"])
        status, _, _ = await get(live, "from=2018-09-01&to=2018-10-01", None)
        assert status == 401
        status, kind, text = await get(live, "from=2018-09-01&to=2018-10-01", writer)
        assert (status, kind) == (403, "application/problem+json") and "reports" in text
        for query in ("to=2018-10-01", "from=2018-09-01&to=yesterday",
                      "from=2018-09-01&to=2018-10-01&format=pdf", "from=2018-01-01&to=2019-06-01",
                      "from=2018-10-01&to=2018-09-01"):  # fmt: skip
            status, kind, _ = await get(live, query, reader)
            assert (status, kind) == (422, "application/problem+json"), query
