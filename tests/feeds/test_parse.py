"""Parsing: RSS 1.0/2.0 and Atom, item identity, keywords, and the bodies that are refused."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from bot.feeds.errors import FeedError
from bot.feeds.parse import Entry, item_id, matches, parse
from tests.feeds.server import BILLION_LAUGHS, atom, atom_entry, fsa_rss, rss_item

RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://lfb.example/"><title>財務局</title><link>https://lfb.example/</link>
<description>d</description></channel>
<item rdf:about="https://lfb.example/1.html"><title>仮想通貨交換業者の登録について</title>
<link>https://lfb.example/1.html</link><dc:date>2018-09-25T17:00:00+09:00</dc:date></item>
</rdf:RDF>"""


def test_rss2_with_japanese_titles_and_jst_dates() -> None:
    body = fsa_rss(
        rss_item(
            "テックビューロ株式会社に対する行政処分について",
            "https://f/1",
            "Tue, 25 Sep 2018 17:00:00 +0900",
        ),
        rss_item("JST と書かれた日付", "https://f/2", "Tue, 25 Sep 2018 17:00:00 JST"),
    ).encode()
    first, second = parse(body, "application/rss+xml")
    assert first.title == "テックビューロ株式会社に対する行政処分について"
    assert first.published_at == datetime(2018, 9, 25, 8, 0, tzinfo=UTC)
    assert second.published_at == datetime(2018, 9, 25, 8, 0, tzinfo=UTC)


def test_rss1_and_atom() -> None:
    (rdf,) = parse(RSS1.encode())
    assert (
        rdf.title == "仮想通貨交換業者の登録について" and rdf.link == "https://lfb.example/1.html"
    )
    assert rdf.published_at == datetime(2018, 9, 25, 8, 0, tzinfo=UTC)
    (entry,) = parse(
        atom(atom_entry("urn:x:1", "Zaif", "https://a/1", "2026-11-26T17:30:00+09:00")).encode()
    )
    assert entry.link == "https://a/1" and entry.published_at == datetime(
        2026, 11, 26, 8, 30, tzinfo=UTC
    )


def test_identity_is_guid_else_link_else_title_and_date() -> None:
    assert item_id("g", "https://l", "t", "d") == item_id("g", "https://other", "x", "y")
    assert item_id("", "https://l", "t", "d") == item_id("", "https://l", "x", "y")
    assert item_id("", "https://l", "t", "d") != item_id("", "https://m", "t", "d")
    assert item_id("", "", "t", "d1") != item_id("", "", "t", "d2")
    assert item_id("", "", "", "") is None
    body = fsa_rss(
        rss_item("same", "https://f/1", "Tue, 25 Sep 2018 17:00:00 +0900", guid="id-1"),
        rss_item("renamed", "https://f/moved", "Tue, 25 Sep 2018 17:00:00 +0900", guid="id-1"),
    ).encode()
    assert len(parse(body)) == 1  # one guid, one item


def test_keywords_ignore_case_and_width() -> None:
    entry = Entry("id", "ＺＡＩＦ の件", "", "仮想通貨交換業者への命令", None)
    assert matches(entry, ["zaif", "仮想通貨交換業", "テックビューロ"]) == (
        "zaif",
        "仮想通貨交換業",
    )
    assert matches(entry, ["テックビューロ"]) == ()
    assert matches(entry, []) == ("*",)  # a feed without keywords wants every item


def test_a_feed_in_its_declared_shift_jis_is_read() -> None:
    body = fsa_rss(
        rss_item("テックビューロ", "https://f/1", "Tue, 25 Sep 2018 17:00:00 +0900"),
        encoding="Shift_JIS",
    ).encode("shift_jis")
    assert parse(body)[0].title == "テックビューロ"


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (
            fsa_rss(rss_item("テックビューロ", "https://f/1", "x")).encode("shift_jis"),
            None,
            "encoding",
        ),
        (
            fsa_rss(rss_item("a", "https://f/1", "x"), encoding="x-no-such").encode(),
            None,
            "encoding",
        ),
        (
            "<rss><channel><title>テ</title></channel></rss>".encode("euc_jp"),
            "text/xml; charset=utf-8",
            "encoding",
        ),
        (b"<rss><channel>", None, "malformed"),
        (b"", None, "malformed"),
        (b"<html><body>hi</body></html>", None, "not_a_feed"),
        (BILLION_LAUGHS, None, "forbidden_dtd"),
        (BILLION_LAUGHS.decode().encode("utf-16"), None, "forbidden_dtd"),
        (b'<!DOCTYPE rss SYSTEM "file:///etc/passwd"><rss version="2.0"/>', None, "forbidden_dtd"),
    ],
)
def test_refused_bodies(body: bytes, content_type: str | None, kind: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse(body, content_type)
    assert caught.value.kind == kind


def test_billion_laughs_is_refused_in_bounded_memory() -> None:
    # Expanded, &lol9; is 10**9 "lol"s (3 GB); refused at the DOCTYPE, it costs almost nothing.
    tracemalloc.start()
    try:
        with pytest.raises(FeedError):
            parse(BILLION_LAUGHS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024, f"peak {peak} bytes"
