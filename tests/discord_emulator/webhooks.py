"""Interaction callback and interaction-webhook routes (followups, @original edits).

These are authenticated by the interaction token, not the bot token, and are outside
the global rate limit, as on Discord.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from aiohttp import web

from . import responses as r
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, EPHEMERAL, MESSAGE_COMPONENT, Pending
from .payloads import edit, message_json
from .server import API
from .state import JSON
from .validation import FormErrors, check_choices, check_message

if TYPE_CHECKING:
    from .emulator import DiscordEmulator

MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = (
    4,
    5,
    6,
    7,
    8,
    9,
)
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MESSAGE_COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
}
LOADING = 1 << 7
INTERACTION_RESPONSE_MESSAGE_TYPE = 20


class WebhookApi:
    def __init__(self, emu: DiscordEmulator) -> None:
        self.emu = emu
        self.world = emu.world

    def add_routes(self, app: web.Application) -> None:
        base = f"{API}/webhooks/{{app}}/{{token}}"
        app.add_routes(
            [
                web.post(f"{API}/interactions/{{id}}/{{token}}/callback", self.callback),
                web.post(base, self.followup),
                web.get(f"{base}/messages/{{message}}", self.get_message),
                web.patch(f"{base}/messages/{{message}}", self.edit_message),
                web.delete(f"{base}/messages/{{message}}", self.delete_message),
            ]
        )

    def _message(self, pending: Pending, payload: JSON, flags: int = 0) -> JSON:
        return message_json(
            self.world,
            message_id=self.world.ids.next(),
            channel=self.world.channels.get(pending.channel_id),
            channel_id=pending.channel_id,
            author=self.world.bot,
            payload=payload,
            flags=flags,
            webhook_id=self.emu.application_id,
            application_id=self.emu.application_id,
            message_type=INTERACTION_RESPONSE_MESSAGE_TYPE,
        )

    async def callback(self, request: web.Request) -> web.Response:
        raw_id = request.match_info["id"]
        pending = self.emu.interactions.by_id.get(int(raw_id)) if raw_id.isdigit() else None
        if pending is None or pending.token != request.match_info["token"]:
            return r.error(404, "Unknown interaction", 10062)
        deadline = self.emu.interaction_ack_deadline
        if deadline is not None and time.monotonic() - pending.dispatched_at > deadline:
            return r.error(404, "Unknown interaction", 10062)
        if pending.acknowledged:
            return r.error(400, "Interaction has already been acknowledged.", 40060)
        body = await r.read_json(request)
        if not isinstance(body, dict):
            return r.error(400, "The request body contains invalid JSON.", 50109)
        kind = body.get("type")
        data: JSON = body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS[pending.kind]:
            errors = FormErrors()
            errors.add(
                ("type",), "INTERACTION_CALLBACK_TYPE_INVALID", "Invalid interaction callback type"
            )
            return r.json_response(errors.body(), 400)
        problem = None
        if kind == MESSAGE:
            problem = check_message(data)
        elif kind == UPDATE_MESSAGE:
            problem = check_message(data, require_body=False)
        elif kind == AUTOCOMPLETE_RESULT:
            problem = check_choices(data.get("choices"))
        if problem is not None:
            return r.json_response(problem, 400)

        pending.acknowledged = True
        pending.acknowledged_at = time.monotonic()
        interaction: JSON = {
            "id": str(pending.id),
            "type": pending.kind,
            "response_message_loading": kind == DEFERRED_MESSAGE,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
        }
        response: JSON = {"interaction": interaction}
        if kind in (MESSAGE, DEFERRED_MESSAGE):
            flags = LOADING if kind == DEFERRED_MESSAGE else 0
            message = self._message(
                pending, data if kind == MESSAGE else {}, flags | int(data.get("flags") or 0)
            )
            pending.original = message
            interaction["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        elif kind in (DEFERRED_UPDATE, UPDATE_MESSAGE) and pending.message is not None:
            # Updating answers edit the message the button is on; so do later @original edits.
            pending.original = pending.message
            if kind == UPDATE_MESSAGE:
                edit(pending.message, data)
            interaction["response_message_id"] = pending.message["id"]
            response["resource"] = {"type": kind, "message": pending.message}
        if not pending.callback.done():
            pending.callback.set_result(body)
        return r.json_response(response)

    def _pending(self, request: web.Request) -> Pending | None:
        if request.match_info["app"] != str(self.emu.application_id):
            return None
        return self.emu.interactions.by_token.get(request.match_info["token"])

    async def followup(self, request: web.Request) -> web.Response:
        pending = self._pending(request)
        if pending is None:
            return r.unknown_webhook()
        if not pending.acknowledged:
            return r.error(404, "Unknown Webhook", 10015)
        payload = await r.read_json(request)
        problem = check_message(payload)
        if problem is not None:
            return r.json_response(problem, 400)
        message = self._message(pending, payload)
        pending.followups.append(message)
        pending.updated.set()
        if request.query.get("wait") in ("true", "1", "True"):
            return r.json_response(message)
        return r.no_content()

    def _find(self, pending: Pending, ref: str) -> JSON | None:
        if ref == "@original" or (pending.original is not None and pending.original["id"] == ref):
            return pending.original
        return next((m for m in pending.followups if m["id"] == ref), None)

    async def get_message(self, request: web.Request) -> web.Response:
        pending = self._pending(request)
        if pending is None:
            return r.unknown_webhook()
        message = self._find(pending, request.match_info["message"])
        return r.unknown_message() if message is None else r.json_response(message)

    async def edit_message(self, request: web.Request) -> web.Response:
        pending = self._pending(request)
        if pending is None:
            return r.unknown_webhook()
        ref = request.match_info["message"]
        message = self._find(pending, ref)
        if message is None:
            return r.unknown_message()
        payload = await r.read_json(request)
        problem = check_message(payload, require_body=False)
        if problem is not None:
            return r.json_response(problem, 400)
        edit(message, payload)
        pending.updated.set()
        return r.json_response(message)

    async def delete_message(self, request: web.Request) -> web.Response:
        pending = self._pending(request)
        if pending is None:
            return r.unknown_webhook()
        ref = request.match_info["message"]
        message = self._find(pending, ref)
        if message is None:
            return r.unknown_message()
        if message is pending.original:
            pending.original = None
        else:
            pending.followups.remove(message)
        return r.no_content()
