"""Driving slash commands and autocomplete as a user would, and collecting the answer."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .errors import EmulatorError
from .gateway import Gateway
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    InteractionResult,
    Interactions,
    Pending,
    build_options,
    find_command,
    interaction_payload,
    result_from,
)
from .server import Rejection
from .state import JSON, SnowflakeFactory, World

DEFERRED_MESSAGE = 5


class InvokeMixin:
    """Part of DiscordEmulator; the attributes below are set by its constructor."""

    world: World
    gateway: Gateway
    interactions: Interactions
    rejections: list[Rejection]
    application_id: int
    _ids: SnowflakeFactory

    async def wait_ready(self, timeout: float = 10) -> None:  # noqa: ASYNC109 - tests' API
        raise NotImplementedError

    # -- interactions ---------------------------------------------------------

    def _open(
        self,
        kind: int,
        name: str,
        options: dict[str, Any] | None,
        *,
        focused: str | None,
        user: int,
        guild: int | None,
        channel: int | None,
        locale: str | None,
    ) -> tuple[Pending, JSON]:
        parts = name.split()
        if not parts:
            raise EmulatorError("empty command name")
        command = find_command(self.world, parts[0], guild)
        guild_obj = self.world.guild(guild) if guild is not None else None
        if channel is None:
            if guild_obj is None:
                channel = self.world.dm_channel(user).id
            elif guild_obj.channel_ids:
                channel = guild_obj.channel_ids[0]
            else:
                raise EmulatorError(f"guild {guild} has no channel to invoke in")
        elif self.world.channel(channel).guild_id != guild:
            raise EmulatorError(f"channel {channel} is not in guild {guild}")
        invoker = self.world.user(user)
        opts, resolved = build_options(
            self.world,
            command,
            parts[1:],
            options or {},
            focused=focused,
            guild=guild_obj,
            invoker=user,
        )
        pending = self.interactions.open(self._ids.next(), kind, channel, guild)
        payload = interaction_payload(
            self.world,
            pending=pending,
            application_id=self.application_id,
            command=command,
            options=opts,
            resolved=resolved,
            user_id=user,
            locale=locale or invoker.locale,
        )
        return pending, payload

    def _why(self, pending: Pending) -> str:
        """The emulator's refusals of this interaction's responses, to explain a timeout."""
        mine = [
            f"{x.method} {x.status} {x.body}"
            for x in self.rejections
            if pending.token in x.path or f"/interactions/{pending.id}/" in x.path
        ]
        return f"; rejected responses: {mine}" if mine else ""

    async def _deliver(
        self,
        pending: Pending,
        payload: JSON,
        timeout: float,  # noqa: ASYNC109 - part of the tests' API
    ) -> JSON:
        await self.wait_ready(timeout)
        pending.dispatched_at = time.monotonic()
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        try:
            return await asyncio.wait_for(asyncio.shield(pending.callback), timeout)
        except TimeoutError:
            name = payload["data"]["name"]
            raise EmulatorError(
                f"the bot did not answer /{name} within {timeout}s{self._why(pending)}"
            ) from None

    async def invoke(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: int,
        guild: int | None = None,
        channel: int | None = None,
        locale: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the tests' API
    ) -> InteractionResult:
        """Run a slash command ("cmd", "cmd sub" or "cmd group sub") as `user` and return
        the bot's answer; a deferral waits for the followup or the @original edit."""
        started = time.monotonic()
        pending, payload = self._open(
            APPLICATION_COMMAND,
            name,
            options,
            focused=None,
            user=user,
            guild=guild,
            channel=channel,
            locale=locale,
        )
        callback = await self._deliver(pending, payload, timeout)
        if callback.get("type") == DEFERRED_MESSAGE:
            remaining = max(timeout - (time.monotonic() - started), 0.0)
            try:
                await asyncio.wait_for(pending.updated.wait(), remaining)
            except TimeoutError:
                raise EmulatorError(
                    f"/{name} deferred but sent nothing within {timeout}s{self._why(pending)}"
                ) from None
        return result_from(pending, callback)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        *,
        focused: str,
        user: int,
        guild: int | None = None,
        channel: int | None = None,
        locale: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the tests' API
    ) -> list[JSON]:
        pending, payload = self._open(
            AUTOCOMPLETE,
            name,
            options,
            focused=focused,
            user=user,
            guild=guild,
            channel=channel,
            locale=locale,
        )
        callback = await self._deliver(pending, payload, timeout)
        choices: list[JSON] = (callback.get("data") or {}).get("choices") or []
        return choices
