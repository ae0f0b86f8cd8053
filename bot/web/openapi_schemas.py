"""The schemas of what /api/v1 answers: assets and their status, history, orders, incidents,
maintenance windows and errors. They are written by hand from the domain's enums; the tests check
every API response against them."""

from __future__ import annotations

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
from bot.web.openapi_parts import enum_of, nullable, ref

DATE_TIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
DATE = {"type": "string", "format": "date", "description": "a calendar day in Japan (JST)"}

_INCIDENT_HEAD_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer"},
    "slug": nullable({"type": "string"}),
    "title_ja": {"type": "string"},
    "title_en": {"type": "string", "description": "empty until translated"},
    "impact": enum_of(Impact, "how much customers are affected"),
    "stage": ref("IncidentStage"),
    "all_assets": {"type": "boolean"},
    "assets": {
        "type": "array",
        "items": {"type": "string"},
        "description": "the asset codes concerned; empty when all_assets",
    },
    "started_at": DATE_TIME,
    "updated_at": DATE_TIME,
    "resolved_at": nullable(DATE_TIME),
}
_INCIDENT_HEAD = list(_INCIDENT_HEAD_PROPERTIES)
_NOTE_EN = {"type": "string", "description": "the note in English; empty until translated"}
_TRANSLATED = {
    "type": "boolean",
    "description": "false while the Japanese text has no English version yet",
}

SCHEMAS: dict[str, Any] = {
    "State": enum_of(State, "operational, suspended, maintenance or delayed"),
    "Reason": enum_of(Reason, "why the state was set"),
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
            "state": ref("State"),
            "reason": ref("Reason"),
            "note": {"type": "string", "description": "free text from the operators (Japanese)"},
            "note_en": _NOTE_EN,
            "translated": _TRANSLATED,
            "since": DATE_TIME,
            "expected_reopen": nullable(DATE_TIME),
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
            "old_estimate": nullable(DATE_TIME),
            "new_estimate": nullable(DATE_TIME),
            "changed_at": DATE_TIME,
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
            "deposit": nullable(ref("DirectionStatus")),
            "withdrawal": nullable(ref("DirectionStatus")),
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
            "deposit": nullable(ref("DirectionStatus")),
            "withdrawal": nullable(ref("DirectionStatus")),
            "estimates": {
                "type": "object",
                "required": ["deposit", "withdrawal"],
                "additionalProperties": False,
                "properties": {
                    "deposit": {"type": "array", "items": ref("Estimate")},
                    "withdrawal": {"type": "array", "items": ref("Estimate")},
                },
            },
        },
    },
    "Status": {
        "type": "object",
        "required": ["generated_at", "assets", "active_incidents", "upcoming_maintenance"],
        "additionalProperties": False,
        "properties": {
            "generated_at": DATE_TIME,
            "assets": {"type": "array", "items": ref("Asset")},
            "active_incidents": {
                "type": "array",
                "description": "incidents not resolved yet, the most recently started first",
                "items": ref("ActiveIncident"),
            },
            "upcoming_maintenance": {
                "type": "array",
                "description": (
                    "maintenance windows in progress or starting within 72 hours, soonest first"
                ),
                "items": ref("Maintenance"),
            },
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
            "state": enum_of(MaintenanceState, "scheduled, in_progress, completed or cancelled"),
            "all_assets": {"type": "boolean"},
            "assets": {"type": "array", "items": {"type": "string"}},
            "direction": {"type": "string", "enum": ["deposit", "withdrawal", "both"]},
            "starts_at": DATE_TIME,
            "ends_at": DATE_TIME,
            "reason": ref("Reason"),
            "note_ja": {"type": "string"},
            "note_en": {"type": "string", "description": "empty until translated"},
            "started_at": nullable(DATE_TIME),
            "ended_at": nullable(DATE_TIME),
            "updated_at": DATE_TIME,
        },
    },
    "Maintenances": {
        "type": "object",
        "required": ["generated_at", "maintenances"],
        "additionalProperties": False,
        "properties": {
            "generated_at": DATE_TIME,
            "maintenances": {"type": "array", "items": ref("Maintenance")},
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
            "direction": enum_of(Direction, "deposit or withdrawal"),
            "old_state": nullable(ref("State")),
            "new_state": ref("State"),
            "reason": ref("Reason"),
            "note": {"type": "string"},
            "note_en": _NOTE_EN,
            "translated": _TRANSLATED,
            "source": enum_of(Source, "where the change was made"),
            "changed_at": DATE_TIME,
            "expected_reopen": nullable(DATE_TIME),
        },
    },
    "History": {
        "type": "object",
        "required": ["asset", "changes"],
        "additionalProperties": False,
        "properties": {
            "asset": {"type": "string"},
            "changes": {"type": "array", "items": ref("Change")},
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
            "action": enum_of(OrderAction, "the kind of regulatory action"),
            "legal_basis": {"type": "string"},
            "issued_on": DATE,
            "report_due": nullable(DATE),
            "status": enum_of(OrderStatus, "how far the exchange has answered it"),
            "url": {"type": "string"},
            "summary_ja": {"type": "string"},
            "summary_en": {"type": "string"},
            "items": {"type": "array", "items": ref("OrderItem")},
        },
    },
    "Orders": {
        "type": "object",
        "required": ["orders"],
        "additionalProperties": False,
        "properties": {"orders": {"type": "array", "items": ref("Order")}},
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
            "stage": ref("IncidentStage"),
            "message_ja": {"type": "string"},
            "message_en": {"type": "string", "description": "empty until translated"},
            "source": enum_of(Source, "where the update was posted"),
            "posted_at": DATE_TIME,
            "translated_at": nullable(DATE_TIME),
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
    "IncidentStage": enum_of(IncidentStage, "how far the incident has come"),
    "ActiveIncident": {
        "type": "object",
        "description": "An incident not resolved yet, with its latest update",
        "required": [*_INCIDENT_HEAD, "latest_update"],
        "additionalProperties": False,
        "properties": {
            **_INCIDENT_HEAD_PROPERTIES,
            "latest_update": nullable(ref("IncidentUpdate")),
        },
    },
    "Incident": {
        "type": "object",
        "description": "An incident with its whole timeline (oldest first) and its losses",
        "required": [*_INCIDENT_HEAD, "updates", "losses"],
        "additionalProperties": False,
        "properties": {
            **_INCIDENT_HEAD_PROPERTIES,
            "updates": {"type": "array", "items": ref("IncidentUpdate")},
            "losses": {"type": "array", "items": ref("IncidentLoss")},
        },
    },
    "Incidents": {
        "type": "object",
        "required": ["incidents"],
        "additionalProperties": False,
        "properties": {"incidents": {"type": "array", "items": ref("Incident")}},
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
}
