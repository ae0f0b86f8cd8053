"""Bytes -> feed entries, safely: honest decoding, no DTDs, then feedparser (RSS 1.0/2.0, Atom).

feedparser never sees a body that has not first been decoded strictly in its declared encoding
and checked by expat to be well-formed XML without a DOCTYPE. A DOCTYPE is where entity
expansion bombs (billion laughs) and external entities live, and feeds have no use for one;
expat stops at the declaration, before any entity is defined, so a bomb costs no memory.

Between the two, the merely sloppy is mended (`bot.feeds.repair`: HTML entities such as
`&nbsp;`, stray ampersands), so one careless title does not leave a regulator's feed unwatched.
What is still not well-formed after that (a truncated body, crossed tags) stays refused.
"""

from __future__ import annotations

import calendar
import codecs
import email.utils
import hashlib
import html
import io
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.parsers import expat

import feedparser

from bot.feeds.errors import FeedError
from bot.feeds.repair import Repairs, repair

_XML_DECL = re.compile(rb"^\s*<\?xml\s[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml\s[^>]{0,200}?\?>")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,2000}>")
# Labels as browsers read them: a page that says Shift_JIS is read as Windows-31J (cp932),
# whose extra characters (①, ㈱, NEC and IBM kanji) Japanese government pages use freely.
_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "csshiftjis": "cp932",
    "windows-31j": "cp932",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _jst_date(text: str) -> time.struct_time | None:
    """RFC 822 dates with the zone written `JST`, which feedparser would read as UTC."""
    stripped = text.strip()
    if not stripped.upper().endswith(" JST"):
        return None
    try:
        moment = email.utils.parsedate_to_datetime(stripped[:-4] + " +0900")
    except (TypeError, ValueError):
        return None
    return moment.utctimetuple()


feedparser.registerDateHandler(_jst_date)


@dataclass(frozen=True, slots=True)
class Entry:
    item_id: str
    title: str
    link: str
    summary: str  # plain text
    published_at: datetime | None


def decode(body: bytes, content_type: str | None = None) -> str:
    """The body as text, in the encoding it declares (BOM, XML declaration, HTTP charset, UTF-8).

    A body that is not valid in any encoding it declares is refused, not guessed at: a feed
    whose declared encoding lies would otherwise turn into mojibake that matches nothing.
    """
    declared: list[str] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            body = body[len(bom) :]
            declared.append(name)
            break
    else:
        match = _XML_DECL.match(body[:300])
        if match:
            declared.append(match.group(1).decode("ascii"))
        header = _CHARSET.search(content_type or "")
        if header:
            declared.append(header.group(1))
    names = (_ALIASES.get(name.lower(), name.lower()) for name in declared)
    candidates = list(dict.fromkeys(names)) or ["utf-8"]
    problems = []
    for name in candidates:
        try:
            return body.decode(name)
        except LookupError:
            problems.append(f"unknown encoding {name!r}")
        except UnicodeDecodeError as exc:
            problems.append(f"not valid {name} at byte {exc.start}")
    raise FeedError("encoding", "; ".join(problems))


def _refuse_doctype(*_: Any) -> None:
    raise FeedError("forbidden_dtd", "the feed has a DOCTYPE or entity declaration; refused")


def check_xml(text: str) -> None:
    """Refuse anything that is not well-formed XML, and any DOCTYPE, before feedparser sees it."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise FeedError("malformed", f"malformed XML: {exc}") from None


def item_id(guid: str, link: str, title: str, date: str) -> str | None:
    """An entry's identity: its guid, else its link, else its title and date; hashed."""
    if guid.strip():
        key = "guid\0" + guid.strip()
    elif link.strip():
        key = "link\0" + link.strip()
    elif title.strip():
        key = "title\0" + title.strip() + "\0" + date.strip()
    else:
        return None
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _moment(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    # feedparser gives a UTC struct_time
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


@dataclass(frozen=True, slots=True)
class Parsed:
    entries: list[Entry]
    repairs: Repairs  # what had to be mended for the body to be well-formed


def parse(body: bytes, content_type: str | None = None) -> list[Entry]:
    """The entries of an RSS 1.0, RSS 2.0 or Atom body, in feed order; FeedError if it is none."""
    return read(body, content_type).entries


def read(body: bytes, content_type: str | None = None) -> Parsed:
    """Like `parse`, also saying what was mended on the way."""
    text, repairs = repair(decode(body, content_type).lstrip("\ufeff"))
    check_xml(text)
    # Re-encoded as UTF-8 without its old declaration, so that feedparser cannot pick another
    # encoding; handed over as a stream, since feedparser treats bytes as a possible file name.
    clean = _XML_DECL_TEXT.sub("", text, count=1).encode("utf-8")
    result = feedparser.parse(
        io.BytesIO(clean), response_headers={"content-type": "application/xml; charset=utf-8"}
    )
    if not result.get("version"):
        raise FeedError("not_a_feed", "well-formed XML, but not RSS or Atom")
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in result.entries:
        title = plain(raw.get("title", ""))
        link = str(raw.get("link", "")).strip()
        date = str(raw.get("published") or raw.get("updated") or "")
        identity = item_id(str(raw.get("id", "")), link, title, date)
        if identity is None or identity in seen:
            continue
        seen.add(identity)
        entries.append(Entry(identity, title, link, plain(raw.get("summary", "")), _moment(raw)))
    return Parsed(entries, repairs)


def _normal(text: str) -> str:
    # NFKC folds full-width letters (Ｚａｉｆ) and half-width kana into their usual forms.
    return unicodedata.normalize("NFKC", text).casefold()


def matches(entry: Entry, keywords: Iterable[str]) -> tuple[str, ...]:
    """The keywords found in the entry's title or summary; no keywords at all match everything."""
    wanted = [k for k in keywords if k.strip()]
    if not wanted:
        return ("*",)
    haystack = _normal(entry.title + "\n" + entry.summary)
    return tuple(k for k in wanted if _normal(k) in haystack)
