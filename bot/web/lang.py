"""Which language a request gets: `?lang=` first, then Accept-Language, else Japanese."""

from __future__ import annotations

from aiohttp import web

from bot.i18n import Lang

SUPPORTED = {lang.value: lang for lang in Lang}


def _weighted(header: str) -> list[tuple[float, int, str]]:
    ranges = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            # Highest quality first; among equals, the order the client wrote them in.
            ranges.append((-quality, position, tag.strip().lower()))
    return sorted(ranges)


def from_accept_language(header: str | None) -> Lang:
    for _, _, tag in _weighted(header or ""):
        primary = tag.split("-")[0]
        if primary in SUPPORTED:
            return SUPPORTED[primary]
        if primary == "*":
            return Lang.JA
    return Lang.JA


def negotiate(request: web.Request) -> tuple[Lang, bool]:
    """The language, and whether it came from the URL (else the response varies by header)."""
    asked = request.query.get("lang", "").strip().lower()
    if asked in SUPPORTED:
        return SUPPORTED[asked], True
    return from_accept_language(request.headers.get("Accept-Language")), False
