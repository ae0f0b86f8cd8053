"""The JSON schemas of the back office's write bodies and answers, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from bot.domain import Impact, IncidentStage, OrderAction, Reason, State
from bot.web.openapi_parts import enum_of as enum
from bot.web.openapi_parts import ref


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


def closed(required: list[str], **properties: Any) -> dict[str, Any]:
    """A request body: these fields only."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def result(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """What a write answers: its event and the thing written, as the read API shows it."""
    return {
        "type": "object",
        "required": ["event_id", name],
        "properties": {"event_id": {"type": "integer"}, name: schema},
    }


DAY = {"type": "string", "description": "YYYY-MM-DD, a calendar day in Japan"}
TEXT = {"type": "string"}
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
DIRECTION = {"type": "string", "enum": ["deposit", "withdrawal", "both"]}
SCHEMAS.update(
    {
        "IncidentOpenRequest": closed(
            ["title", "message"],
            title=text("in Japanese"),
            message=text("the first update, in Japanese"),
            impact=enum(Impact, "default major"),
            assets=ASSETS,
            title_en=TEXT,
            message_en=TEXT,
        ),
        "IncidentUpdateRequest": closed(
            ["stage", "message"],
            stage=enum(IncidentStage, "resolved resolves the incident"),
            message=text("in Japanese"),
            message_en=TEXT,
        ),
        "IncidentResult": result("incident", ref("Incident")),
        "MaintenanceRequest": closed(
            ["assets", "direction", "starts", "ends", "reason"],
            assets=ASSETS,
            direction=DIRECTION,
            starts={**MOMENT, "type": "string"},
            ends={**MOMENT, "type": "string"},
            reason=enum(Reason, "why"),
            note=text("for customers, in Japanese"),
            note_en=TEXT,
        ),
        "MaintenanceExtendRequest": closed(["ends"], ends={**MOMENT, "type": "string"}),
        "MaintenanceResult": result("maintenance", ref("Maintenance")),
        "OrderRequest": closed(
            ["issuer", "action", "issued_on"],
            issuer=text("e.g. 近畿財務局"),
            issuer_en=TEXT,
            action=enum(OrderAction, "what the regulator did"),
            issued_on=DAY,
            report_due=DAY,
            legal_basis=TEXT,
            url=text("https://..."),
            summary=text("in Japanese"),
            summary_en=TEXT,
        ),
        "OrderResult": result("order", ref("Order")),
        "OrderStatusRequest": closed(
            ["status"], status={"type": "string", "enum": ["reported", "closed"]}
        ),
        "OrderStatusResult": {
            "type": "object",
            "required": ["changed", "order"],
            "properties": {"changed": {"type": "boolean"}, "order": ref("Order")},
        },
        "TranslationRequest": {
            "oneOf": [
                closed(
                    ["kind", "asset", "direction", "note_en"],
                    kind={"const": "status"},
                    asset=text('an asset code, or "all"'),
                    direction=DIRECTION,
                    note_en=TEXT,
                ),
                closed(
                    ["kind", "id"],
                    kind={"const": "order"},
                    id=ID,
                    summary_en=TEXT,
                    issuer_en=TEXT,
                ),
                closed(
                    ["kind", "id", "note_en"], kind={"const": "maintenance"}, id=ID, note_en=TEXT
                ),
                closed(
                    ["kind", "id", "message_en"],
                    kind={"const": "incident_update"},
                    id=ID,
                    message_en=TEXT,
                    title_en=TEXT,
                ),
            ]
        },
        "TranslationResult": {
            "type": "object",
            "required": ["kind", "alert"],
            "properties": {"kind": {"type": "string"}, "alert": {"const": False}},
        },
    }
)
