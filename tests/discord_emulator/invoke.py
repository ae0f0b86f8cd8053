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
    MESSAGE_COMPONENT,
    InteractionResult,
    Interactions,
    Pending,
    build_options,
    component_payload,
    find_command,
    find_component,
    interaction_payload,
    result_from,
)
from .server import Rejection
from .state import JSON, SnowflakeFactory, World

DEFERRED_MESSAGE, DEFERRED_UPDATE = 5, 6


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
            name = payload["data"].get("name") or payload["data"].get("custom_id")
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

    async def press(
        self,
        message: JSON,
        custom_id: str,
        *,
        user: int,
        locale: str | None = None,
        followups: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the tests' API
    ) -> InteractionResult:
        """Press the button `custom_id` on a message the bot sent, as `user` (a member of the
        message's guild, with its permissions in that channel, or the DM's recipient); wait
        for the answer and, with `followups`, for that many followup messages."""
        started = time.monotonic()
        channel = self.world.channel(int(message["channel_id"]))
        stored = self.world.message(channel.id, int(message["id"]))
        if stored is None:
            raise EmulatorError(f"no message {message['id']} in channel {channel.id}")
        button = find_component(stored, custom_id)
        if button is None:
            raise EmulatorError(f"message {stored['id']} has no component {custom_id!r}")
        if button.get("disabled"):
            raise EmulatorError(f"the button {custom_id!r} is disabled: clients cannot press it")
        if channel.guild_id is None and channel.recipient_id != user:
            raise EmulatorError(f"user {user} cannot see the DM channel {channel.id}")
        pending = self.interactions.open(
            self._ids.next(), MESSAGE_COMPONENT, channel.id, channel.guild_id
        )
        pending.message = stored
        payload = component_payload(
            self.world,
            pending=pending,
            application_id=self.application_id,
            message=stored,
            custom_id=custom_id,
            user_id=user,
            locale=locale or self.world.user(user).locale,
        )
        callback = await self._deliver(pending, payload, timeout)

        async def answered() -> None:
            if callback.get("type") in (DEFERRED_MESSAGE, DEFERRED_UPDATE):
                await pending.updated.wait()
            while len(pending.followups) < followups:
                pending.updated.clear()
                await pending.updated.wait()

        remaining = max(timeout - (time.monotonic() - started), 0.0)
        try:
            await asyncio.wait_for(answered(), remaining)
        except TimeoutError:
            raise EmulatorError(
                f"pressing {custom_id!r}: no full answer within {timeout}s{self._why(pending)}"
            ) from None
        return result_from(pending, callback)
