"""The back office's writes in the OpenAPI document: bodies, answers, problems, bearer security."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.domain import Reason, State
from bot.services.tokens import Scope
from bot.web.intake import MAX_BODY_BYTES

SECURITY_SCHEME = "bearer"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def enum(kind: type[StrEnum], description: str) -> dict[str, Any]:
    return {"type": "string", "enum": [member.value for member in kind], "description": description}


def text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


NULLABLE_TEXT = {"type": ["string", "null"]}
MOMENT = {
    "type": ["string", "null"],
    "description": "ISO 8601 with an offset, or YYYY-MM-DD[ HH:MM] in JST",
}
ASSETS = {
    "oneOf": [
        {"type": "string", "enum": ["all"]},
        {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 20},
            "minItems": 1,
            "maxItems": 100,
        },
    ],
    "description": 'asset codes in any case, or "all"',
}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details, with the refusal's code in both languages",
        "required": ["type", "title", "status", "detail", "code", "detail_ja", "detail_en"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "code": {"type": "string", "description": "the service's refusal code"},
            "detail_ja": {"type": "string"},
            "detail_en": {"type": "string"},
        },
    },
    "StatusChangeRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["assets", "reason"],
        "properties": {
            "assets": ASSETS,
            "deposit": {**enum(State, "the deposit state asked for"), "type": ["string", "null"]},
            "withdrawal": {
                **enum(State, "the withdrawal state asked for"),
                "type": ["string", "null"],
            },
            "reason": enum(Reason, "why"),
            "note": {**NULLABLE_TEXT, "description": "shown to customers (Japanese)"},
            "note_en": {**NULLABLE_TEXT, "description": "the same in English"},
            "expected_reopen": MOMENT,
        },
    },
    "StatusChangeResult": {
        "type": "object",
        "required": ["event_id", "deliveries", "changes", "estimates"],
        "properties": {
            "event_id": {"type": ["integer", "null"], "description": "null: nothing changed"},
            "deliveries": {"type": "integer", "description": "alerts queued"},
            "changes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["asset", "direction", "old_state", "new_state"],
                    "properties": {
                        "asset": {"type": "string"},
                        "direction": {"type": "string"},
                        "old_state": {"type": ["string", "null"]},
                        "new_state": {"type": "string"},
                    },
                },
            },
            "estimates": {"type": "array", "items": {"type": "object"}},
        },
    },
}

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "the same key and body within 24 h: the first answer again, nothing written",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
}


def problem(description: str, **headers: str) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }
    if headers:
        answer["headers"] = {
            name: {"description": about, "schema": {"type": "string"}}
            for name, about in headers.items()
        }
    return answer


def ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


REFUSALS = {
    "400": problem("The body is not JSON"),
    "401": problem("No valid token", **{"WWW-Authenticate": "Bearer"}),
    "403": problem("The token lacks this write's scope"),
    "409": problem("In conflict with the present state, or the key's first request unanswered"),
    "413": problem(f"The body is over {MAX_BODY_BYTES} bytes"),
    "415": problem("The body is not application/json"),
    "422": problem("A value the service refuses (the code says which), or a key reused"),
    "429": problem("Past the token's rate", **{"Retry-After": "seconds to wait"}),
}


def operation(
    scope: Scope,
    summary: str,
    operation_id: str,
    body: str | None,
    answers: dict[str, Any],
    *,
    parameters: list[dict[str, Any]] | None = None,
    body_required: bool = True,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "summary": summary,
        "description": f"Needs a token with the `{scope.value}` scope.",
        "operationId": operation_id,
        "security": [{SECURITY_SCHEME: [scope.value]}],
        "parameters": [*(parameters or []), IDEMPOTENCY_KEY],
        "responses": {**answers, **REFUSALS},
    }
    if body is not None:
        found["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": ref(body)}},
        }
    return found


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/status/changes": {
        "post": operation(
            Scope.STATUS,
            "Change assets' deposit and withdrawal status (as `status set`)",
            "postStatusChange",
            "StatusChangeRequest",
            {
                "201": ok(ref("StatusChangeResult"), "Changed: one event, alerts queued"),
                "200": ok(ref("StatusChangeResult"), "Already so: nothing written"),
            },
        )
    },
}


def add_writes(document: dict[str, Any]) -> dict[str, Any]:
    """The read-only document with the writes merged in (a new dict; `document` is shared)."""
    paths = {path: dict(methods) for path, methods in document["paths"].items()}
    for path, methods in PATHS.items():
        paths.setdefault(path, {}).update(methods)
    components = dict(document["components"])
    components["schemas"] = {**components["schemas"], **SCHEMAS}
    components["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "description": "a back-office token (esb_...) from `tokens create NAME --scopes ...`",
        }
    }
    info = {
        **document["info"],
        "description": document["info"]["description"].replace(
            "Read-only: only GET and HEAD are served.",
            "Reads need no token. The back office writes with a bearer token and its scope.",
        ),
    }
    return {**document, "info": info, "paths": paths, "components": components}
