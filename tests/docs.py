"""What the documentation names: every command a user can type must be findable in docs/."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))


def unnamed(commands: set[str], *, prefix: str = "") -> list[str]:
    """The commands (`status set`, `/operator incident open`) that no page of docs/ names.

    A command counts as named where it stands in code quotes, whole: followed by a space, a quote
    or the end of the quoted text, so `incidents` is not taken for `incidents show`.
    """
    text = docs_text()
    missing = []
    for command in sorted(commands):
        pattern = re.compile("`" + re.escape(prefix + command) + r"(?=[ `\]])")
        if not pattern.search(text):
            missing.append(prefix + command)
    return missing
