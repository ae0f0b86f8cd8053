"""The aiohttp application: routes, templates, error pages, /healthz and /metrics."""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot import i18n
from bot.domain import State
from bot.i18n import Lang
from bot.services.snapshot import Snapshot
from bot.web import api
from bot.web.cache import RenderCache, Rendered, serve
from bot.web.calendar import calendar
from bot.web.context import WebContext
from bot.web.feed import feed
from bot.web.format import yen
from bot.web.keys import CONTEXT, RENDERED, TEMPLATES
from bot.web.lang import negotiate
from bot.web.maintenance import rows as maintenance_rows
from bot.web.page import STATE_ICON, page_data, pick
from bot.web.security import WRITE_METHODS, WRITE_PREFIX, add_security_headers, read_only
from bot.web.write_routes import add_write_routes, write_error

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
HTML = "text/html; charset=utf-8"
# What prometheus_client's generate_latest writes: the classic text exposition format.
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(app: web.Application, snapshot: Snapshot, lang: Lang) -> Rendered:
    ctx = app[CONTEXT]
    page = page_data(ctx, snapshot, lang)
    maintenance = maintenance_rows(snapshot.active_maintenances, ctx, lang)
    summary = ctx.reference.incident.summary
    html = (
        app[TEMPLATES]
        .get_template("index.html")
        .render(
            lang=lang,
            page=page,
            maintenance=maintenance,
            t=lambda key, **params: i18n.t(lang, key, **params),
            pick=lambda ja, en: pick(lang, ja, en),
            exchange=ctx.reference.incident.exchange.name,
            support=ctx.reference.support,
            incident=ctx.reference.incident,
            total_jpy=yen(summary.total_jpy, lang),
            customers_jpy=yen(summary.customers_jpy, lang),
            banner_icon=STATE_ICON[State.OPERATIONAL if page.all_ok else State.SUSPENDED],
        )
    )
    return Rendered.of(html.encode("utf-8"), HTML)


async def index(request: web.Request) -> web.Response:
    app = request.app
    lang, from_url = negotiate(request)
    snapshot = await app[CONTEXT].snapshots.get()
    rendered = app[RENDERED].get(snapshot, ("page", lang), lambda: render_page(app, snapshot, lang))
    return serve(request, rendered, vary_language=not from_url)


async def healthz(request: web.Request) -> web.Response:
    report = await request.app[CONTEXT].health()
    response = api.reply(report, 200 if report.get("ok") else 503)
    response.headers["Cache-Control"] = "no-store"
    return response


async def metrics(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    if ctx.translations is not None:
        ctx.metrics.untranslated.set(await ctx.translations.count_untranslated())
    if ctx.back_office is not None:
        ctx.metrics.heartbeats_seen(await ctx.back_office.heartbeats.ages())
    response = web.Response(body=ctx.metrics.render())
    response.headers["Content-Type"] = METRICS_CONTENT_TYPE
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_text(request: web.Request, status: int) -> str:
    lang, _ = negotiate(request)
    key = {403: "web.not_found", 404: "web.not_found", 405: "web.not_allowed"}.get(
        status, "web.server_error"
    )
    return i18n.t(lang, key)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """JSON errors under /api/, short plain text elsewhere; a crash is logged, never shown."""
    allowed = "GET, HEAD"
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        status, code = exc.status, exc.reason.lower().replace(" ", "_")
        if "Allow" in exc.headers:  # a write's route names its own methods
            allowed = ", ".join(sorted(m.strip() for m in exc.headers["Allow"].split(",")))
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        status, code = 500, "internal_error"
    if status != 405 and request.method in WRITE_METHODS and request.path.startswith(WRITE_PREFIX):
        return write_error(status)
    text = _error_text(request, status)
    if request.path.startswith("/api/"):
        response = api.error_response(status, code, text)
    else:
        response = web.Response(text=text, status=status, charset="utf-8")
    if status == 405:
        response.headers["Allow"] = allowed
    return response


def build(ctx: WebContext) -> web.Application:
    app = web.Application(middlewares=[errors, read_only])
    app[CONTEXT] = ctx
    app[TEMPLATES] = templates()
    app[RENDERED] = RenderCache()
    app.on_response_prepare.append(add_security_headers)
    routes = app.router
    routes.add_get("/", index)
    routes.add_get("/api/v1/status", api.status)
    routes.add_get("/api/v1/assets/{code}", api.asset)
    routes.add_get("/api/v1/assets/{code}/history", api.history)
    routes.add_get("/api/v1/orders", api.orders)
    routes.add_get("/api/v1/incidents", api.incidents)
    routes.add_get(r"/api/v1/incidents/{id:\d+}", api.incident)
    routes.add_get("/api/v1/maintenances", api.maintenances)
    routes.add_get("/api/v1/openapi.json", api.openapi)
    add_write_routes(routes)
    routes.add_get("/feed.atom", feed)
    routes.add_get("/calendar.ics", calendar)
    routes.add_get("/healthz", healthz)
    routes.add_get("/metrics", metrics)
    routes.add_static("/static", HERE / "static")
    return app
