"""`report` through the real CLI: HTML in Japanese by default, CSV with its stable columns, JSON
valid against the OpenAPI document's schema, --out, and bad input refused in one line."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from jsonschema import Draft202012Validator

from bot.clock import JST
from bot.services.report.formats import CSV_COLUMNS
from bot.web.openapi import document
from tests.cli.conftest import Cli


def period() -> tuple[str, str]:
    """Yesterday and today in JST: a run just after midnight still has its events."""
    today = datetime.now(JST).date()
    return (today - timedelta(days=1)).isoformat(), today.isoformat()


def schema_validator() -> Draft202012Validator:
    openapi = document()
    rooted = {
        "$ref": "#/components/schemas/NotificationReport",
        **{"components": openapi["components"]},
    }
    return Draft202012Validator(rooted, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_report_in_every_format(cli: Cli, tmp_path: Path) -> None:
    for args in (
        ("status", "set", "BTC", "--deposit", "operational", "--reason", "maintenance",
         "--note", "点検完了"),
        ("subscriptions", "add-webhook", "https://hooks.example.org/x/1", "--locale", "en"),
        ("status", "set", "MONA", "--withdrawal", "delayed", "--reason", "network_congestion"),
        ("translate", "status", "BTC", "deposit", "--note-en", "Checked"),
    ):  # fmt: skip
        assert cli(*args).returncode == 0
    start, day = period()
    html = cli("report", "--from", start, "--to", day)
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("<!doctype html>") and '<html lang="ja">' in html.stdout
    assert "お知らせ配信報告書" in html.stdout and "hooks.example.org" not in html.stdout
    english = cli("report", "--from", start, "--to", day, "--lang", "en").stdout
    assert "Notification report" in english and '<html lang="en">' in english

    done = cli("report", "--from", start, "--to", day, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    errors = [e.message for e in schema_validator().iter_errors(data)]
    assert not errors, errors
    assert [e["kind"] for e in data["events"]] == ["status", "status"]
    second = data["events"][1]
    assert second["targeted"] == 1 and second["targeted_by_kind"]["webhook"] == 1
    assert second["targeted_by_language"] == {"ja": 0, "en": 1} and second["pending"] == 1
    assert data["summary"]["translations"][0]["text"] == "Checked"
    audit = cli("audit", "verify").stdout
    assert audit.strip().endswith(data["audit"]["head"])

    table = cli("report", "--from", start, "--to", day, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(table)))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 2
    assert rows[1]["targeted_webhook"] == "1" and rows[1]["targeted_en"] == "1"

    out = tmp_path / "reports" / "day.html"
    done = cli("report", "--from", f"{start} 00:00", "--to", day, "--out", str(out))
    assert done.returncode == 0 and done.stdout.strip() == f"2 events written to {out}"
    assert out.read_text("utf-8").startswith("<!doctype html>")


def test_bad_periods_are_refused_in_one_line(cli: Cli) -> None:
    for args, said in (
        (("--from", "yesterday", "--to", "2026-01-01"), "not a date or time"),
        (("--from", "2026-02-01", "--to", "2026-01-01"), "must come after its start"),
        (("--from", "2020-01-01", "--to", "2026-01-01"), "366 days at most"),
        (("--from", "2026-01-01", "--to", "2026-01-02", "--format", "pdf"), "invalid choice"),
    ):
        done = cli("report", *args)
        assert done.returncode == 2, args
        assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1
