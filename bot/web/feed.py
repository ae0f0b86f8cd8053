"""/feed.atom: status changes, incident updates, maintenance notices and the regulator's orders
as an Atom feed (RFC 4287).

Entry ids are name-based UUIDs of what the entry is (one operator action, or one seeded row, one
order's slug, or one incident update), so they never change between requests, restarts or
languages. An update translated later keeps its id; its `updated` time moves.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby

from aiohttp import web

from bot import i18n
from bot.clock import start_of_day
from bot.domain import Event, Incident, Order, StatusChange
from bot.i18n import Lang
from bot.services.audit import NO_ENTRIES, Head
from bot.services.snapshot import LATEST_CHANGES, Snapshot
from bot.web.cache import Rendered, serve
from bot.web.context import WebContext
from bot.web.keys import CONTEXT, RENDERED
from bot.web.lang import negotiate
from bot.web.maintenance import FEED_NOTICES, notice_text, notice_title
from bot.web.page import pick, written

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
FEED_CHANGES = LATEST_CHANGES  # history rows read; grouped by action they make fewer entries
FEED_INCIDENTS = 20  # the most recently updated incidents, each with its whole timeline
NAMESPACE = uuid.UUID("6f1c7d0e-4a39-4c55-9a59-2a3b8f9d0c11")

# The audit chain's head in each entry (an extension element, RFC 4287 section 6).
AUDIT = "urn:exchange-status-bot:audit"

ET.register_namespace("", ATOM)
ET.register_namespace("audit", AUDIT)


def entry_id(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    updated: datetime
    text: str
    link: str
    category: str
    published: datetime | None = None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _transition(change: StatusChange, lang: Lang) -> str:
    direction = i18n.t(lang, f"direction.{change.direction.value}")
    new = i18n.t(lang, f"state.{change.new_state.value}")
    if change.old_state is None:
        return f"{direction} {new}"
    old = i18n.t(lang, f"state.{change.old_state.value}")
    return f"{direction} {old} → {new}"


def status_entries(
    history: Sequence[StatusChange], ctx: WebContext, lang: Lang, base: str
) -> list[Entry]:
    """One entry per operator action (its rows share an event); seeded rows stand alone."""
    entries = []

    def key(change: StatusChange) -> str:
        return f"event:{change.event_id}" if change.event_id else f"change:{change.id}"

    for group_key, group in groupby(history, key=key):
        rows = list(group)[::-1]  # history is newest first; within an action, keep its order
        codes = list(dict.fromkeys(r.asset for r in rows))
        transitions = list(dict.fromkeys(_transition(r, lang) for r in rows))
        first = rows[0]
        reason = i18n.t(lang, f"reason.{first.reason.value}")
        lines = [f"{r.asset}: {_transition(r, lang)}" for r in rows]
        lines.append(f"{i18n.t(lang, 'web.reason')}: {reason}")
        note = written(lang, first.note, first.note_en)
        if note:
            lines.append(f"{i18n.t(lang, 'web.note')}: {note}")
        entries.append(
            Entry(
                id=entry_id("status", group_key),
                title=i18n.t(
                    lang,
                    "web.feed_status_title",
                    assets=", ".join(codes),
                    changes=", ".join(transitions),
                ),
                updated=first.changed_at,
                text="\n".join(lines),
                link=f"{base}/?lang={lang.value}#asset-{codes[0]}",
                category="status",
            )
        )
    return entries


def order_entry(order: Order, ctx: WebContext, lang: Lang, base: str) -> Entry:
    action = i18n.t(lang, f"action.{order.action.value}")
    lines = [written(lang, order.summary_ja, order.summary_en)]
    lines += [f"({i.position}) {pick(lang, i.text_ja, i.text_en)}" for i in order.items]
    if order.report_due:
        lines.append(i18n.t(lang, "web.feed_report_due", date=order.report_due.isoformat()))
    return Entry(
        id=entry_id("order", order.slug),
        title=i18n.t(
            lang,
            "web.feed_order_title",
            issuer=written(lang, order.issuer, order.issuer_en),
            action=action,
            issued_on=order.issued_on.isoformat(),
        ),
        updated=order.created_at,
        published=start_of_day(order.issued_on),
        text="\n".join(line for line in lines if line),
        link=order.url or f"{base}/?lang={lang.value}#orders",
        category="order",
    )


def incident_entries(incidents: Sequence[Incident], lang: Lang, base: str) -> list[Entry]:
    """One entry per incident update, in the reader's language (marked where not translated)."""
    entries = []
    for incident in incidents:
        title = pick(lang, incident.title_ja, incident.title_en)
        for update in incident.updates:
            entries.append(
                Entry(
                    id=entry_id("incident-update", update.id),
                    title=i18n.t(
                        lang,
                        "web.feed_incident_title",
                        id=incident.id,
                        title=title,
                        stage=i18n.t(lang, f"stage.{update.stage.value}"),
                    ),
                    updated=update.translated_at or update.posted_at,
                    published=update.posted_at,
                    text=written(lang, update.message_ja, update.message_en),
                    link=f"{base}/?lang={lang.value}#incident-{incident.id}",
                    category="incident",
                )
            )
    return entries


