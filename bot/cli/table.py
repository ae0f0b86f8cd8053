"""Plain-text tables that stay aligned with Japanese (double-width) text."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def render(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    sizes = [width(h) for h in headers]
    for row in rows:
        sizes = [max(s, width(cell)) for s, cell in zip(sizes, row, strict=True)]
    lines = [
        "  ".join(pad(h, s) for h, s in zip(headers, sizes, strict=True)).rstrip(),
        "  ".join("-" * s for s in sizes),
    ]
    for row in rows:
        lines.append("  ".join(pad(c, s) for c, s in zip(row, sizes, strict=True)).rstrip())
    return "\n".join(lines)
