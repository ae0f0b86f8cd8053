"""GET /api/v1/deliveries[/{event}]: how far a fan-out has got, for the `reports` scope.

The figures of the operators' progress message, `/operator delivery` and the CLI's `deliveries`:
reached per lane, failures by reason, queued, the rate and the time to the last recipient.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.clock import utcnow
from bot.domain import DomainError, InvalidInput
from bot.services.progress import REASONS, figures, progress
from bot.services.tokens import Scope
from bot.web.auth import back_office, requires
from bot.web.fields import MAX_ID
from bot.web.openapi_parts import json_body, ref
from bot.web.problem import problem, refusal

LATEST = "/api/v1/deliveries"
ONE = r"/api/v1/deliveries/{event:\d+}"


@requires(Scope.REPORTS)
async def fan_out(request: web.Request) -> web.StreamResponse:
    named = request.match_info.get("event")
    try:
        event = None if named is None else int(named)
        if event is not None and not 0 < event <= MAX_ID:
            raise InvalidInput("fan_out_not_found", "no such event", given=event)
        counts = await back_office(request).deliveries.counts(event)
    except DomainError as exc:
        return refusal(exc)
    if counts is None:
        return problem(404, "no_fan_out")
    response = web.Response(
        text=json.dumps(figures(progress(counts, utcnow()))),
        content_type="application/json",
        charset="utf-8",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


_COUNT = {"type": "integer", "minimum": 0}
_SECONDS = {"type": ["number", "null"], "minimum": 0}
_LANE = {
    "type": "object",
    "required": ["lane", "reached", "failed", "queued", "held", "merged", "total"],
    "additionalProperties": False,
    "properties": {
        "lane": {"enum": ["operators", "channels", "critical_dms", "dms", "webhooks"]},
        **{name: _COUNT for name in ("reached", "failed", "queued", "held", "merged", "total")},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A fan-out's progress: the figures of the operators' progress message",
    "required": (
        "event_id done reached total queued held merged failed failures lanes elapsed_seconds"
        " rate_per_second eta_seconds"
    ).split(),
    "additionalProperties": False,
    "properties": {
        "event_id": {"type": "integer", "minimum": 1},
        "done": {"type": "boolean", "description": "nothing is queued any more"},
        **{name: _COUNT for name in ("reached", "total", "queued", "held", "merged", "failed")},
        "failures": {
            "type": "object",
            "description": "failed or expired deliveries by reason",
            "propertyNames": {"enum": list(REASONS)},
            "additionalProperties": _COUNT,
        },
        "lanes": {"type": "array", "items": _LANE},
        "elapsed_seconds": {
            "type": "number",
            "minimum": 0,
            "description": "since the event; once done, until its last send",
        },
        "rate_per_second": {**_SECONDS, "description": "reached per second so far"},
        "eta_seconds": {**_SECONDS, "description": "until the last queued recipient; 0 done"},
    },
}


def paths(refusals: dict[str, Any], security_scheme: str) -> dict[str, Any]:
    """The routes' entries in the OpenAPI document, with the back office's refusals."""

    nothing = {
        "description": "Nothing delivered yet, or no deliveries of that event",
        "content": refusals["401"]["content"],  # a problem+json body, as every refusal
    }

    def get(summary: str, operation: str, **extra: Any) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "description": "Needs a token with the `reports` scope.",
                "operationId": operation,
                "security": [{security_scheme: [Scope.REPORTS.value]}],
                **extra,
                "responses": {
                    "200": json_body(ref("FanOutProgress"), "The fan-out's figures"),
                    **{k: v for k, v in refusals.items() if k in ("401", "403", "429")},
                    "404": nothing,
                },
            }
        }

    event = {
        "name": "event",
        "in": "path",
        "required": True,
        "description": "the event's number",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }
    return {
        LATEST: get("The latest fan-out's progress (as `deliveries`)", "getLatestFanOut"),
        "/api/v1/deliveries/{event}": get(
            "One event's fan-out progress (as `deliveries EVENT`)",
            "getFanOut",
            parameters=[event],
        ),
    }