def maintenance_entry(event: Event, ctx: WebContext, lang: Lang, base: str) -> Entry:
    """One entry per maintenance notice: announced, reminded, started, ended, moved, cancelled."""
    return Entry(
        id=entry_id("maintenance", event.id),
        title=notice_title(event, lang),
        updated=event.created_at,
        text=notice_text(event, ctx, lang),
        link=f"{base}/?lang={lang.value}#maintenance",
        category="maintenance",
    )


def render(
    entries: list[Entry],
    ctx: WebContext,
    lang: Lang,
    base: str,
    now: datetime,
    audit: Head = NO_ENTRIES,
) -> bytes:
    exchange = ctx.reference.incident.exchange.name
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang.value})

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    add(root, "id", entry_id("feed", "status-and-orders"))
    add(root, "title", i18n.t(lang, "web.feed_title", exchange=exchange))
    newest = max((e.updated for e in entries), default=now)
    add(root, "updated", _stamp(newest))
    author = add(root, "author")
    add(author, "name", exchange)
    add(root, "link", rel="self", href=f"{base}/feed.atom?lang={lang.value}")
    add(root, "link", rel="alternate", type="text/html", href=f"{base}/?lang={lang.value}")
    for entry in entries:
        item = add(root, "entry")
        add(item, "id", entry.id)
        add(item, "title", entry.title)
        add(item, "updated", _stamp(entry.updated))
        if entry.published:
            add(item, "published", _stamp(entry.published))
        add(item, "link", rel="alternate", type="text/html", href=entry.link)
        add(item, "category", term=entry.category)
        add(item, "content", entry.text, type="text")
        head = ET.SubElement(item, f"{{{AUDIT}}}head", {"events": str(audit.entries)})
        head.text = audit.hash
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def base_url(request: web.Request, ctx: WebContext) -> str:
    return ctx.public_url.rstrip("/") or f"{request.scheme}://{request.host}"


def render_feed(ctx: WebContext, snapshot: Snapshot, lang: Lang, base: str) -> Rendered:
    history = snapshot.latest[:FEED_CHANGES]
    entries = status_entries(history, ctx, lang, base)
    if len(history) == FEED_CHANGES and len(entries) > 1:
        entries.pop()  # the oldest action may have been cut by the limit: leave it out whole
    entries += [order_entry(o, ctx, lang, base) for o in snapshot.orders]
    entries += incident_entries(snapshot.incidents[:FEED_INCIDENTS], lang, base)
    notices = snapshot.maintenance_notices[:FEED_NOTICES]
    entries += [maintenance_entry(e, ctx, lang, base) for e in notices]
    entries.sort(key=lambda e: e.updated, reverse=True)
    return Rendered.of(
        render(entries, ctx, lang, base, snapshot.built_at, snapshot.audit), CONTENT_TYPE
    )


async def feed(request: web.Request) -> web.Response:
    ctx: WebContext = request.app[CONTEXT]
    lang, from_url = negotiate(request)
    base = base_url(request, ctx)
    snapshot = await ctx.snapshots.get()
    rendered = request.app[RENDERED].get(
        snapshot, ("feed", lang, base), lambda: render_feed(ctx, snapshot, lang, base)
    )
    return serve(request, rendered, vary_language=not from_url)
