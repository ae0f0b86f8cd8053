"""/operator report: the period's notification report attached as an HTML file, ephemeral, for
operators only; too big a report gets a reply to narrow the range instead."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.chat.cogs import operator_report
from bot.clock import JST
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.services.status import StatusService
from tests.chat.conftest import Chat

REPORT = "operator report"


def period() -> dict[str, str]:
    today = datetime.now(JST).date()
    return {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()}


async def _change(chat: Chat) -> None:
    target = Target("BTC", Direction.DEPOSIT, State.OPERATIONAL)
    request = StatusRequest((target,), Reason.MAINTENANCE, "点検完了", "ops", Source.DISCORD)
    await StatusService(chat.db).change(request)


async def test_an_operator_gets_the_html_file(chat: Chat) -> None:
    await _change(chat)
    result = await chat.emu.invoke(REPORT, period(), user=chat.operator, guild=chat.guild)
    assert result.ephemeral
    assert result.content is not None and "(お知らせ 1 件)" in result.content
    (message,) = result.followups
    (attachment,) = message["attachments"]
    assert attachment["filename"].startswith("notification-report-")
    page = chat.emu.world.uploads[int(attachment["id"])].decode("utf-8")
    assert page.startswith("<!doctype html>") and '<html lang="ja">' in page
    assert "お知らせ配信報告書" in page and "点検完了" in page
    assert str(chat.aiko) not in page and str(chat.ben) not in page
    assert message["allowed_mentions"] == {"parse": []}


async def test_an_english_operator_gets_it_in_english(chat: Chat) -> None:
    result = await chat.emu.invoke(REPORT, period(), user=chat.operator_by_id, guild=chat.guild)
    (attachment,) = result.followups[0]["attachments"]
    page = chat.emu.world.uploads[int(attachment["id"])].decode("utf-8")
    assert '<html lang="en">' in page and "Notification report" in page


async def test_too_big_a_report_asks_for_a_narrower_range(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(operator_report, "MAX_BYTES", 1024)
    result = await chat.emu.invoke(REPORT, period(), user=chat.operator, guild=chat.guild)
    assert result.ephemeral
    assert result.content is not None and "期間を短くしてください" in result.content
    assert all(not m["attachments"] for m in result.followups)


async def test_a_bad_date_and_a_non_operator_are_refused(chat: Chat) -> None:
    result = await chat.emu.invoke(
        REPORT, {"from": "yesterday", "to": "2026-01-01"}, user=chat.operator, guild=chat.guild
    )
    assert result.ephemeral and result.content is not None and "yesterday" in result.content
    result = await chat.emu.invoke(REPORT, period(), user=chat.aiko, guild=chat.guild)
    assert result.ephemeral and not any(m["attachments"] for m in result.followups)
    assert result.content is not None and "運用担当者" in result.content
