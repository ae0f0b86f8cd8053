"""Response helpers producing Discord's exact wire format."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # Exactly "application/json": discord.py checks the content type literally and a
    # charset suffix makes it treat the body as text.
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def error(
    status: int, message: str, code: int, headers: dict[str, str] | None = None
) -> web.Response:
    return json_response({"message": message, "code": code}, status, headers)


def no_content(headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=204, headers=headers or {})


def not_found() -> web.Response:
    return error(404, "404: Not Found", 0)


def unknown_channel() -> web.Response:
    return error(404, "Unknown Channel", 10003)


def unknown_message() -> web.Response:
    return error(404, "Unknown Message", 10008)


def unknown_webhook() -> web.Response:
    return error(404, "Unknown Webhook", 10015)


def missing_access() -> web.Response:
    return error(403, "Missing Access", 50001)


def cannot_dm() -> web.Response:
    return error(403, "Cannot send messages to this user", 50007)


def unauthorized() -> web.Response:
    return error(401, "401: Unauthorized", 0)


# Where read_json puts the files of a multipart request: (file name, bytes), in order.
UPLOADS = "_uploads"


async def read_json(request: web.Request) -> Any:
    """The JSON body, also from multipart requests (discord.py sends files that way)."""
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        payload: Any = {}
        uploads: list[tuple[str, bytes]] = []
        async for part in reader:
            name = getattr(part, "name", None) or ""
            if name == "payload_json":
                payload = json.loads(await part.text())  # type: ignore[union-attr]
            elif name.startswith("files["):
                # The files themselves, kept for the message's attachments (UPLOADS).
                uploads.append((part.filename or name, bytes(await part.read())))  # type: ignore[union-attr]
        if uploads and isinstance(payload, dict):
            payload[UPLOADS] = uploads
        return payload
    raw = await request.read()
    if not raw:
        return None
    return json.loads(raw)
