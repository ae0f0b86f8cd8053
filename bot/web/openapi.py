"""The OpenAPI 3.1 description of /api/v1: its paths here, its schemas in openapi_schemas.

The tests validate the document itself and check every API response against these schemas.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.web.openapi_parts import json_body, ref
from bot.web.openapi_schemas import SCHEMAS
from bot.web.openapi_writes import add_writes

VERSION = "1.0.0"


_CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "the asset code, in any case (BTC, btc, PEPECASH)",
    "schema": {"type": "string", "minLength": 1},
}

_UNKNOWN = json_body(ref("Error"), "No such asset")


_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "the ETag of a copy you hold: answered with 304 while it is current",
    "schema": {"type": "string"},
}
_CACHING_HEADERS = {
    "ETag": {
        "description": "identifies these bytes; send it back in If-None-Match",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "public, kept a few seconds, may be served stale while revalidating",
        "schema": {"type": "string"},
    },
}
_NOT_MODIFIED = {
    "description": "Not modified: the copy named by If-None-Match is current",
    "headers": _CACHING_HEADERS,
}


def _get(summary: str, ok: dict[str, Any], **extra: Any) -> dict[str, Any]:
    responses = {
        "200": {**ok, "headers": _CACHING_HEADERS},
        "304": _NOT_MODIFIED,
        **extra.pop("responses", {}),
    }
    parameters = [*extra.pop("parameters", []), _IF_NONE_MATCH]
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses, **extra}}


@cache
def _build() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Exchange status API",
            "version": VERSION,
            "description": (
                "Deposit and withdrawal status of each listed asset, its history, scheduled "
                "maintenance, incidents and the regulator's orders. Read-only: only GET and HEAD "
                "are served."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/status": _get(
                "Every asset with its deposit and withdrawal status",
                json_body(ref("Status"), "All assets, in listed order"),
                operationId="getStatus",
            ),
            "/api/v1/assets/{code}": _get(
                "One asset with its deposit and withdrawal status",
                json_body(ref("AssetDetail"), "The asset"),
                operationId="getAsset",
                parameters=[_CODE],
                responses={"404": _UNKNOWN},
            ),
            "/api/v1/assets/{code}/history": _get(
                "One asset's status changes, newest first",
                json_body(ref("History"), "The changes"),
                operationId="getAssetHistory",
                parameters=[
                    _CODE,
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "description": "how many changes (1 to 100, default 20)",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                    },
                ],
                responses={"400": json_body(ref("Error"), "A bad limit"), "404": _UNKNOWN},
            ),
            "/api/v1/orders": _get(
                "The regulator's orders, oldest first, with their items and report deadlines",
                json_body(ref("Orders"), "The orders"),
                operationId="getOrders",
            ),
            "/api/v1/incidents": _get(
                "Incidents, the most recently updated first, with timelines and losses",
                json_body(ref("Incidents"), "The incidents"),
                operationId="getIncidents",
                parameters=[
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "description": "how many incidents (1 to 100, default 20)",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                    }
                ],
                responses={"400": json_body(ref("Error"), "A bad limit")},
            ),
            "/api/v1/incidents/{id}": _get(
                "One incident with its whole timeline and its losses",
                json_body(ref("Incident"), "The incident"),
                operationId="getIncident",
                parameters=[
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "description": "the incident's number",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                responses={"404": json_body(ref("Error"), "No such incident")},
            ),
            "/api/v1/maintenances": _get(
                "Upcoming and in-progress maintenance windows, soonest first",
                json_body(ref("Maintenances"), "The windows"),
                operationId="getMaintenances",
            ),
            "/api/v1/openapi.json": _get(
                "This document",
                json_body({"type": "object"}, "The OpenAPI 3.1 description of this API"),
                operationId="getOpenApi",
            ),
        },
        "components": {"schemas": SCHEMAS},
    }


@cache
def document() -> dict[str, Any]:
    """The document (shared: callers must not change it), the back office's writes included."""
    return add_writes(_build())
