"""The report as one self-contained, printable HTML page (A4, a page per section, no outside
assets), with the status page's accessible markup: headings, captioned tables, header cells."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.clock import JST
from bot.i18n import report as _texts  # noqa: F401 - registers the strings
from bot.i18n import t
from bot.services.report.model import NotificationReport

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def duration(seconds: float | None) -> str:
    """3.2 s, 4 min 05 s, 2 h 03 min: what a reader takes in at a glance."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def to_html(report: NotificationReport, zone: ZoneInfo = JST) -> str:
    lang = report.lang

    def label(key: str, **params: Any) -> str:
        return t(lang, key, **params)

    def when(moment: Any) -> str:
        if moment is None:
            return "-"
        return str(moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"))

    return (
        _environment()
        .get_template("report.html")
        .render(r=report, lang=lang, t=label, when=when, duration=duration)
    )
