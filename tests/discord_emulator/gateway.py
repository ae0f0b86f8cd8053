"""The gateway websocket: HELLO, heartbeats, IDENTIFY/READY, RESUME and dispatch.

Frames are plain JSON text; discord.py asks for zlib-stream in the query string but
accepts uncompressed text frames, which keeps the emulator simple.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from .state import JSON

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0,
    1,
    2,
    6,
    7,
    9,
    10,
    11,
)
REQUEST_GUILD_MEMBERS = 8
AUTHENTICATION_FAILED = 4004
# Events kept for RESUME; older ones are forgotten, as Discord's buffer is finite too.
REPLAY_BUFFER = 1000


@dataclass
class Session:
    id: str
    seq: int = 0
    buffer: list[JSON] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Gateway:
    def __init__(
        self,
        *,
        token: str,
        ready_payload: Callable[[Session], JSON],
        guild_payloads: Callable[[], list[JSON]],
        members_chunk: Callable[[JSON], JSON | None],
    ) -> None:
        self.token = token
        self.heartbeat_interval_ms = 41250
        self._ready_payload = ready_payload
        self._guild_payloads = guild_payloads
        self._members_chunk = members_chunk
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.identifies = 0
        self.resumes = 0
        self.heartbeats = 0
        self.ready = asyncio.Event()
        self.resumed = asyncio.Event()
        self._sockets: set[web.WebSocketResponse] = set()
        # Connections that identified and are still open: more than one means two bots are
        # connected at once (two leaders), whatever the sessions say.
        self._identified: set[web.WebSocketResponse] = set()
        self.most_connected = 0

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False, max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await ws.send_json(
                {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
            )
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                await self._on_frame(ws, json.loads(msg.data))
        finally:
            self._sockets.discard(ws)
            self._identified.discard(ws)
            for session in self.sessions.values():
                if session.ws is ws:
                    session.ws = None
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: JSON) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await ws.send_json({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(ws, data or {})
        elif op == RESUME:
            await self._resume(ws, data or {})
        elif op == REQUEST_GUILD_MEMBERS and self.current is not None:
            chunk = self._members_chunk(data or {})
            if chunk is not None:
                await self._send(self.current, "GUILD_MEMBERS_CHUNK", chunk)
        # Presence and voice state updates need no answer.

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> None:
        if data.get("token") != self.token:
            await ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        self.identifies += 1
        self._identified.add(ws)
        self.most_connected = max(self.most_connected, self.connected)
        session = Session(id=secrets.token_hex(16), ws=ws)
        self.sessions = {session.id: session}
        self.current = session
        await self._send(session, "READY", self._ready_payload(session))
        for guild in self._guild_payloads():
            await self._send(session, "GUILD_CREATE", guild)
        self.ready.set()

    @property
    def connected(self) -> int:
        return sum(1 for ws in self._identified if not ws.closed)

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            await ws.send_json({"op": INVALID_SESSION, "d": False})
            return
        self.resumes += 1
        seen = int(data.get("seq") or 0)
        async with session.lock:
            old, session.ws = session.ws, ws
            self.current = session
            for frame in session.buffer:
                if frame["s"] > seen:
                    await ws.send_json(frame)
        if old is not None and old is not ws:
            await old.close(code=4000)
        await self._send(session, "RESUMED", {})
        self.resumed.set()

    async def _send(self, session: Session, event: str, data: JSON) -> None:
        async with session.lock:
            session.seq += 1
            frame: JSON = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
            session.buffer.append(frame)
            del session.buffer[:-REPLAY_BUFFER]
            if session.ws is not None and not session.ws.closed:
                try:
                    await session.ws.send_json(frame)
                except ConnectionError:
                    # The client is gone; the frame stays buffered for its RESUME.
                    log.debug("dropped %s for a closing socket", event)

    async def dispatch(self, event: str, data: JSON) -> None:
        if self.current is None:
            raise RuntimeError("no gateway session")
        await self._send(self.current, event, data)

    async def disconnect(self, *, resumable: bool, use_reconnect_opcode: bool) -> None:
        session = self.current
        if session is None or session.ws is None:
            return
        ws = session.ws
        self.resumed.clear()
        if not resumable:
            # The client must IDENTIFY again; its old session (and buffered events) is gone.
            self.sessions.pop(session.id, None)
            self.current = None
            self.ready.clear()
            await ws.send_json({"op": INVALID_SESSION, "d": False})
        elif use_reconnect_opcode:
            await ws.send_json({"op": RECONNECT, "d": None})
        session.ws = None
        # 4000 ("unknown error") is a close code discord.py answers with RESUME.
        await ws.close(code=4000)

    async def close(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=1001)
