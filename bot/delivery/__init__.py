"""Alert delivery: the outbox dispatcher and its transports (Discord DM and channel, webhook)."""

from __future__ import annotations

from collections.abc import Callable

from bot.delivery.dispatcher import Dispatcher, DispatchSettings
from bot.delivery.dm_budget import DmOpenBudget, DmOpenPolicy
from bot.delivery.pacer import Pacer
from bot.delivery.transport import Transport
from bot.delivery.webhook import WebhookTransport
from bot.domain import Event, TargetKind
from bot.metrics import Metrics
from bot.settings import Settings
from bot.store import Database


def build_dispatcher(
    settings: Settings, db: Database, metrics: Metrics, emit: Callable[[Event], None] | None
) -> Dispatcher:
    """The dispatcher with the transports the settings allow (Discord only with a token)."""
    transports: dict[TargetKind, Transport] = {TargetKind.WEBHOOK: WebhookTransport()}
    token = settings.discord.token
    if token is not None:
        # Imported here: only a service with a Discord token needs discord.py loaded.
        from bot.delivery.discord_transport import DiscordTransport, DmChannels
        from bot.delivery.welcomer import Welcomer

        pacer = Pacer(settings.delivery.rate_per_second)
        budget = DmOpenBudget(db, DmOpenPolicy(settings.delivery.dm_opens_per_minute))
        discord = DiscordTransport(
            token.get_secret_value(),
            settings.discord.api_base,
            pacer,
            DmChannels(db),
            budget,
            public_url=settings.web.public_url,
        )
        discord.attach(Welcomer(db, discord, settings.web.public_url))
        transports[TargetKind.DM] = discord
        transports[TargetKind.CHANNEL] = discord
    config = DispatchSettings(
        poll_seconds=settings.delivery.poll_seconds,
        max_age_seconds=settings.delivery.max_age_seconds,
        concurrency=settings.delivery.concurrency,
        zone_name=settings.timezone,
        public_url=settings.web.public_url,
    )
    return Dispatcher(db, config, metrics, transports, emit=emit)


__all__ = ["DispatchSettings", "Dispatcher", "build_dispatcher"]
