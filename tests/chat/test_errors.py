"""The one error path: surprises are logged with context and answered with an apology."""

from __future__ import annotations

import logging

import pytest

from bot.chat.errors import describe
from bot.domain import InvalidInput, NotFound, UnknownAsset
from bot.i18n import Lang
from tests.chat.conftest import Chat


async def test_an_unexpected_failure_is_logged_and_apologised_for(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.chat")
    await chat.db.close()  # the database goes away under the running bot
    result = await chat.emu.invoke("status", user=chat.aiko, guild=chat.guild)
    assert result.ephemeral
    assert result.content == (
        "申し訳ありません。処理中に問題が発生しました。しばらくしてからもう一度お試しください。"
    )
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert f"/status failed for user {chat.aiko}" in failures[0].getMessage()
    # The bot is still up: commands that need no database still answer.
    support = await chat.emu.invoke("support", user=chat.ben, guild=chat.guild)
    assert support.embeds[0]["title"] == "Zaif Support Center"


def test_domain_errors_read_naturally_in_both_languages() -> None:
    assert describe(UnknownAsset("doge"), Lang.EN) == (
        "We do not list an asset called “doge”. /status shows the assets we list."
    )
    assert describe(NotFound("order", 7), Lang.JA) == "行政処分 #7 は見つかりません。"
    url = InvalidInput("order_url_not_https", "the url must start with https://", limit=500)
    assert describe(url, Lang.EN) == (
        "The URL must start with https:// and be at most 500 characters long."
    )
    assert (
        describe(url, Lang.JA) == "URL は https:// で始まる 500 文字以内のものを指定してください。"
    )
    assert describe(RuntimeError("boom"), Lang.EN) is None
