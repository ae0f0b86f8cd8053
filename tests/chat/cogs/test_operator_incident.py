"""/operator incident open|update|resolve|translate: what SQLite holds, and every refusal."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.domain import Impact, IncidentStage, Source
from tests.chat.conftest import Chat

OPEN = "operator incident open"
UPDATE = "operator incident update"
RESOLVE = "operator incident resolve"
TRANSLATE = "operator incident translate"


async def _counts(chat: Chat) -> tuple[int, int, int]:
    """Incident updates, events and deliveries: what a refusal must leave as it was."""
    return (
        await chat.db.repos.incidents.count_updates(),
        await chat.db.repos.events.count(),
        await chat.db.repos.outbox.count(),
    )


async def _open(chat: Chat) -> int:
    result = await chat.emu.invoke(
        OPEN,
        {"title": "BTC出金の遅延", "message": "BTCの出金が遅れています。", "assets": "btc"},
        user=chat.operator,
        guild=chat.guild,
    )
    assert result.content is not None and result.content.startswith("障害 #2 を登録し")
    return 2


async def test_open_update_resolve_and_postmortem(chat: Chat) -> None:
    opened = await chat.emu.invoke(
        OPEN,
        {
            "title": "BTC出金の遅延",
            "message": "BTCの出金が遅れています。",
            "impact": "minor",
            "assets": "btc, Mona",
            "title_en": "BTC withdrawals delayed",
        },
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert opened.ephemeral
    assert opened.content == "Opened incident #2; its alert is on its way."
    assert opened.embeds[0]["title"] == "#2 BTC withdrawals delayed"
    incident = await chat.db.repos.incidents.get(2)
    assert incident is not None
    assert (incident.impact, incident.stage, incident.assets) == (
        Impact.MINOR,
        IncidentStage.INVESTIGATING,
        ("BTC", "MONA"),
    )
    assert incident.created_by == f"discord:{chat.operator_by_id}"
    assert incident.source is Source.DISCORD

    steps = [
        (UPDATE, {"incident": 2, "stage": "identified", "message": "原因を特定しました。"}),
        (UPDATE, {"incident": 2, "stage": "monitoring", "message": "復旧し、様子を見ています。"}),
        (RESOLVE, {"incident": 2, "message": "解決しました。", "message_en": "Resolved."}),
        (UPDATE, {"incident": 2, "stage": "postmortem", "message": "事後報告です。"}),
    ]
    for name, options in steps:
        result = await chat.emu.invoke(name, options, user=chat.operator, guild=chat.guild)
        assert result.ephemeral
        assert result.content is not None and "お知らせを送りました" in result.content, options
    incident = await chat.db.repos.incidents.get(2)
    assert incident is not None
    assert [u.stage.value for u in incident.updates] == [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "postmortem",
    ]
    assert incident.stage is IncidentStage.POSTMORTEM
    assert incident.resolved_at is not None
    assert incident.updates[3].message_en == "Resolved."
    events = await chat.db.repos.events.latest(10)
    assert [e.payload["step"] for e in events if e.kind.value == "incident"] == [
        "postmortem",
        "resolved",
        "updated",
        "updated",
        "opened",
    ]
    assert {e.assets for e in events if e.kind.value == "incident"} == {("BTC", "MONA")}


async def test_every_refusal_is_one_ephemeral_line_and_writes_nothing(chat: Chat) -> None:
    incident = await _open(chat)
    await chat.emu.invoke(
        RESOLVE, {"incident": incident, "message": "解決"}, user=chat.operator, guild=chat.guild
    )
    before = await _counts(chat)
    cases: list[tuple[str, dict[str, Any], str, str]] = [
        (
            UPDATE,
            {"incident": incident, "stage": "monitoring", "message": "続報"},
            "障害 #2 は解決済みです。このあと投稿できるのは事後報告(postmortem)だけです。",
            "Incident #2 is resolved: only a postmortem may follow.",
        ),
        (
            RESOLVE,
            {"incident": incident, "message": "もう一度"},
            "障害 #2 はすでに解決済みです。",
            "Incident #2 is resolved already.",
        ),
        (
            UPDATE,
            {"incident": 42, "stage": "identified", "message": "続報"},
            "障害 #42 は見つかりません。",
            "There is no incident #42.",
        ),
        (
            RESOLVE,
            {"incident": 42, "message": "解決"},
            "障害 #42 は見つかりません。",
            "There is no incident #42.",
        ),
        (
            UPDATE,
            {"incident": 1, "stage": "monitoring", "message": "あ" * 2001},
            "メッセージが長すぎます(2001 文字)。2000 文字以内で入力してください。",
            "The message is too long (2001 characters). Please keep it to 2000.",
        ),
        (
            OPEN,
            {"title": "件名", "message": "x" * 2001},
            "メッセージが長すぎます(2001 文字)。2000 文字以内で入力してください。",
            "The message is too long (2001 characters). Please keep it to 2000.",
        ),
        (
            TRANSLATE,
            {"update": 999, "message_en": "Hello"},
            "障害の更新 #999 は見つかりません。",
            "There is no incident update #999.",
        ),
        (
            TRANSLATE,
            {"update": 1, "message_en": "x" * 2001},
            "メッセージが長すぎます(2001 文字)。2000 文字以内で入力してください。",
            "The message is too long (2001 characters). Please keep it to 2000.",
        ),
        (
            OPEN,
            {"title": "件名", "message": "本文", "assets": "BTC,DOGE"},
            "銘柄「DOGE」は取り扱っていません。取り扱い銘柄は /status で確認できます。",
            "We do not list an asset called “DOGE”. /status shows the assets we list.",
        ),
    ]
    for name, options, japanese, english in cases:
        ja = await chat.emu.invoke(name, options, user=chat.operator, guild=chat.guild)
        assert ja.ephemeral, options
        assert ja.content == japanese
        en = await chat.emu.invoke(name, options, user=chat.operator_by_id, guild=chat.guild)
        assert en.ephemeral, options
        assert en.content == english
    assert await _counts(chat) == before
    postmortem = await chat.emu.invoke(
        UPDATE,
        {"incident": incident, "stage": "postmortem", "message": "事後報告"},
        user=chat.operator,
        guild=chat.guild,
    )
    assert postmortem.content is not None and "お知らせを送りました" in postmortem.content


async def test_a_postmortem_waits_for_the_resolution(chat: Chat) -> None:
    result = await chat.emu.invoke(
        UPDATE,
        {"incident": 1, "stage": "postmortem", "message": "事後報告"},
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert result.content == (
        "Incident #1 is not resolved yet: post its postmortem after resolving it."
    )


async def test_translate_sets_the_english_without_an_event(chat: Chat) -> None:
    await _open(chat)
    incident = await chat.db.repos.incidents.get(2)
    assert incident is not None
    update_id = incident.updates[0].id
    before = await _counts(chat)
    result = await chat.emu.invoke(
        TRANSLATE,
        {"update": update_id, "message_en": "BTC withdrawals are delayed."},
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert result.ephemeral
    assert result.content == (
        f"Added the English text of update #{update_id} (incident #2). No alert was sent."
    )
    assert await _counts(chat) == before
    translated = await chat.db.repos.incidents.get_update(update_id)
    assert translated is not None
    assert translated.message_en == "BTC withdrawals are delayed."
    assert translated.translated_by == f"discord:{chat.operator_by_id}"
    assert translated.translated_at is not None


async def test_non_operators_are_refused_on_every_incident_command_and_logged(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.chat")
    before = await _counts(chat)
    calls: list[tuple[str, dict[str, Any]]] = [
        (OPEN, {"title": "件名", "message": "本文"}),
        (UPDATE, {"incident": 1, "stage": "monitoring", "message": "本文"}),
        (RESOLVE, {"incident": 1, "message": "本文"}),
        (TRANSLATE, {"update": 1, "message_en": "text"}),
    ]
    for name, options in calls:
        english = await chat.emu.invoke(name, options, user=chat.ben, guild=chat.guild)
        assert english.ephemeral
        assert english.content == "Only operators may use this command."
        japanese = await chat.emu.invoke(name, options, user=chat.aiko, guild=chat.guild)
        assert japanese.content == "このコマンドは運用担当者だけが使えます。"
        sub = name.split()[-1]
        assert any(
            str(chat.ben) in r.getMessage() and f"incident {sub}" in r.getMessage()
            for r in caplog.records
            if r.levelno == logging.WARNING
        ), name
    assert await _counts(chat) == before
    incident = await chat.db.repos.incidents.get(1)
    assert incident is not None and incident.stage is IncidentStage.IDENTIFIED


async def test_incident_and_update_autocomplete(chat: Chat) -> None:
    await _open(chat)
    incidents = await chat.emu.autocomplete(
        RESOLVE, {"incident": ""}, focused="incident", user=chat.operator, guild=chat.guild
    )
    assert [c["value"] for c in incidents] == [2, 1]
    assert incidents[0]["name"] == "#2 BTC出金の遅延 (調査中)"
    updates = await chat.emu.autocomplete(
        TRANSLATE, {"update": ""}, focused="update", user=chat.operator, guild=chat.guild
    )
    # The update without English comes first; the seeded ones are translated.
    assert updates[0]["value"] == 6
    assert updates[0]["name"].startswith("#6 (#2 investigating) BTCの出金が遅れています。")


async def test_assets_autocomplete_completes_the_last_code(chat: Chat) -> None:
    first = await chat.emu.autocomplete(
        OPEN, {"assets": "a"}, focused="assets", user=chat.operator, guild=chat.guild
    )
    assert first[0]["value"] == "all"
    more = await chat.emu.autocomplete(
        OPEN, {"assets": "BTC,mo"}, focused="assets", user=chat.operator, guild=chat.guild
    )
    assert [c["value"] for c in more] == ["BTC,MONA"]
