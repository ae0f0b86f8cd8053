"""The maintenance notice embed: each step in Japanese and English, cut to the subscriber's
assets, the untranslated note marked, the pairs left as an operator set them listed."""

from __future__ import annotations

from typing import Any

from bot.delivery.maintenance_render import cut_to
from bot.delivery.render import render
from bot.domain import EventKind
from bot.i18n import Lang
from bot.i18n.maintenance import lead_text
from tests.delivery.test_render import MOMENT, subscription


def payload(step: str, **extra: Any) -> dict[str, Any]:
    return {
        "maintenance_id": 7,
        "step": step,
        "direction": "both",
        "all_assets": False,
        "assets": [
            {"code": "BTC", "name_ja": "ビットコイン", "name_en": "Bitcoin"},
            {"code": "MONA", "name_ja": "モナコイン", "name_en": "Monacoin"},
        ],
        "starts_at": "2026-12-01T01:00:00.000000+00:00",
        "ends_at": "2026-12-01T03:00:00.000000+00:00",
        "reason": "wallet_upgrade",
        "note_ja": "ウォレットを更新します",
        "note_en": "",
        "changes": [],
        "left": [],
        **extra,
    }


def _field(embed: dict[str, Any], name: str) -> str:
    return str(next(f["value"] for f in embed["fields"] if f["name"] == name))


def test_a_scheduled_window_in_japanese_and_in_english() -> None:
    ja = render(EventKind.MAINTENANCE, payload("scheduled"), MOMENT, subscription("ja"))
    assert ja is not None and ja["title"] == "メンテナンスのお知らせ"
    assert ja["description"].endswith("ウォレットを更新します")
    assert _field(ja, "日時(日本時間)") == "2026-12-01 10:00 JST 〜 2026-12-01 12:00 JST"
    assert _field(ja, "対象銘柄") == "BTC ビットコイン, MONA モナコイン"
    assert _field(ja, "対象") == "入金・出金"
    en = render(EventKind.MAINTENANCE, payload("scheduled"), MOMENT, subscription("en"))
    assert en is not None and en["title"] == "Scheduled maintenance"
    assert "ウォレットを更新します\n(Not yet translated" in en["description"]
    assert _field(en, "When (JST)") == "2026-12-01 10:00 JST to 2026-12-01 12:00 JST"
    assert _field(en, "Reason") == "Wallet upgrade"


def test_cut_to_the_subscribers_assets() -> None:
    started = payload(
        "started",
        changes=[
            {"asset": a, "direction": d, "old_state": "suspended", "new_state": "maintenance"}
            for a in ("BTC", "MONA")
            for d in ("deposit", "withdrawal")
        ],
    )
    mona = subscription("en", frozenset({"MONA"}))
    embed = render(EventKind.MAINTENANCE, started, MOMENT, mona)
    assert embed is not None and embed["title"] == "Maintenance started"
    assert _field(embed, "Assets") == "MONA Monacoin"
    assert _field(embed, "Status changes") == (
        "MONA Deposit: Suspended → Maintenance\nMONA Withdrawal: Suspended → Maintenance"
    )
    cut = cut_to(started, mona)  # what a webhook subscriber's body carries
    assert [a["code"] for a in cut["assets"]] == ["MONA"]
    assert {c["asset"] for c in cut["changes"]} == {"MONA"} and cut["step"] == "started"
    other = subscription("en", frozenset({"BCH"}))
    assert render(EventKind.MAINTENANCE, started, MOMENT, other) is None


def test_the_end_lists_what_an_operator_changed_meanwhile() -> None:
    ended = payload(
        "completed",
        changes=[
            {
                "asset": "BTC",
                "direction": "withdrawal",
                "old_state": "maintenance",
                "new_state": "suspended",
            }
        ],
        left=[{"asset": "BTC", "direction": "deposit", "state": "operational"}],
    )
    embed = render(EventKind.MAINTENANCE, ended, MOMENT, subscription("ja"))
    assert embed is not None and embed["title"] == "メンテナンスが終了しました"
    assert _field(embed, "元に戻していないもの").startswith("BTC 入金: 稼働中\n")
    assert "運用担当者が状態を変更した" in _field(embed, "元に戻していないもの")


def test_reminders_and_extensions_say_how_long_and_what_changed() -> None:
    reminder = render(
        EventKind.MAINTENANCE, payload("reminder", lead_hours=24), MOMENT, subscription("ja")
    )
    assert reminder is not None and reminder["title"] == "メンテナンス開始まであと24時間"
    extended = payload("extended", old_ends_at="2026-12-01T02:00:00.000000+00:00")
    embed = render(EventKind.MAINTENANCE, extended, MOMENT, subscription("en"))
    assert embed is not None and _field(embed, "Previously ending") == "2026-12-01 11:00 JST"
    assert lead_text(Lang.EN, 0.5) == "30 minute(s)"
    assert lead_text(Lang.JA, 2 / 3600) == "2秒"
