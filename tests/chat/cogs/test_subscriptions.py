"""/subscribe, /unsubscribe, /subscriptions: what is stored, and who may set up a channel."""

from __future__ import annotations

import asyncio

from bot.domain import EventFilter, TargetKind
from tests.chat.conftest import MANAGE_CHANNELS, Chat


async def test_a_dm_subscription_is_stored_with_the_users_locale(chat: Chat) -> None:
    result = await chat.emu.invoke(
        "subscribe", {"asset": "btc", "events": "status"}, user=chat.aiko, guild=chat.guild
    )
    assert result.ephemeral
    # No dispatcher runs here: the welcome is still queued when the reply goes.
    assert result.content == (
        "BTC の入出金状況の変更を DM でお知らせします。\n"
        "登録しました。DM へのご案内はまもなく届きます。"
    )
    sub = await chat.db.repos.subscriptions.find(TargetKind.DM, str(chat.aiko))
    assert sub is not None
    assert (sub.all_assets, sub.assets, sub.events) == (
        False,
        frozenset({"BTC"}),
        EventFilter.STATUS,
    )
    assert (sub.locale, sub.created_by, sub.guild_id) == ("ja", f"discord:{chat.aiko}", None)
    more = await chat.emu.invoke(
        "subscribe", {"asset": "MONA", "events": "orders"}, user=chat.aiko, guild=chat.guild
    )
    assert (more.content or "").startswith("BTC, MONA のすべてのお知らせを DM でお知らせします。\n")


async def test_a_subscription_to_everything_by_default(chat: Chat) -> None:
    result = await chat.emu.invoke("subscribe", user=chat.ben, guild=chat.guild)
    assert result.content == (
        "You will get all alerts for all assets by DM.\n"
        "Subscribed. A welcome message will reach your DMs shortly."
    )
    sub = await chat.db.repos.subscriptions.find(TargetKind.DM, str(chat.ben))
    assert sub is not None and sub.all_assets and sub.events is EventFilter.ALL
    assert sub.locale == "en-US"


async def test_a_channel_needs_manage_channels_there(chat: Chat) -> None:
    refused = await chat.emu.invoke(
        "subscribe", {"channel": chat.alerts}, user=chat.ben, guild=chat.guild
    )
    assert refused.ephemeral
    assert refused.content == (
        f"Setting up alerts in <#{chat.alerts}> needs the Manage Channels permission there."
    )
    assert await chat.db.repos.subscriptions.find(TargetKind.CHANNEL, str(chat.alerts)) is None
    chat.emu.set_user_permissions(chat.guild, chat.alerts, chat.ben, MANAGE_CHANNELS)
    accepted = await chat.emu.invoke(
        "subscribe", {"channel": chat.alerts, "events": "status"}, user=chat.ben, guild=chat.guild
    )
    assert accepted.content == f"status changes for all assets will be posted in <#{chat.alerts}>."
    sub = await chat.db.repos.subscriptions.find(TargetKind.CHANNEL, str(chat.alerts))
    assert sub is not None
    assert (sub.guild_id, sub.events, sub.created_by) == (
        str(chat.guild),
        EventFilter.STATUS,
        f"discord:{chat.ben}",
    )


async def test_a_channel_the_bot_cannot_post_in_is_refused(chat: Chat) -> None:
    chat.emu.set_user_permissions(chat.guild, chat.closed, chat.ben, MANAGE_CHANNELS)
    result = await chat.emu.invoke(
        "subscribe", {"channel": chat.closed}, user=chat.ben, guild=chat.guild
    )
    assert result.content == (
        f"The bot cannot post in <#{chat.closed}>. Please check its permissions."
    )
    assert await chat.db.repos.subscriptions.find(TargetKind.CHANNEL, str(chat.closed)) is None


async def test_an_unknown_asset_is_not_subscribed(chat: Chat) -> None:
    result = await chat.emu.invoke("subscribe", {"asset": "DOGE"}, user=chat.aiko, guild=chat.guild)
    assert result.content is not None and "DOGE" in result.content
    assert await chat.db.repos.subscriptions.find(TargetKind.DM, str(chat.aiko)) is None


