"""The web front end as a component of the service: listens, logs its URL, stops cleanly."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.health import collect
from bot.web.back_office import BackOffice
from bot.web.context import RunningService, WebContext
from bot.web.site import build

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 5.0


def context_for(app: RunningService) -> WebContext:
    """What the web front end reads, taken from the running application."""

    async def health() -> dict[str, Any]:
        return await collect(
            app.db.ping,
            [app.services.snapshots, *app.components],
            discord_enabled=app.settings.discord.token is not None,
        )

    return WebContext(
        snapshots=app.services.snapshots,
        status=app.services.status,
        incidents=app.services.incidents,
        reference=app.services.reference,
        metrics=app.metrics,
        health=health,
        zone=app.settings.zone,
        public_url=app.settings.web.public_url,
        translations=app.services.translations,
        back_office=BackOffice(
            tokens=app.services.tokens,
            idempotency=app.services.idempotency,
            status=app.services.status,
            incidents=app.services.incidents,
            maintenance=app.services.maintenance,
            orders=app.services.orders,
            translations=app.services.translations,
            heartbeats=app.services.heartbeats,
            beats=app.services.beats,
            report=app.services.report,
            deliveries=app.services.deliveries,
            zone=app.settings.zone,
        ),
    )


class WebServer:
    """The status page, JSON API, feed, /healthz and /metrics on BOT_WEB__HOST:BOT_WEB__PORT."""

    name = "web"

    def __init__(self, context: WebContext, host: str, port: int) -> None:
        self._context = context
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.url = ""

    @classmethod
    def for_app(cls, app: RunningService) -> WebServer:
        return cls(context_for(app), app.settings.web.host, app.settings.web.port)

    async def start(self) -> None:
        runner = web.AppRunner(
            build(self._context), access_log=None, shutdown_timeout=SHUTDOWN_GRACE_SECONDS
        )
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            log.error("cannot listen on %s:%d: %s", self._host, self._port, exc.strerror)
            raise
        self._runner = runner
        host, port = runner.addresses[0][:2]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}/"
        log.info("status page at %s", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def health(self) -> dict[str, Any]:
        return {"ok": self._runner is not None, "state": "serving", "url": self.url}
