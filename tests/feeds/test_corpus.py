"""Feeds shaped like the Japanese government's, sloppy as they are: each one is watched.

Every file in corpus/ is the feed as it stands after a new matching item appeared, newest item
first. The test serves it without that item for the first poll (recorded, no alert), then whole
(one alert), then again (nothing more).
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.domain import EventKind
from bot.feeds.errors import FeedError
from bot.feeds.parse import parse, read
from bot.services.feeds import FeedService
from bot.settings import FeedSource
from bot.store import Database
from tests.feeds.conftest import KEYWORDS, Built, Subscribers, count_events, deliveries_of
from tests.feeds.server import FeedServer

CORPUS = Path(__file__).parent / "corpus"
# The first item or entry; `<`, `/` and `>` are never the second byte of a Shift_JIS or EUC-JP
# character, so this finds the same element in the bytes of every corpus encoding.
_FIRST_ITEM = re.compile(rb"<(item|entry)\b.*?</\1>\s*", re.DOTALL)


@dataclass(frozen=True)
class Case:
    file: str
    content_type: str
    items: int  # in the whole file
    new_title: str
    published_jst: str
    repaired: bool


CASES = [
    Case(
        "fsa-rss2-nbsp.xml",
        "application/rss+xml; charset=UTF-8",
        3,
        "暗号資産交換業者に対する行政処分について (令和8年11月26日)",
        "2026-11-26 17:30 JST",
        repaired=True,
    ),
    Case(
        "mof-rdf.xml",
        "application/rdf+xml",
        3,
        "暗号資産交換業者に対する行政処分について(近畿財務局)",
        "2026-11-26 17:30 JST",
        repaired=False,
    ),
    Case(
        "kinki-atom.xml",
        "application/atom+xml",
        3,
        "Zaif 事業の譲受会社に対する報告徴求命令について",
        "2026-11-26 17:30 JST",
        repaired=False,
    ),
    Case(
        "kantou-sjis.xml",
        "text/xml",  # no charset: the XML declaration's Shift_JIS is what counts
        3,
        "㈱テックビューロ事業の承継先に対する行政処分について",
        "2026-11-26 17:30 JST",
        repaired=False,
    ),
    Case(
        "tokai-eucjp.xml",
        "application/rss+xml; charset=EUC-JP",
        2,
        "暗号資産交換業者の登録について",
        "2026-11-26 17:30 JST",
        repaired=False,
    ),
    Case(
        "fsa-bom-amp.xml",
        "application/rss+xml",
        2,
        "暗号資産交換業者 & 電子決済手段等取引業者に対する行政処分",
        "2026-11-26 17:30 JST",
        repaired=True,
    ),
]


def _without_newest(body: bytes) -> bytes:
    trimmed, found = _FIRST_ITEM.subn(b"", body, count=1)
    assert found == 1
    return trimmed


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
async def test_each_corpus_feed_is_watched_end_to_end(
    case: Case,
    db: Database,
    db_path: Path,
    feed_server: FeedServer,
    subscribers: Subscribers,
    make_watcher: Callable[..., Built],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.feeds")
    body = (CORPUS / case.file).read_bytes()
    source = FeedSource(name="regulator", url=feed_server.url(case.file), keywords=KEYWORDS)
    built = make_watcher(db, [source])
    await built.watcher.start()

    feed_server.serve(case.file, _without_newest(body), content_type=case.content_type)
    first = await built.watcher.poll("regulator")
    assert first.ok and first.first and first.new_items == case.items - 1 and not first.notices

    feed_server.serve(case.file, body, content_type=case.content_type)
    found = await built.watcher.poll("regulator")
    assert found.ok and found.new_items == 1 and len(found.notices) == 1
    event = found.notices[0]
    assert event.kind is EventKind.NOTICE
    assert event.payload["title"] == case.new_title
    assert event.payload["published_jst"] == case.published_jst
    assert deliveries_of(db_path, event.id) == {subscribers.orders, subscribers.operator}

    again = await built.watcher.poll("regulator")
    assert again.ok and again.new_items == 0 and not again.notices
    assert count_events(db_path, "notice") == 1
    state = await FeedService(db).get("regulator")
    assert state.items_seen == case.items and state.consecutive_failures == 0
    # A mended feed is said once for the process, not at each of its three polls.
    mended = [r for r in caplog.records if "read after mending" in r.getMessage()]
    assert len(mended) == (1 if case.repaired else 0)


def test_what_was_mended_is_counted() -> None:
    nbsp = read((CORPUS / "fsa-rss2-nbsp.xml").read_bytes())
    assert nbsp.repairs.html_entities == 6 and nbsp.repairs.stray_ampersands == 0
    assert nbsp.entries[2].summary == "© 金融庁"
    bom = read((CORPUS / "fsa-bom-amp.xml").read_bytes())
    assert bom.repairs.html_entities == 0 and bom.repairs.stray_ampersands == 4
    # Inside CDATA the HTML is the description's own: read as HTML, not mended as XML.
    assert bom.entries[0].summary == "業務改善命令 を発出しました。"
    assert bom.entries[0].link.endswith("?from=rss&id=1")
    assert not read((CORPUS / "mof-rdf.xml").read_bytes()).repairs


SLOPPY_ITEM = "<item><title>Zaif&nbsp;の件 & その他</title><link>https://f/1</link></item>"
XXE = '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
NETSCAPE = (
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
    ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
)
INTERNAL = '<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]>'


def _rss(head: str, channel: str, tail: str = "</channel></rss>") -> str:
    return f'{head}<rss version="2.0"><channel>{channel}{tail}'


REFUSED = {
    # Sloppy text does not excuse a DTD: external entities, a public DTD, internal entities.
    "xxe": (_rss(f'<?xml version="1.0"?>{XXE}', "&x;" + SLOPPY_ITEM).encode(), "forbidden_dtd"),
    "public-dtd": (_rss(NETSCAPE, SLOPPY_ITEM).encode(), "forbidden_dtd"),
    "entity-decl": (_rss(INTERNAL, SLOPPY_ITEM).encode(), "forbidden_dtd"),
    # A BOM says UTF-8, the bytes are Shift_JIS: a lie, even with an & to mend.
    "bom-lies": (codecs.BOM_UTF8 + _rss("", SLOPPY_ITEM).encode("cp932"), "encoding"),
    # Declared EUC-JP, written in Shift_JIS.
    "euc-lies": (
        _rss('<?xml version="1.0" encoding="EUC-JP"?>', "<title>テックビューロ</title>").encode(
            "cp932"
        ),
        "encoding",
    ),
    # Mending is for ampersands only: a truncated body or crossed tags stay refused.
    "truncated": (_rss("", SLOPPY_ITEM, tail="").encode(), "malformed"),
    "crossed": (_rss("", "<item><title>a & b</item></title>").encode(), "malformed"),
}


@pytest.mark.parametrize(("body", "kind"), list(REFUSED.values()), ids=list(REFUSED))
def test_dangerous_or_broken_bodies_are_still_refused(body: bytes, kind: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse(body)
    assert caught.value.kind == kind
