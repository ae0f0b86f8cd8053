"""The OpenAPI schemas of the accountability documents: the audit chain's head (in /status) and
the notification report's JSON; merged into the document by `bot.web.openapi`."""

from __future__ import annotations

from typing import Any

_HASH = {"type": "string", "pattern": "^[0-9a-f]{64}$"}

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
}
