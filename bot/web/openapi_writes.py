"""The back office's writes in the OpenAPI document: paths, answers, problems, bearer security.
Their bodies' schemas are in bot.web.write_schemas."""

from __future__ import annotations

from typing import Any

from bot.services.tokens import Scope
from bot.web import read_deliveries, read_reports
from bot.web.intake import MAX_BODY_BYTES
from bot.web.openapi_parts import json_body, ref
from bot.web.write_schemas import ID, SCHEMAS

SECURITY_SCHEME = "bearer"


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


def in_path(description: str) -> list[dict[str, Any]]:
    return [{"name": "id", "in": "path", "required": True, "description": description,
             "schema": ID}]  # fmt: skip


NOT_FOUND = {"404": problem("No such thing")}


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
                "201": json_body(ref("StatusChangeResult"), "Changed: one event, alerts queued"),
                "200": json_body(ref("StatusChangeResult"), "Already so: nothing written"),
            },
        )
    },
    "/api/v1/incidents": {
        "post": operation(
            Scope.INCIDENTS,
            "Open an incident (as `incidents open`)",
            "postIncident",
            "IncidentOpenRequest",
            {"201": json_body(ref("IncidentResult"), "Opened, its alert queued")},
        )
    },
    "/api/v1/incidents/{id}/updates": {
        "post": operation(
            Scope.INCIDENTS,
            "Post an incident update; stage resolved resolves it (as `incidents update|resolve`)",
            "postIncidentUpdate",
            "IncidentUpdateRequest",
            {"201": json_body(ref("IncidentResult"), "Posted, its alert queued"), **NOT_FOUND},
            parameters=in_path("the incident's number"),
        )
    },
    "/api/v1/maintenances": {
        "post": operation(
            Scope.MAINTENANCE,
            "Schedule a maintenance window (as `maintenance schedule`)",
            "postMaintenance",
            "MaintenanceRequest",
            {"201": json_body(ref("MaintenanceResult"), "Scheduled, its notice queued")},
        )
    },
    "/api/v1/maintenances/{id}": {
        "patch": operation(
            Scope.MAINTENANCE,
            "Move a window's end later (as `maintenance extend`)",
            "patchMaintenance",
            "MaintenanceExtendRequest",
            {"200": json_body(ref("MaintenanceResult"), "Extended"), **NOT_FOUND},
            parameters=in_path("the window's number"),
        )
    },
    "/api/v1/maintenances/{id}/cancel": {
        "post": operation(
            Scope.MAINTENANCE,
            "Cancel a window; one in progress ends now (as `maintenance cancel`)",
            "postMaintenanceCancel",
            None,
            {"200": json_body(ref("MaintenanceResult"), "Cancelled"), **NOT_FOUND},
            parameters=in_path("the window's number"),
        )
    },
    "/api/v1/orders": {
        "post": operation(
            Scope.ORDERS,
            "Record a regulator's order (as `orders add`)",
            "postOrder",
            "OrderRequest",
            {"201": json_body(ref("OrderResult"), "Recorded, its alert queued")},
        )
    },
    "/api/v1/orders/{id}": {
        "patch": operation(
            Scope.ORDERS,
            "Mark an order reported or closed (as `orders set-status`)",
            "patchOrder",
            "OrderStatusRequest",
            {"200": json_body(ref("OrderStatusResult"), "Marked, or already so"), **NOT_FOUND},
            parameters=in_path("the order's number"),
        )
    },
    "/api/v1/translations": {
        "post": operation(
            Scope.TRANSLATIONS,
            "Add the English of a text already sent, without an alert (as `translate`)",
            "postTranslation",
            "TranslationRequest",
            {"200": json_body(ref("TranslationResult"), "Translated; no alert"), **NOT_FOUND},
        )
    },
    "/api/v1/heartbeats/{name}": {
        "post": operation(
            Scope.HEARTBEATS,
            "Record a beat of a heartbeat (no event, no alert); the body may be empty",
            "postHeartbeat",
            None,
            {
                "200": json_body(
                    {"type": "object", "properties": {"heartbeat": {"type": "string"}}},
                    "Recorded",
                ),
                **NOT_FOUND,
            },
            parameters=[
                {
                    "name": "name",
                    "in": "path",
                    "required": True,
                    "description": "the heartbeat's name (`heartbeats add NAME ...`)",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 64},
                }
            ],
        )
    },
}


def add_writes(document: dict[str, Any]) -> dict[str, Any]:
    """The read-only document with the writes merged in (a new dict; `document` is shared)."""
    paths = {path: dict(methods) for path, methods in document["paths"].items()}
    reads = {
        **read_reports.paths(REFUSALS, SECURITY_SCHEME),
        **read_deliveries.paths(REFUSALS, SECURITY_SCHEME),
    }
    for path, methods in {**PATHS, **reads}.items():
        paths.setdefault(path, {}).update(methods)
    components = dict(document["components"])
    components["schemas"] = {
        **components["schemas"],
        **SCHEMAS,
        "FanOutProgress": read_deliveries.SCHEMA,
    }
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
