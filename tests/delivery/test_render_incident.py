"""The incident alert: the subscriber's language, the untranslated mark, assets and limits."""

from __future__ import annotations

from bot.delivery.render import MAX_DESCRIPTION, MAX_TOTAL, render, size
from bot.domain import EventKind
from tests.delivery.test_render import MOMENT, subscription

UNTRANSLATED_EN = "(Not yet translated: shown in the original Japanese)"


def payload(**changes: object) -> dict[str, object]:
    return {
        "incident_id": 2,
        "update_id": 9,
        "step": "opened",
        "title_ja": "BTC出金の遅延",
        "title_en": "",
        "stage": "investigating",
        "impact": "major",
        "all_assets": False,
        "assets": ["BTC"],
        "message_ja": "BTCの出金が遅れています。",
        "message_en": "",
        "posted_at": MOMENT.isoformat(),
        **changes,
    }


def test_japanese() -> None:
    embed = render(EventKind.INCIDENT, payload(), MOMENT, subscription("ja"))
    assert embed is not None
    assert embed["title"] == "障害発生 #2: BTC出金の遅延"
    assert embed["description"] == "BTCの出金が遅れています。"
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("段階", "調査中"),
        ("影響", "重大"),
        ("対象銘柄", "BTC"),
    ]
    assert embed["footer"]["text"] == "2018-09-20 09:30 JST"


def test_english_without_a_translation_shows_the_japanese_marked() -> None:
    embed = render(EventKind.INCIDENT, payload(), MOMENT, subscription("en-GB"))
    assert embed is not None
    assert embed["title"] == "New incident #2: BTC出金の遅延"
    assert embed["description"] == f"BTCの出金が遅れています。\n{UNTRANSLATED_EN}"
    translated = render(
        EventKind.INCIDENT,
        payload(step="resolved", stage="resolved", title_en="BTC delays", message_en="Fixed."),
        MOMENT,
        subscription("en-US"),
    )
    assert translated is not None
    assert translated["title"] == "Incident resolved #2: BTC delays"
    assert translated["description"] == "Fixed."
    assert translated["color"] == 0x2ECC71


def test_only_subscribers_of_its_assets_or_of_all_assets() -> None:
    other = subscription("ja", frozenset({"MONA"}))
    assert render(EventKind.INCIDENT, payload(), MOMENT, other) is None
    assert render(EventKind.INCIDENT, payload(), MOMENT, subscription("ja", frozenset({"BTC"})))
    everyone = payload(all_assets=True, assets=["BTC", "MONA"])
    embed = render(EventKind.INCIDENT, everyone, MOMENT, subscription("en", frozenset({"MONA"})))
    assert embed is not None
    assert embed["fields"][2]["value"] == "All assets"


def test_the_longest_texts_fit_discords_limits() -> None:
    longest = payload(title_ja="件" * 200, message_ja="あ" * 2000, title_en="", message_en="")
    embed = render(EventKind.INCIDENT, longest, MOMENT, subscription("en"))
    assert embed is not None
    assert len(embed["description"]) <= MAX_DESCRIPTION
    assert size(embed) <= MAX_TOTAL
    assert embed["description"].endswith(UNTRANSLATED_EN)
