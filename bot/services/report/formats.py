"""The report as JSON (the `NotificationReport` schema of the OpenAPI document) and as CSV, one
row per event with the stable columns README lists."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import JST
from bot.services.report.model import NotificationReport, Reach, ReportEvent

# Stable: scripts read these names; add new ones at the end, never rename.
CSV_COLUMNS = (
    "event_id",
    "time_utc",
    "time_local",
    "kind",
    "actor",
    "source",
    "assets",
    "what_changed",
    "targeted",
    "targeted_dm",
    "targeted_channel",
    "targeted_webhook",
    "targeted_ja",
    "targeted_en",
    "reached",
    "failed",
    "failure_reasons",
    "expired",
    "held",
    "merged",
    "pending",
    "first_reached_utc",
    "last_reached_utc",
    "seconds_to_50",
    "seconds_to_95",
    "seconds_to_100",
)


def utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _reach(reach: Reach) -> dict[str, Any]:
    return {
        "first_reached_at": utc(reach.first_at),
        "last_reached_at": utc(reach.last_at),
        "seconds_to_50": _seconds(reach.to_50),
        "seconds_to_95": _seconds(reach.to_95),
        "seconds_to_100": _seconds(reach.to_100),
    }


def _event(row: ReportEvent) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": utc(row.at),
        "kind": row.kind,
        "actor": row.actor,
        "source": row.source,
        "assets": list(row.assets),
        "what_changed": row.words,
        "targeted": row.targeted,
        "targeted_by_kind": row.by_kind,
        "targeted_by_language": row.by_language,
        "reached": row.reached,
        "failed": row.failed,
        "failures": [{"reason": r, "count": n} for r, n in row.failures.items()],
        "expired": row.expired,
        "held": row.held,
        "merged": row.merged,
        "pending": row.pending,
        **_reach(row.reach),
    }


def to_json(report: NotificationReport) -> dict[str, Any]:
    slowest = report.slowest
    return {
        "from": utc(report.start),
        "to": utc(report.end),
        "generated_at": utc(report.generated_at),
        "lang": report.lang.value,
        "audit": {"events": report.audit_events, "head": report.audit_head},
        "summary": {
            "events": len(report.events),
            "events_by_kind": report.events_by_kind,
            "incidents": [
                {
                    "id": i.id,
                    "title": i.title,
                    "impact": i.impact,
                    "stage": i.stage,
                    "timeline": [
                        {"at": utc(u.at), "stage": u.stage, "message": u.message}
                        for u in i.timeline
                    ],
                }
                for i in report.incidents
            ],
            "deliveries_reached": report.deliveries_reached,
            "recipients_reached": report.recipients_reached,
            "slowest": None
            if slowest is None
            else {
                "event_id": slowest.event_id,
                "kind": slowest.kind,
                "at": utc(slowest.at),
                "seconds_to_100": _seconds(slowest.seconds),
            },
            "disabled": [
                {"target_kind": d.target_kind, "reason": d.reason, "count": d.count}
                for d in report.disabled
            ],
            "translations": [
                {
                    "subject": t.subject,
                    "subject_key": t.subject_key,
                    "field": t.field,
                    "text": t.text,
                    "at": utc(t.at),
                }
                for t in report.translations
            ],
        },
        "events": [_event(row) for row in report.events],
    }


def to_csv(report: NotificationReport, zone: ZoneInfo = JST) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.events:
        reach = _reach(row.reach)
        writer.writerow(
            [
                row.id,
                utc(row.at),
                row.at.astimezone(zone).isoformat(timespec="seconds"),
                row.kind,
                row.actor,
                row.source,
                " ".join(row.assets),
                row.words,
                row.targeted,
                row.by_kind.get("dm", 0),
                row.by_kind.get("channel", 0),
                row.by_kind.get("webhook", 0),
                row.by_language.get("ja", 0),
                row.by_language.get("en", 0),
                row.reached,
                row.failed,
                "; ".join(f"{reason} ({count})" for reason, count in row.failures.items()),
                row.expired,
                row.held,
                row.merged,
                row.pending,
                reach["first_reached_at"] or "",
                reach["last_reached_at"] or "",
                "" if reach["seconds_to_50"] is None else reach["seconds_to_50"],
                "" if reach["seconds_to_95"] is None else reach["seconds_to_95"],
                "" if reach["seconds_to_100"] is None else reach["seconds_to_100"],
            ]
        )
    return out.getvalue()
