"""GET /api/v1/reports/notifications: the notification report over HTTP, for the `reports` scope.

The same report as the CLI's `report` and Discord's `/operator report`: counts only, never who.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.domain import DomainError, InvalidInput
from bot.i18n import Lang
from bot.services.report import period
from bot.services.report.formats import to_csv, to_json
from bot.services.report.html import to_html
from bot.services.tokens import Scope
from bot.web.auth import back_office, requires
from bot.web.openapi_parts import json_body, ref
from bot.web.problem import refusal

FORMATS = {"json": "application/json", "csv": "text/csv", "html": "text/html"}
PATH = "/api/v1/reports/notifications"


def _asked(request: web.Request, name: str, allowed: tuple[str, ...] = ()) -> str:
    value = request.query.get(name, "").strip()
    if not value or (allowed and value not in allowed):
        expected = " | ".join(allowed) if allowed else "YYYY-MM-DD or YYYY-MM-DD HH:MM (JST)"
        raise InvalidInput("bad_field", f"{name}: expected {expected}", field=name,
                           expected=expected)  # fmt: skip
    return value


@requires(Scope.REPORTS)
async def notifications(request: web.Request) -> web.StreamResponse:
    office = back_office(request)
    try:
        start, end = period(_asked(request, "from"), _asked(request, "to"), office.zone)
        fmt = (request.query.get("format") and _asked(request, "format", tuple(FORMATS))) or "json"
        lang = Lang((request.query.get("lang") and _asked(request, "lang", ("ja", "en"))) or "ja")
        report = await office.report.notifications(start, end, lang, office.zone)
    except DomainError as exc:
        return refusal(exc)
    if fmt == "json":
        text = json.dumps(to_json(report), ensure_ascii=False)
    elif fmt == "csv":
        text = to_csv(report, office.zone)
    else:
        text = to_html(report, office.zone)
    response = web.Response(text=text, content_type=FORMATS[fmt], charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema}


def paths(refusals: dict[str, Any], security_scheme: str) -> dict[str, Any]:
    """The route's entry in the OpenAPI document, with the back office's refusals."""
    when = {"type": "string", "minLength": 1}
    return {
        PATH: {
            "get": {
                "summary": "The notification report of a period (as `report`): counts, never who",
                "description": "Needs a token with the `reports` scope.",
                "operationId": "getNotificationReport",
                "security": [{security_scheme: [Scope.REPORTS.value]}],
                "parameters": [
                    {**_query("from", "start, a JST date or time", when), "required": True},
                    {**_query("to", "end; a date alone includes that day", when), "required": True},
                    _query(
                        "format",
                        "json (default), csv or html",
                        {"type": "string", "enum": list(FORMATS)},
                    ),
                    _query(
                        "lang",
                        "the words' language, ja (default) or en",
                        {"type": "string", "enum": ["ja", "en"]},
                    ),
                ],
                "responses": {
                    "200": {
                        **json_body(ref("NotificationReport"), "The report"),
                        "content": {
                            "application/json": {"schema": ref("NotificationReport")},
                            "text/csv": {"schema": {"type": "string"}},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    **{k: v for k, v in refusals.items() if k in ("401", "403", "422", "429")},
                },
            }
        }
    }
