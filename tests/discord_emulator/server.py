"""Bot-authenticated REST routes: identity, commands, guilds, channels, messages, DMs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.typedefs import Middleware

from . import responses as r
from .commands import stored_commands, validate_commands
from .faults import Fault, OpenWindow
from .payloads import channel_json, edit, guild_json, member_json, role_json, user_json
from .ratelimit import global_429_headers, limited_body
from .state import ADMINISTRATOR, CROSSPOSTED, DM, GUILD_ANNOUNCEMENT, MANAGE_ROLES
from .validation import check_message

if TYPE_CHECKING:
    from .emulator import DiscordEmulator

API = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Routes Discord exempts from the global limit: they are authenticated by their token.
UNAUTHENTICATED_PREFIXES = (f"{API}/interactions/", f"{API}/webhooks/")
DM_CREATE_LIMIT = (50, 1.0)
OPENING_TOO_FAST = ("You are opening direct messages too fast.", 40003)
QUARANTINED = (
    "Your bot has been flagged by our anti-spam system for abusive behavior."
    " It cannot send messages to users it has not messaged before.",
    20026,
)


class DroppedConnection(Exception):
    """Raised after the transport was closed on purpose to simulate a lost response."""


@dataclass
class Rejection:
    """A 4xx the emulator answered (validation, permissions, unknown ids) for tests to inspect."""

    method: str
    path: str
    status: int
    body: Any


def build_middleware(emu: DiscordEmulator) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API):
            return await handler(request)
        emu.stats.requests += 1
        response = await _handle(emu, request, handler)
        if 400 <= response.status < 500 and response.status != 429:
            raw = response.body if isinstance(response, web.Response) else None
            body = json.loads(raw) if isinstance(raw, bytes) and raw else None
            emu.rejections.append(Rejection(request.method, request.path, response.status, body))
        return response

    return middleware


async def _handle(
    emu: DiscordEmulator, request: web.Request, handler: Handler
) -> web.StreamResponse:
    if not request.path.startswith(UNAUTHENTICATED_PREFIXES):
        if request.headers.get("Authorization") != f"Bot {emu.token}":
            return r.unauthorized()
        if emu.global_limit_per_second is not None:
            retry_after = emu.global_limiter.take(emu.token, emu.global_limit_per_second)
            if retry_after is not None:
                emu.stats.global_429s += 1
                headers = {**global_429_headers(retry_after), "Via": "1.1 google"}
                return r.json_response(limited_body(retry_after, is_global=True), 429, headers)
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return r.not_found()
    except web.HTTPMethodNotAllowed:
        return r.error(405, "405: Method Not Allowed", 0)
    except DroppedConnection:
        # The transport is already closed; this response is never written.
        return web.Response(status=503)
    except json.JSONDecodeError:
        return r.error(400, "The request body contains invalid JSON.", 50109)


class RestApi:
    def __init__(self, emu: DiscordEmulator) -> None:
        self.emu = emu
        self.world = emu.world

    def add_routes(self, app: web.Application) -> None:
        get, put, post = web.get, web.put, web.post
        app.add_routes(
            [
                get(f"{API}/users/@me", self.me),
                get(f"{API}/users/{{user}}", self.get_user),
                get(f"{API}/oauth2/applications/@me", self.application),
                get(f"{API}/applications/@me", self.application),
                get(f"{API}/gateway", self.gateway),
                get(f"{API}/gateway/bot", self.gateway),
                get(f"{API}/applications/{{app}}/commands", self.get_commands),
                put(f"{API}/applications/{{app}}/commands", self.put_commands),
                get(f"{API}/applications/{{app}}/guilds/{{guild}}/commands", self.get_commands),
                put(f"{API}/applications/{{app}}/guilds/{{guild}}/commands", self.put_commands),
                post(f"{API}/users/@me/channels", self.create_dm),
                get(f"{API}/channels/{{channel}}", self.get_channel),
                post(f"{API}/channels/{{channel}}/messages", self.create_message),
                web.patch(f"{API}/channels/{{channel}}/messages/{{message}}", self.edit_message),
                post(f"{API}/channels/{{channel}}/messages/{{message}}/crosspost", self.crosspost),
                get(f"{API}/guilds/{{guild}}", self.get_guild),
                get(f"{API}/guilds/{{guild}}/channels", self.get_guild_channels),
                get(f"{API}/guilds/{{guild}}/roles", self.get_guild_roles),
                get(f"{API}/guilds/{{guild}}/members/{{user}}", self.get_member),
                put(f"{API}/guilds/{{guild}}/members/{{user}}/roles/{{role}}", self.member_role),
                web.delete(
                    f"{API}/guilds/{{guild}}/members/{{user}}/roles/{{role}}", self.member_role
                ),
            ]
        )

    # -- identity -------------------------------------------------------------

    async def me(self, request: web.Request) -> web.Response:
        self.emu.stats.logins += 1
        return r.json_response(user_json(self.world.bot))

    async def get_user(self, request: web.Request) -> web.Response:
        raw = request.match_info["user"]
        user = self.world.users.get(int(raw)) if raw.isdigit() else None
        if user is None:
            return r.error(404, "Unknown User", 10013)
        return r.json_response(user_json(user))

    async def application(self, request: web.Request) -> web.Response:
        bot = user_json(self.world.bot)
        return r.json_response(
            {
                "id": str(self.emu.application_id),
                "name": self.world.bot.username,
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": self.emu.application_flags,
                "owner": {**bot, "bot": False, "username": "operator"},
                "bot": bot,
                "team": None,
                "summary": "",
                "redirect_uris": [],
                "interactions_endpoint_url": None,
            }
        )

    async def gateway(self, request: web.Request) -> web.Response:
        session_start = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return r.json_response(
            {"url": self.emu.gateway_url, "shards": 1, "session_start_limit": session_start}
        )

    # -- application commands -------------------------------------------------

    def _command_scope(self, request: web.Request) -> int | web.Response | None:
        if request.match_info["app"] != str(self.emu.application_id):
            return r.error(403, "Missing Access", 50001)
        guild = request.match_info.get("guild")
        if guild is None:
            return None
        if not guild.isdigit() or int(guild) not in self.world.guilds:
            return r.missing_access()
        return int(guild)

    async def get_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        if isinstance(scope, web.Response):
            return scope
        return r.json_response(self.world.commands.get(scope, []))

    async def put_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        if isinstance(scope, web.Response):
            return scope
        payload = await r.read_json(request)
        problem = validate_commands(payload)
        if problem is not None:
            return r.json_response(problem, 400)
        stored = stored_commands(
            payload,
            self.world.commands.get(scope, []),
            application_id=self.emu.application_id,
            guild_id=scope,
            ids=self.world.ids,
        )
        self.world.commands[scope] = stored
        self.emu.notify_commands_changed()
        return r.json_response(stored)

    # -- guilds ---------------------------------------------------------------

    def _guild(self, request: web.Request) -> int | None:
        raw = request.match_info["guild"]
        if raw.isdigit() and int(raw) in self.world.guilds:
            return int(raw)
        return None

    async def get_guild(self, request: web.Request) -> web.Response:
        gid = self._guild(request)
        if gid is None:
            return r.error(404, "Unknown Guild", 10004)
        data = guild_json(self.world, self.world.guilds[gid], full=False)
        data["approximate_member_count"] = len(self.world.guilds[gid].members)
        return r.json_response(data)

    async def get_guild_channels(self, request: web.Request) -> web.Response:
        gid = self._guild(request)
        if gid is None:
            return r.error(404, "Unknown Guild", 10004)
        ids = self.world.guilds[gid].channel_ids
        return r.json_response([channel_json(self.world, self.world.channels[c]) for c in ids])

    async def get_guild_roles(self, request: web.Request) -> web.Response:
        gid = self._guild(request)
        if gid is None:
            return r.error(404, "Unknown Guild", 10004)
        return r.json_response([role_json(x) for x in self.world.guilds[gid].roles.values()])

    async def get_member(self, request: web.Request) -> web.Response:
        gid = self._guild(request)
        if gid is None:
            return r.error(404, "Unknown Guild", 10004)
        raw = request.match_info["user"]
        member = self.world.guilds[gid].members.get(int(raw)) if raw.isdigit() else None
        if member is None:
            return r.error(404, "Unknown Member", 10007)
        return r.json_response(member_json(self.world, member))

    async def member_role(self, request: web.Request) -> web.Response:
        """Give (PUT) or take (DELETE) a member's role: the bot needs Manage Roles and a role
        above the one it hands out."""
        gid = self._guild(request)
        if gid is None:
            return r.error(404, "Unknown Guild", 10004)
        guild = self.world.guilds[gid]
        raw, role_raw = request.match_info["user"], request.match_info["role"]
        member = guild.members.get(int(raw)) if raw.isdigit() else None
        if member is None:
            return r.error(404, "Unknown Member", 10007)
        role = guild.roles.get(int(role_raw)) if role_raw.isdigit() else None
        if role is None or role.id == guild.id:
            return r.error(404, "Unknown Role", 10011)
        bot = self.world.bot.id
        allowed = self.world.member_permissions(guild, bot, None) & (MANAGE_ROLES | ADMINISTRATOR)
        if not allowed or self.world.top_position(guild, bot) <= role.position:
            return r.error(403, "Missing Permissions", 50013)
        if request.method == "PUT" and role.id not in member.roles:
            member.roles.append(role.id)
        elif request.method == "DELETE" and role.id in member.roles:
            member.roles.remove(role.id)
        self.emu.stats.role_changes += 1
        return r.no_content()

    # -- channels and messages ------------------------------------------------

    async def get_channel(self, request: web.Request) -> web.Response:
        self.emu.stats.channel_lookups += 1
        raw = request.match_info["channel"]
        channel = self.world.channels.get(int(raw)) if raw.isdigit() else None
        if channel is None:
            return r.unknown_channel()
        if channel.type != DM and not channel.bot_can_send:
            return r.missing_access()
        return r.json_response(channel_json(self.world, channel))

    async def _apply_faults(self, request: web.Request) -> web.Response | None:
        faults = self.emu.faults
        if faults.latency > 0:
            await asyncio.sleep(faults.latency)
        fault = faults.pick()
        if fault is Fault.DROP:
            self.emu.stats.dropped += 1
            if request.transport is not None:
                request.transport.close()
            raise DroppedConnection
        if fault is Fault.ERROR_500:
            self.emu.stats.injected_500s += 1
            return r.error(500, "500: Internal Server Error", 0)
        if fault is Fault.ERROR_429:
            self.emu.stats.injected_429s += 1
            retry_after = 0.25
            headers = {
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Scope": "user",
                "Retry-After": "1",
                "Via": "1.1 google",
            }
            return r.json_response(limited_body(retry_after, is_global=False), 429, headers)
        return None

    async def create_dm(self, request: web.Request) -> web.Response:
        self.emu.stats.dm_open_requests += 1
        # Injected faults stand for failures in front of the API: they use no bucket token.
        faulted = await self._apply_faults(request)
        if faulted is not None:
            return faulted
        verdict = self.emu.route_limiter.take("POST /users/@me/channels", "", *DM_CREATE_LIMIT)
        if not verdict.allowed:
            self.emu.stats.route_429s += 1
            body = limited_body(verdict.retry_after, is_global=False)
            return r.json_response(body, 429, {**verdict.headers, "Via": "1.1 google"})
        payload = await r.read_json(request)
        raw = str((payload or {}).get("recipient_id", ""))
        if not raw.isdigit() or int(raw) not in self.world.users:
            return r.json_response(
                {
                    "code": 50035,
                    "message": "Invalid Form Body",
                    "errors": {
                        "recipient_id": {
                            "_errors": [
                                {"code": "NUMBER_TYPE_COERCE", "message": "Value is not snowflake."}
                            ]
                        }
                    },
                },
                400,
                verdict.headers,
            )
        refusal = self._dm_refusal(int(raw))
        if refusal is not None:
            return r.error(403, *refusal, verdict.headers)
        channel = self.world.dm_channel(int(raw))
        return r.json_response(channel_json(self.world, channel), 200, verdict.headers)

    def _dm_refusal(self, user_id: int) -> tuple[str, int] | None:
        """Discord's anti-spam answers to opening a new DM channel: a quarantined bot may not
        open one with anyone it never messaged, and opening too many too fast is 40003. An
        existing channel is handed back as it is."""
        existing = self.world.dm_channel_by_user.get(user_id)
        if existing is not None and self.world.messages.get(existing):
            return None
        if self.emu.quarantined:
            self.emu.stats.quarantine_refusals += 1
            return QUARANTINED
        if existing is not None:
            return None
        if not self.emu.dm_open_window.take(self.emu.dm_open_limit):
            self.emu.stats.dm_too_fast += 1
            return OPENING_TOO_FAST
        self.emu.stats.dm_channels_opened += 1
        return None

    async def create_message(self, request: web.Request) -> web.Response:
        raw = request.match_info["channel"]
        channel = self.world.channels.get(int(raw)) if raw.isdigit() else None
        if channel is None:
            return r.unknown_channel()
        faulted = await self._apply_faults(request)
        if faulted is not None:
            return faulted
        limit, window = self.emu.channel_message_limit
        verdict = self.emu.route_limiter.take(
            "POST /channels/{channel_id}/messages", raw, limit, window
        )
        if not verdict.allowed:
            self.emu.stats.route_429s += 1
            body = limited_body(verdict.retry_after, is_global=False)
            return r.json_response(body, 429, {**verdict.headers, "Via": "1.1 google"})
        headers = verdict.headers
        if channel.type != DM and not channel.bot_can_send:
            return r.error(403, "Missing Access", 50001, headers)
        if channel.type == DM:
            assert channel.recipient_id is not None
            if not self.world.users[channel.recipient_id].dms_open:
                asked = await r.read_json(request)
                self.world.refused_dms.append((channel.recipient_id, asked or {}))
                return r.error(403, "Cannot send messages to this user", 50007, headers)
        payload = await r.read_json(request)
        problem = check_message(payload)
        if problem is not None:
            return r.json_response(problem, 400, headers)
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            earlier = self.world.recall_nonce(channel.id, self.world.bot.id, str(nonce))
            if earlier is not None:
                self.emu.stats.duplicate_nonces += 1
                return r.json_response(earlier, 200, headers)
        message = self.emu.record_message(channel, payload)
        if nonce is not None and payload.get("enforce_nonce"):
            self.world.remember_nonce(channel.id, self.world.bot.id, str(nonce), message)
        return r.json_response(message, 200, headers)

    async def edit_message(self, request: web.Request) -> web.Response:
        """A bot edits one of its own messages (content, embeds, components)."""
        raw, ref = request.match_info["channel"], request.match_info["message"]
        channel = self.world.channels.get(int(raw)) if raw.isdigit() else None
        if channel is None:
            return r.unknown_channel()
        message = self.world.message(channel.id, int(ref)) if ref.isdigit() else None
        if message is None:
            return r.unknown_message()
        if message["author"]["id"] != str(self.world.bot.id):
            return r.error(403, "Cannot edit a message authored by another user", 50005)
        payload = await r.read_json(request)
        problem = check_message(payload, require_body=False)
        if problem is not None:
            return r.json_response(problem, 400)
        edit(message, payload)
        return r.json_response(message)

    async def crosspost(self, request: web.Request) -> web.Response:
        """Publish a message of an announcement channel to the servers following it: at most
        `crosspost_limit` (10 an hour) per channel, then 429 with the wait (up to an hour)."""
        raw, ref = request.match_info["channel"], request.match_info["message"]
        channel = self.world.channels.get(int(raw)) if raw.isdigit() else None
        if channel is None:
            return r.unknown_channel()
        message = self.world.message(channel.id, int(ref)) if ref.isdigit() else None
        if message is None:
            return r.unknown_message()
        if channel.type != GUILD_ANNOUNCEMENT:
            return r.error(403, "Cannot execute action on this channel type", 50024)
        if message.get("flags", 0) & CROSSPOSTED:
            return r.error(400, "This message has already been crossposted.", 40033)
        window = self.emu.crosspost_windows.setdefault(channel.id, OpenWindow())
        limit = self.emu.crosspost_limit
        if not window.take(limit):
            self.emu.stats.crosspost_429s += 1
            wait = window.wait(limit)
            headers = {
                "X-RateLimit-Limit": str(limit[0]),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": f"{wait:.3f}",
                "X-RateLimit-Scope": "shared",
                "Retry-After": str(int(wait) + 1),
                "Via": "1.1 google",
            }
            return r.json_response(limited_body(wait, is_global=False), 429, headers)
        message["flags"] = message.get("flags", 0) | CROSSPOSTED
        self.emu.stats.crossposts += 1
        return r.json_response(message)
