"""The OpenAPI 3.1 description of /api/v1, written by hand from the domain's enums.

The tests validate the document itself and check every API response against these schemas.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.domain import (
    Direction,
    Impact,
    IncidentStage,
    MaintenanceState,
    OrderAction,
    OrderStatus,
    Reason,
    Source,
    State,
)
from bot.web.openapi_audit import SCHEMAS as AUDIT_SCHEMAS

VERSION = "1.0.0"


def _enum(values: Any, description: str) -> dict[str, Any]:
    return {"type": "string", "enum": [v.value for v in values], "description": description}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_DATE_TIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
_DATE = {"type": "string", "format": "date", "description": "a calendar day in Japan (JST)"}

_INCIDENT_HEAD_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer"},
    "slug": _nullable({"type": "string"}),
    "title_ja": {"type": "string"},
    "title_en": {"type": "string", "description": "empty until translated"},
    "impact": _enum(Impact, "how much customers are affected"),
    "stage": _ref("IncidentStage"),
    "all_assets": {"type": "boolean"},
    "assets": {
        "type": "array",
        "items": {"type": "string"},
        "description": "the asset codes concerned; empty when all_assets",
    },
    "started_at": _DATE_TIME,
    "updated_at": _DATE_TIME,
    "resolved_at": _nullable(_DATE_TIME),
}
_INCIDENT_HEAD = list(_INCIDENT_HEAD_PROPERTIES)
_NOTE_EN = {"type": "string", "description": "the note in English; empty until translated"}
_TRANSLATED = {
    "type": "boolean",
    "description": "false while the Japanese text has no English version yet",
}

_SCHEMAS: dict[str, Any] = {
    "State": _enum(State, "operational, suspended, maintenance or delayed"),
    "Reason": _enum(Reason, "why the state was set"),
    "DirectionStatus": {
        "type": "object",
        "description": "The state of deposits or of withdrawals of one asset",
        "required": [
            "state",
            "reason",
            "note",
            "note_en",
            "translated",
            "since",
            "expected_reopen",
            "estimate_revisions",
        ],
        "additionalProperties": False,
        "properties": {
            "state": _ref("State"),
            "reason": _ref("Reason"),
            "note": {"type": "string", "description": "free text from the operators (Japanese)"},
            "note_en": _NOTE_EN,
            "translated": _TRANSLATED,
            "since": _DATE_TIME,
            "expected_reopen": _nullable(_DATE_TIME),
            "estimate_revisions": {
                "type": "integer",
                "minimum": 0,
                "description": "how often this halt's expected reopening was moved",
            },
        },
    },
    "Estimate": {
        "type": "object",
        "description": "One change of the expected reopening during the current halt",
        "required": ["old_estimate", "new_estimate", "changed_at"],
        "additionalProperties": False,
        "properties": {
            "old_estimate": _nullable(_DATE_TIME),
            "new_estimate": _nullable(_DATE_TIME),
            "changed_at": _DATE_TIME,
        },
    },
    "Asset": {
        "type": "object",
        "required": ["code", "name_ja", "name_en", "kind", "deposit", "withdrawal"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "examples": ["BTC", "pepecash"]},
            "name_ja": {"type": "string"},
            "name_en": {"type": "string"},
            "kind": {"type": "string", "enum": ["coin", "token"]},
            "deposit": _nullable(_ref("DirectionStatus")),
            "withdrawal": _nullable(_ref("DirectionStatus")),
        },
    },
    "AssetDetail": {
        "type": "object",
        "description": "An asset, with the history of each direction's reopening estimates",
        "required": ["code", "name_ja", "name_en", "kind", "deposit", "withdrawal", "estimates"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string"},
            "name_ja": {"type": "string"},
            "name_en": {"type": "string"},
            "kind": {"type": "string", "enum": ["coin", "token"]},
            "deposit": _nullable(_ref("DirectionStatus")),
            "withdrawal": _nullable(_ref("DirectionStatus")),
            "estimates": {
                "type": "object",
                "required": ["deposit", "withdrawal"],
                "additionalProperties": False,
                "properties": {
                    "deposit": {"type": "array", "items": _ref("Estimate")},
                    "withdrawal": {"type": "array", "items": _ref("Estimate")},
                },
            },
        },
    },
    "Status": {
        "type": "object",
        "required": ["generated_at", "assets", "active_incidents", "upcoming_maintenance", "audit"],
        "additionalProperties": False,
        "properties": {
            "generated_at": _DATE_TIME,
            "assets": {"type": "array", "items": _ref("Asset")},
            "active_incidents": {
                "type": "array",
                "description": "incidents not resolved yet, the most recently started first",
                "items": _ref("ActiveIncident"),
            },
            "upcoming_maintenance": {
                "type": "array",
                "description": (
                    "maintenance windows in progress or starting within 72 hours, soonest first"
                ),
                "items": _ref("Maintenance"),
            },
            "audit": _ref("AuditHead"),
        },
    },
    "Maintenance": {
        "type": "object",
        "description": "A maintenance window: its assets' deposits and/or withdrawals pause",
        "required": [
            "id",
            "state",
            "all_assets",
            "assets",
            "direction",
            "starts_at",
            "ends_at",
            "reason",
            "note_ja",
            "note_en",
            "started_at",
            "ended_at",
            "updated_at",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "state": _enum(MaintenanceState, "scheduled, in_progress, completed or cancelled"),
            "all_assets": {"type": "boolean"},
            "assets": {"type": "array", "items": {"type": "string"}},
            "direction": {"type": "string", "enum": ["deposit", "withdrawal", "both"]},
            "starts_at": _DATE_TIME,
            "ends_at": _DATE_TIME,
            "reason": _ref("Reason"),
            "note_ja": {"type": "string"},
            "note_en": {"type": "string", "description": "empty until translated"},
            "started_at": _nullable(_DATE_TIME),
            "ended_at": _nullable(_DATE_TIME),
            "updated_at": _DATE_TIME,
        },
    },
    "Maintenances": {
        "type": "object",
        "required": ["generated_at", "maintenances"],
        "additionalProperties": False,
        "properties": {
            "generated_at": _DATE_TIME,
            "maintenances": {"type": "array", "items": _ref("Maintenance")},
        },
    },
    "Change": {
        "type": "object",
        "description": "One row of the audit trail: one asset, one direction",
        "required": [
            "id",
            "direction",
            "old_state",
            "new_state",
            "reason",
            "note",
            "note_en",
            "translated",
            "source",
            "changed_at",
            "expected_reopen",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "direction": _enum(Direction, "deposit or withdrawal"),
            "old_state": _nullable(_ref("State")),
            "new_state": _ref("State"),
            "reason": _ref("Reason"),
            "note": {"type": "string"},
            "note_en": _NOTE_EN,
            "translated": _TRANSLATED,
            "source": _enum(Source, "where the change was made"),
            "changed_at": _DATE_TIME,
            "expected_reopen": _nullable(_DATE_TIME),
        },
    },
    "History": {
        "type": "object",
        "required": ["asset", "changes"],
        "additionalProperties": False,
        "properties": {
            "asset": {"type": "string"},
            "changes": {"type": "array", "items": _ref("Change")},
        },
    },
    "OrderItem": {
        "type": "object",
        "required": ["position", "text_ja", "text_en"],
        "additionalProperties": False,
        "properties": {
            "position": {"type": "integer", "minimum": 1},
            "text_ja": {"type": "string"},
            "text_en": {"type": "string"},
        },
    },
    "Order": {
        "type": "object",
        "required": [
            "id",
            "slug",
            "issuer",
            "issuer_en",
            "translated",
            "action",
            "legal_basis",
            "issued_on",
            "report_due",
            "status",
            "url",
            "summary_ja",
            "summary_en",
            "items",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "issuer": {"type": "string", "description": "who issued it (Japanese)"},
            "issuer_en": {"type": "string", "description": "the same in English, if given"},
            "translated": _TRANSLATED,
            "action": _enum(OrderAction, "the kind of regulatory action"),
            "legal_basis": {"type": "string"},
            "issued_on": _DATE,
            "report_due": _nullable(_DATE),
            "status": _enum(OrderStatus, "how far the exchange has answered it"),
            "url": {"type": "string"},
            "summary_ja": {"type": "string"},
            "summary_en": {"type": "string"},
            "items": {"type": "array", "items": _ref("OrderItem")},
        },
    },
    "Orders": {
        "type": "object",
        "required": ["orders"],
        "additionalProperties": False,
        "properties": {"orders": {"type": "array", "items": _ref("Order")}},
    },
    "IncidentUpdate": {
        "type": "object",
        "description": "One update of an incident's timeline; English is empty until translated",
        "required": [
            "id",
            "stage",
            "message_ja",
            "message_en",
            "source",
            "posted_at",
            "translated_at",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "stage": _ref("IncidentStage"),
            "message_ja": {"type": "string"},
            "message_en": {"type": "string", "description": "empty until translated"},
            "source": _enum(Source, "where the update was posted"),
            "posted_at": _DATE_TIME,
            "translated_at": _nullable(_DATE_TIME),
        },
    },
    "IncidentLoss": {
        "type": "object",
        "description": "What one asset lost (estimates, as published)",
        "required": ["asset", "stolen", "stolen_jpy", "customers", "customers_jpy"],
        "additionalProperties": False,
        "properties": {
            "asset": {"type": "string"},
            "stolen": {"type": "string", "description": "the published amount, digits as given"},
            "stolen_jpy": {"type": "integer"},
            "customers": {"type": "string", "description": "of which customers' assets"},
            "customers_jpy": {"type": "integer"},
        },
    },
    "IncidentStage": _enum(IncidentStage, "how far the incident has come"),
    "ActiveIncident": {
        "type": "object",
        "description": "An incident not resolved yet, with its latest update",
        "required": [*_INCIDENT_HEAD, "latest_update"],
        "additionalProperties": False,
        "properties": {
            **_INCIDENT_HEAD_PROPERTIES,
            "latest_update": _nullable(_ref("IncidentUpdate")),
        },
    },
    "Incident": {
        "type": "object",
        "description": "An incident with its whole timeline (oldest first) and its losses",
        "required": [*_INCIDENT_HEAD, "updates", "losses"],
        "additionalProperties": False,
        "properties": {
            **_INCIDENT_HEAD_PROPERTIES,
            "updates": {"type": "array", "items": _ref("IncidentUpdate")},
            "losses": {"type": "array", "items": _ref("IncidentLoss")},
        },
    },
    "Incidents": {
        "type": "object",
        "required": ["incidents"],
        "additionalProperties": False,
        "properties": {"incidents": {"type": "array", "items": _ref("Incident")}},
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "examples": ["unknown_asset", "invalid_input"]},
                    "message": {"type": "string"},
                },
            }
        },
    },
    **AUDIT_SCHEMAS,
}

_CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "the asset code, in any case (BTC, btc, PEPECASH)",
    "schema": {"type": "string", "minLength": 1},
}

_UNKNOWN = _json(_ref("Error"), "No such asset")


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
                _json(_ref("Status"), "All assets, in listed order"),
                operationId="getStatus",
            ),
            "/api/v1/assets/{code}": _get(
                "One asset with its deposit and withdrawal status",
                _json(_ref("AssetDetail"), "The asset"),
                operationId="getAsset",
                parameters=[_CODE],
                responses={"404": _UNKNOWN},
            ),
            "/api/v1/assets/{code}/history": _get(
                "One asset's status changes, newest first",
                _json(_ref("History"), "The changes"),
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
                responses={"400": _json(_ref("Error"), "A bad limit"), "404": _UNKNOWN},
            ),
            "/api/v1/orders": _get(
                "The regulator's orders, oldest first, with their items and report deadlines",
                _json(_ref("Orders"), "The orders"),
                operationId="getOrders",
            ),
            "/api/v1/incidents": _get(
                "Incidents, the most recently updated first, with timelines and losses",
                _json(_ref("Incidents"), "The incidents"),
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
                responses={"400": _json(_ref("Error"), "A bad limit")},
            ),
            "/api/v1/incidents/{id}": _get(
                "One incident with its whole timeline and its losses",
                _json(_ref("Incident"), "The incident"),
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
                responses={"404": _json(_ref("Error"), "No such incident")},
            ),
            "/api/v1/maintenances": _get(
                "Upcoming and in-progress maintenance windows, soonest first",
                _json(_ref("Maintenances"), "The windows"),
                operationId="getMaintenances",
            ),
            "/api/v1/openapi.json": _get(
                "This document",
                _json({"type": "object"}, "The OpenAPI 3.1 description of this API"),
                operationId="getOpenApi",
            ),
        },
        "components": {"schemas": _SCHEMAS},
    }


def document() -> dict[str, Any]:
    """The document (shared: callers must not change it)."""
    return _build()