async def test_unsubscribe_one_asset_then_everything(chat: Chat) -> None:
    nothing = await chat.emu.invoke("unsubscribe", user=chat.ben, guild=chat.guild)
    assert nothing.content == "There were no alerts to stop."
    await chat.emu.invoke("subscribe", user=chat.ben, guild=chat.guild)
    partly = await chat.emu.invoke(
        "unsubscribe", {"asset": "pepecash"}, user=chat.ben, guild=chat.guild
    )
    assert partly.content is not None
    assert partly.content.startswith("Alerts stopped for those assets. Still alerted: BTC, MONA")
    assert "pepecash" not in partly.content
    sub = await chat.db.repos.subscriptions.find(TargetKind.DM, str(chat.ben))
    assert sub is not None and len(sub.assets) == 10 and "pepecash" not in sub.assets
    done = await chat.emu.invoke("unsubscribe", user=chat.ben, guild=chat.guild)
    assert done.content == "Alerts stopped."
    assert await chat.db.repos.subscriptions.find(TargetKind.DM, str(chat.ben)) is None


async def test_unsubscribing_a_channel_needs_manage_channels_too(chat: Chat) -> None:
    chat.emu.set_user_permissions(chat.guild, chat.alerts, chat.ben, MANAGE_CHANNELS)
    await chat.emu.invoke("subscribe", {"channel": chat.alerts}, user=chat.ben, guild=chat.guild)
    refused = await chat.emu.invoke(
        "unsubscribe", {"channel": chat.alerts}, user=chat.aiko, guild=chat.guild
    )
    assert refused.content is not None and "チャンネルの管理" in refused.content
    assert await chat.db.repos.subscriptions.find(TargetKind.CHANNEL, str(chat.alerts)) is not None


async def test_subscriptions_lists_what_is_stored(chat: Chat) -> None:
    none = await chat.emu.invoke("subscriptions", user=chat.aiko, guild=chat.guild)
    assert none.content == "通知の登録はありません。/subscribe で登録できます。"
    await chat.emu.invoke("subscribe", {"asset": "bch"}, user=chat.aiko, guild=chat.guild)
    listed = await chat.emu.invoke("subscriptions", user=chat.aiko, guild=chat.guild)
    assert listed.ephemeral
    field = listed.embeds[0]["fields"][0]
    assert field["name"] == "あなたへの DM"
    assert "銘柄: BCH" in field["value"] and "状態: 有効" in field["value"]
    chat.emu.set_user_permissions(chat.guild, chat.alerts, chat.ben, MANAGE_CHANNELS)
    await chat.emu.invoke("subscribe", {"channel": chat.alerts}, user=chat.ben, guild=chat.guild)
    refused = await chat.emu.invoke(
        "subscriptions", {"channel": chat.alerts}, user=chat.aiko, guild=chat.guild
    )
    assert refused.ephemeral and not refused.embeds  # a channel's list is for its managers
    channel = await chat.emu.invoke(
        "subscriptions", {"channel": chat.alerts}, user=chat.ben, guild=chat.guild, locale="ja"
    )
    value = channel.embeds[0]["fields"][0]["value"]
    assert value.startswith(f"<#{chat.alerts}>") and "全銘柄" in value


async def test_an_announcement_channel_is_said_to_be_followable(chat: Chat) -> None:
    news = chat.emu.add_channel(chat.guild, "exchange-status", announcement=True)
    chat.emu.set_user_permissions(chat.guild, news, chat.ben, MANAGE_CHANNELS)
    await asyncio.sleep(0.2)  # the bot hears of the new channel over the gateway
    answer = await chat.emu.invoke(
        "subscribe", {"channel": news}, user=chat.ben, guild=chat.guild, locale="en-US"
    )
    assert answer.ephemeral
    assert (answer.content or "").endswith(
        "This is an announcement channel: other servers can follow it to get these alerts "
        "too (at most 10 are published an hour; critical ones first)."
    )
    chat.emu.set_user_permissions(chat.guild, chat.alerts, chat.ben, MANAGE_CHANNELS)
    plain = await chat.emu.invoke(
        "subscribe", {"channel": chat.alerts}, user=chat.ben, guild=chat.guild, locale="en-US"
    )
    assert plain.content == f"all alerts for all assets will be posted in <#{chat.alerts}>."
