"""The public status page, JSON API, Atom feed, /healthz and /metrics (aiohttp, read-only)."""

from bot.web.server import WebServer

__all__ = ["WebServer"]
