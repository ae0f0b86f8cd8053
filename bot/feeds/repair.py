"""Mend the sloppiness real feeds carry, so the strict checks can still run on every body.

Government feeds are often written by HTML templates: `&nbsp;` and `&copy;` in titles, a bare
`&` in a company name or a query string. XML knows neither, and a strict parser refuses the
whole feed. Only ampersands are touched here: an HTML named entity becomes the numeric
reference of its characters, any other `&` that starts no reference becomes `&amp;`. Nothing
is ever expanded or defined, DOCTYPEs are left as they are for the check that refuses them, and
text inside CDATA sections, comments and processing instructions is not altered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.entities import html5

# Sections whose `&` are not references; a CDATA section's text is taken as it is.
_VERBATIM = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>", re.DOTALL)
_AMPERSAND = re.compile(r"&(?:(#[0-9]{1,7};|#x[0-9A-Fa-f]{1,6};)|([A-Za-z][A-Za-z0-9]{0,31});)?")
_XML_NAMED = frozenset({"amp", "lt", "gt", "quot", "apos"})


@dataclass(frozen=True, slots=True)
class Repairs:
    html_entities: int = 0
    stray_ampersands: int = 0

    def __bool__(self) -> bool:
        return bool(self.html_entities or self.stray_ampersands)

    def describe(self) -> str:
        return (
            f"{self.html_entities} HTML entit(y/ies) rewritten,"
            f" {self.stray_ampersands} stray '&' escaped"
        )


def repair(text: str) -> tuple[str, Repairs]:
    """The text with HTML entities and stray ampersands made into XML, and what was changed."""
    counts = {"entities": 0, "stray": 0}

    def mend(match: re.Match[str]) -> str:
        numeric, name = match.group(1), match.group(2)
        if numeric or (name and name in _XML_NAMED):
            return match.group(0)
        if name and f"{name};" in html5:
            counts["entities"] += 1
            return "".join(f"&#{ord(char)};" for char in html5[f"{name};"])
        counts["stray"] += 1
        return "&amp;" + match.group(0)[1:]

    parts: list[str] = []
    start = 0
    for verbatim in _VERBATIM.finditer(text):
        parts.append(_AMPERSAND.sub(mend, text[start : verbatim.start()]))
        parts.append(verbatim.group(0))
        start = verbatim.end()
    parts.append(_AMPERSAND.sub(mend, text[start:]))
    return "".join(parts), Repairs(counts["entities"], counts["stray"])
