"""The alert embed: languages, asset filtering, and Discord's embed limits."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.delivery.render import MAX_FIELD_VALUE, MAX_FIELDS, MAX_TOTAL, render, size
from bot.domain import EventFilter, EventKind, Subscription, TargetKind

MOMENT = datetime(2018, 9, 20, 0, 30, tzinfo=UTC)  # 09:30 JST, the morning of the disclosure


def subscription(locale: str = "ja", assets: frozenset[str] | None = None) -> Subscription:
    return Subscription(
        id=1,
        target_kind=TargetKind.DM,
        target="1",
        guild_id=None,
        all_assets=assets is None,
        assets=assets or frozenset(),
        events=EventFilter.ALL,
        locale=locale,
        created_by="test",
        created_at=MOMENT,
    )


def status_payload(codes: list[str], note: str = "") -> dict[str, object]:
    return {
        "changes": [
            {
                "asset": code,
                "name_ja": f"{code}コイン",
                "name_en": f"{code} coin",
                "direction": direction,
                "old_state": "operational",
                "new_state": "suspended",
            }
            for code in codes
            for direction in ("deposit", "withdrawal")
        ],
        "reason": "security_incident",
        "note": note,
        "expected_reopen": None,
        "actor": "ops",
    }


def test_status_in_japanese_with_the_time_in_jst() -> None:
    embed = render(EventKind.STATUS, status_payload(["BTC"]), MOMENT, subscription("ja"))
    assert embed is not None
    assert embed["fields"] == [
        {
            "name": "BTC BTCコイン",
            "value": "入金: 稼働中 → 停止中\n出金: 稼働中 → 停止中",
            "inline": True,
        }
    ]
    assert embed["description"] == "理由: 不正流出"
    assert embed["footer"]["text"] == "2018-09-20 09:30 JST"


def test_english_for_en_locales_and_only_the_subscribed_assets() -> None:
    sub = subscription("en-GB", frozenset({"MONA"}))
    embed = render(EventKind.STATUS, status_payload(["BTC", "MONA"]), MOMENT, sub)
    assert embed is not None
    assert [f["name"] for f in embed["fields"]] == ["MONA MONA coin"]
    assert embed["fields"][0]["value"].startswith("Deposit: Operational → Suspended")
    assert render(EventKind.STATUS, status_payload(["BTC"]), MOMENT, sub) is None


def test_limits_hold_for_many_assets_and_a_huge_note() -> None:
    codes = [f"A{i:02d}" for i in range(40)]
    embed = render(
        EventKind.STATUS, status_payload(codes, note="長" * 5000), MOMENT, subscription()
    )
    assert embed is not None
    assert len(embed["fields"]) == MAX_FIELDS
    assert embed["fields"][-1]["name"] == "ほか16銘柄"
    assert all(len(f["value"]) <= MAX_FIELD_VALUE for f in embed["fields"])
    assert size(embed) <= MAX_TOTAL
    assert len(embed["description"]) <= 4096


def test_orders_show_issuer_deadline_and_link() -> None:
    payload = {
        "issuer": "近畿財務局",
        "issuer_en": "Kinki Local Finance Bureau",
        "action": "business_improvement",
        "issued_on": "2018-09-25",
        "report_due": "2018-09-27",
        "url": "https://lfb.mof.go.jp/kinki/",
        "summary_ja": "第3回業務改善命令",
        "summary_en": "",
    }
    embed = render(EventKind.ORDER, payload, MOMENT, subscription("en"))
    assert embed is not None
    assert embed["title"] == "Regulatory action: Business improvement order"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Issued by"] == "Kinki Local Finance Bureau"
    assert fields["Report due"] == "2018-09-27 24:00 JST"
    assert fields["Details"] == "https://lfb.mof.go.jp/kinki/"
    # No English summary: the Japanese one, marked.
    assert embed["description"] == (
        "第3回業務改善命令\n(Not yet translated: shown in the original Japanese)"
    )
    japanese = render(EventKind.ORDER, payload, MOMENT, subscription("ja"))
    assert japanese is not None and japanese["description"] == "第3回業務改善命令"


def test_operators_hear_of_a_disabled_channel() -> None:
    payload = {
        "topic": "subscription_disabled",
        "target_kind": "channel",
        "target": "42",
        "reason": "403 50001: Missing Access",
    }
    embed = render(EventKind.OPERATOR, payload, MOMENT, subscription("ja"))
    assert embed is not None
    assert "<#42>" in embed["description"] and "Missing Access" in embed["description"]


def test_reminders_and_notices_from_the_other_parts_render() -> None:
    reminder = {
        "title": "期限 / Deadline",
        "title_en": "Report due in 24 hours",
        "text_ja": "報告期限まで24時間です。",
        "text_en": "The report is due in 24 hours.",
    }
    embed = render(EventKind.OPERATOR, reminder, MOMENT, subscription("en"))
    assert embed is not None
    assert embed["title"] == "Report due in 24 hours"
    assert embed["description"] == "The report is due in 24 hours."
    notice = {
        "feed": "fsa-ja",
        "title": "テックビューロ株式会社に対する行政処分について",
        "link": "https://www.fsa.go.jp/news/30/20180925.html",
        "summary": "",
        "published_at": "2018-09-25T08:00:00.000000+00:00",
    }
    embed = render(EventKind.NOTICE, notice, MOMENT, subscription("ja"))
    assert embed is not None
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields == {
        "情報源": "fsa-ja",
        "公表日時": "2018-09-25 17:00 JST",
        "リンク": "https://www.fsa.go.jp/news/30/20180925.html",
    }
