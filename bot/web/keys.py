"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

from aiohttp import web
from jinja2 import Environment

from bot.web.cache import RenderCache
from bot.web.context import WebContext

CONTEXT = web.AppKey("context", WebContext)
TEMPLATES = web.AppKey("templates", Environment)
RENDERED = web.AppKey("rendered", RenderCache)
