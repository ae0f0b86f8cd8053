"""The OpenAPI schemas of the accountability documents: the audit chain's head (in /status) and
the notification report's JSON; merged into the document by `bot.web.openapi`."""

from __future__ import annotations

from typing import Any

_HASH = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_TIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
_COUNT = {"type": "integer", "minimum": 0}
_SECONDS = {"type": ["number", "null"], "minimum": 0, "description": "after the event"}
_KINDS = ["status", "order", "notice", "operator", "incident", "maintenance"]


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }
    if description:
        found["description"] = description
    return found


def _counts(keys: list[str]) -> dict[str, Any]:
    return _object({key: _COUNT for key in keys})


_REPORT_EVENT = _object(
    {
        "id": {"type": "integer"},
        "at": _TIME,
        "kind": {"enum": _KINDS},
        "actor": {"type": "string"},
        "source": {"type": "string"},
        "assets": {"type": "array", "items": {"type": "string"}},
        "what_changed": {"type": "string", "description": "the alert as subscribers read it"},
        "targeted": _COUNT,
        "targeted_by_kind": _counts(["dm", "channel", "webhook"]),
        "targeted_by_language": _counts(["ja", "en"]),
        "reached": _COUNT,
        "failed": _COUNT,
        "failures": {
            "type": "array",
            "items": _object({"reason": {"type": "string"}, "count": _COUNT}),
        },
        "expired": _COUNT,
        "held": {**_COUNT, "description": "still held for quiet hours or a digest"},
        "merged": {**_COUNT, "description": "merged into a later alert"},
        "pending": {**_COUNT, "description": "queued, not sent yet"},
        "first_reached_at": {"type": ["string", "null"], "format": "date-time"},
        "last_reached_at": {"type": ["string", "null"], "format": "date-time"},
        "seconds_to_50": _SECONDS,
        "seconds_to_95": _SECONDS,
        "seconds_to_100": _SECONDS,
    },
    "One event and its deliveries, counted",
)

SCHEMAS: dict[str, Any] = {
    "AuditHead": {
        "type": "object",
        "description": (
            "The head of the tamper-evident chain over every event and later translation: keep"
            " it, and `audit verify --head HASH --at-event N` proves later that the history up"
            " to it is unchanged"
        ),
        "required": ["events", "head"],
        "additionalProperties": False,
        "properties": {
            "events": {"type": "integer", "minimum": 0, "description": "entries in the chain"},
            "head": {**_HASH, "description": "SHA-256 of the last entry, 64 zeros when none"},
        },
    },
    "NotificationReport": _object(
        {
            "from": _TIME,
            "to": _TIME,
            "generated_at": _TIME,
            "lang": {"enum": ["ja", "en"]},
            "audit": {"$ref": "#/components/schemas/AuditHead"},
            "summary": _object(
                {
                    "events": _COUNT,
                    "events_by_kind": {
                        "type": "object",
                        "propertyNames": {"enum": _KINDS},
                        "additionalProperties": _COUNT,
                    },
                    "incidents": {
                        "type": "array",
                        "items": _object(
                            {
                                "id": {"type": "integer"},
                                "title": {"type": "string"},
                                "impact": {"type": "string"},
                                "stage": {"type": "string"},
                                "timeline": {
                                    "type": "array",
                                    "items": _object(
                                        {
                                            "at": _TIME,
                                            "stage": {"type": "string"},
                                            "message": {"type": "string"},
                                        }
                                    ),
                                },
                            }
                        ),
                    },
                    "deliveries_reached": _COUNT,
                    "recipients_reached": {
                        **_COUNT,
                        "description": "subscriptions reached at least once",
                    },
                    "slowest": {
                        "oneOf": [
                            {"type": "null"},
                            _object(
                                {
                                    "event_id": {"type": "integer"},
                                    "kind": {"enum": _KINDS},
                                    "at": _TIME,
                                    "seconds_to_100": {"type": "number", "minimum": 0},
                                }
                            ),
                        ]
                    },
                    "disabled": {
                        "type": "array",
                        "items": _object(
                            {
                                "target_kind": {"enum": ["dm", "channel", "webhook"]},
                                "reason": {"type": "string"},
                                "count": _COUNT,
                            }
                        ),
                    },
                    "translations": {
                        "type": "array",
                        "items": _object(
                            {
                                "subject": {"type": "string"},
                                "subject_key": {"type": "string"},
                                "field": {"type": "string"},
                                "text": {"type": "string"},
                                "at": _TIME,
                            }
                        ),
                    },
                }
            ),
            "events": {"type": "array", "items": _REPORT_EVENT},
        },
        "The notification report (`report --format json`): counts only, no recipient named",
    ),
}
