"""RFC 9457 problem details for the back office's refusals, in both languages.

A refusal a service raised keeps its code and its texts (`error.<code>` in bot.i18n): the API
words nothing again. Problems of HTTP itself (no token, not JSON) have texts of their own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from aiohttp import web

from bot import i18n
from bot.domain import DomainError, NotFound
from bot.i18n import Lang
from bot.i18n import api as _texts  # noqa: F401 (registers the texts)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:exchange-status-bot:problem:"

# Refusals that contradict the state of what they act on, not the request's values.
CONFLICTS = frozenset(
    {
        "incident_already_resolved",
        "incident_closed",
        "incident_not_resolved",
        "maintenance_overlap",
        "maintenance_not_active",
        "idempotency_key_in_use",
    }
)
NOT_FOUND = frozenset({"unknown_incident", "unknown_incident_update", "fan_out_not_found"})


def problem_body(status: int, code: str, ja: str, en: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": TYPE_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": en,
        "code": code,
        "detail_ja": ja,
        "detail_en": en,
        **extra,
    }


def problem(
    status: int,
    code: str,
    *,
    headers: Mapping[str, str] | None = None,
    **params: Any,
) -> web.Response:
    """A problem of HTTP itself, worded by `api.problem.<code>`."""
    key = f"api.problem.{code}"
    body = problem_body(
        status, code, i18n.t(Lang.JA, key, **params), i18n.t(Lang.EN, key, **params)
    )
    return respond(status, body, headers)


def status_of(error: DomainError) -> int:
    if isinstance(error, NotFound) or error.code in NOT_FOUND:
        return 404
    if error.code in CONFLICTS:
        return 409
    return 422


def refusal(error: DomainError) -> web.Response:
    """A service's refusal, in its own words in both languages."""
    status = status_of(error)
    key = f"error.{error.code}"
    try:
        ja, en = (i18n.t(lang, key, **error.params) for lang in (Lang.JA, Lang.EN))
    except (KeyError, IndexError):
        ja, en = (i18n.t(lang, "error.refused") for lang in (Lang.JA, Lang.EN))
    return respond(status, problem_body(status, error.code, ja, en))


def respond(
    status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> web.Response:
    response = web.Response(
        body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        status=status,
        content_type=PROBLEM_JSON,
        charset="utf-8",
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
