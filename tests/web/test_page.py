"""The status page: content, languages, escaping and accessibility markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.web.context import WebContext
from tests.web.helpers import SEEDED_CODES, Client, reopen


class Outline(HTMLParser):
    """What a checker of the markup needs: tags with attributes, and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def asset_row(html: str, code: str) -> str:
    match = re.search(rf'<tr id="asset-{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(1)


async def test_page_in_japanese_by_default(client: Client) -> None:
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    html = await response.text()
    assert '<html lang="ja">' in html
    assert "Zaif 入出金状況" in html
    for code in SEEDED_CODES:
        row = asset_row(html, code)
        assert row.count("停止中") == 2  # deposit and withdrawal, in words
        assert "不正流出" in row
    assert "ビットコインキャッシュ" in html
    assert "11銘柄すべてで入金・出金を停止しています。" in html
    assert "2018-09-17 00:00 JST" in asset_row(html, "BTC")
    assert "2018-09-18 00:00 JST" in asset_row(html, "NCXC")


async def test_page_shows_incident_orders_and_support(client: Client) -> None:
    html = await (await client.get("/")).text()
    for phone in ("03-6629-2471", "03-6629-2842"):
        assert f'href="tel:{phone}"' in html
    assert "10:00〜17:30(土日祝含む)" in html
    assert "https://zaif.jp/contact" in html
    assert "5,966.1 BTC" in html and "約42億5000万円" in html
    assert "6,236,810.1 MONA" in html and "約6億7200万円" in html
    assert "約45億8700万円" in html  # customers' total
    assert "業務改善命令" in html and "2018-09-27" in html
    assert "顧客被害の拡大防止" in html
    assert "期限超過" in html  # the 2018 report deadline is long past and the order still open


async def test_english_by_query_and_switch_links(client: Client) -> None:
    html = await (await client.get("/?lang=en")).text()
    assert '<html lang="en">' in html
    assert "Deposits and withdrawals are suspended for all 11 assets." in html
    assert asset_row(html, "pepecash").count("Suspended") == 2
    assert "Security incident" in asset_row(html, "BTC")
    assert "No date for restart" in asset_row(html, "BTC")  # the seeded note, in English
    assert "≈ ¥4.25bn" in html and "≈ ¥7.0bn" in html and "≈ ¥672m" in html
    assert "overdue" in html
    assert "Kinki Local Finance Bureau" in html and "近畿財務局" not in html
    tags = outline(html).tags
    links = {a.get("href") for tag, a in tags if tag == "a"}
    assert {"/?lang=ja", "/?lang=en"} <= links
    current = [a for tag, a in tags if tag == "a" and a.get("aria-current") == "page"]
    assert [a["href"] for a in current] == ["/?lang=en"]


async def test_accept_language_is_honoured_without_query(client: Client) -> None:
    english = await client.get("/", headers={"Accept-Language": "en-US,en;q=0.9,ja;q=0.5"})
    assert '<html lang="en">' in await english.text()
    assert english.headers["Vary"] == "Accept-Language"
    japanese = await client.get("/", headers={"Accept-Language": "ja,en;q=0.5"})
    assert '<html lang="ja">' in await japanese.text()
    forced = await client.get("/?lang=ja", headers={"Accept-Language": "en"})
    assert '<html lang="ja">' in await forced.text()
    assert "Vary" not in forced.headers


async def test_tables_have_header_cells_with_scope(client: Client) -> None:
    html = await (await client.get("/")).text()
    tags = outline(html).tags
    headers = [a for tag, a in tags if tag == "th"]
    assert headers and all(a.get("scope") in {"col", "row"} for a in headers)
    assert sum(1 for tag, _ in tags if tag == "table") == 4  # assets, changes, orders, losses
    assert sum(1 for tag, _ in tags if tag == "caption") >= 4
    # Every state badge carries its name in words next to a decorative, hidden shape.
    assert html.count('class="icon" aria-hidden="true"') >= 22
    assert not [a for tag, a in tags if tag == "script"]
    assert not [a for _, a in tags if "style" in a or any(k.startswith("on") for k in a)]


async def test_a_change_shows_on_the_page(client: Client, context: WebContext) -> None:
    await context.status.change(reopen("MONA", note="wallet checked"))
    html = await (await client.get("/?lang=en")).text()
    row = asset_row(html, "MONA")
    assert row.count("Operational") == 2 and "Suspended" not in row
    assert "wallet checked" in row
    assert "Of 11 assets, deposits work for 1 and withdrawals for 1." in html
    changes = html.split('id="changes"')[1].split("</table>")[0]
    assert "MONA" in changes and "Suspended" in changes and "Operational" in changes


async def test_directions_with_different_details_are_told_apart(
    client: Client, context: WebContext
) -> None:
    await context.status.change(
        StatusRequest(
            targets=(Target("BCH", Direction.DEPOSIT, State.DELAYED),),
            reason=Reason.NETWORK_CONGESTION,
            note="mempool backlog",
            actor="ops",
            source=Source.CLI,
        )
    )
    row = asset_row(await (await client.get("/?lang=en")).text(), "BCH")
    assert "Delayed" in row and "Suspended" in row
    assert "Deposit: Network congestion" in row
    assert "Withdrawal: Security incident" in row


async def test_notes_are_escaped(client: Client, context: WebContext) -> None:
    await context.status.change(reopen("XCP", note='<script>alert("x")</script> & @everyone'))
    html = await (await client.get("/")).text()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; @everyone" in html


async def test_head_and_static_files(client: Client) -> None:
    head = await client.head("/")
    assert head.status == 200
    assert await head.read() == b""
    css = await client.get("/static/style.css")
    assert css.status == 200
    assert css.content_type == "text/css"
    assert "@media (max-width: 760px)" in await css.text()
    icon = await client.get("/static/favicon.svg")
    assert icon.status == 200
    listing = await client.get("/static/")
    assert listing.status in (403, 404)  # no directory listing
    assert "style.css" not in await listing.text()


async def test_expected_reopen_is_shown_in_jst(client: Client, context: WebContext) -> None:
    await context.status.change(
        StatusRequest(
            targets=tuple(Target("ZAIF", d, State.MAINTENANCE) for d in Direction),
            reason=Reason.WALLET_UPGRADE,
            note="",
            actor="ops",
            source=Source.CLI,
            expected_reopen=datetime(2018, 10, 1, 3, 0, tzinfo=UTC),
        )
    )
    row = asset_row(await (await client.get("/?lang=en")).text(), "ZAIF")
    assert row.count("Maintenance") == 2
    assert "Expected to reopen: 2018-10-01 12:00 JST" in row
    body = await (await client.get("/api/v1/assets/zaif")).json()
    assert body["deposit"]["expected_reopen"] == "2018-10-01T03:00:00Z"
