"""The status page's content, read through the services and put into the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot import i18n
from bot.clock import end_of_day
from bot.domain import (
    Asset,
    AssetStatus,
    Direction,
    Incident,
    IncidentUpdate,
    Order,
    OrderStatus,
    State,
    StatusChange,
)
from bot.i18n import Lang
from bot.i18n import web as _web_text  # noqa: F401  (registers the page's strings)
from bot.reference import Reference
from bot.services.daily import DAYS, Day, Pair, runs
from bot.services.snapshot import Snapshot
from bot.web.context import WebContext
from bot.web.format import day, moment, quantity, yen

LATEST_CHANGES = 10
BAR_STEP = 3  # SVG units from one day's cell to the next
BAR_CELL = 2  # a day's cell; the unit after it is a gap (the stylesheet's dashes: 2 on, 1 off)

# Each state has its own shape as well as its own colour and word: never colour alone.
STATE_ICON = {
    State.OPERATIONAL: "●",
    State.SUSPENDED: "■",
    State.MAINTENANCE: "▲",
    State.DELAYED: "◆",
}


@dataclass(frozen=True, slots=True)
class StateCell:
    state: str
    label: str
    icon: str


@dataclass(frozen=True, slots=True)
class Detail:
    direction: str  # empty when both directions share the same reason, time and note
    reason: str
    since: str
    note: str
    expected_reopen: str
    revisions: int = 0


@dataclass(frozen=True, slots=True)
class AssetRow:
    code: str
    name: str
    deposit: StateCell | None
    withdrawal: StateCell | None
    details: tuple[Detail, ...]


@dataclass(frozen=True, slots=True)
class OrderRow:
    issued_on: str
    issuer: str
    action: str
    status: str
    report_due: str
    overdue: bool
    summary: str
    items: tuple[str, ...]
    url: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    time: str
    asset: str
    direction: str
    old: StateCell | None
    new: StateCell
    reason: str
    note: str


@dataclass(frozen=True, slots=True)
class LossRow:
    asset: str
    stolen: str
    stolen_jpy: str
    customers: str
    customers_jpy: str


@dataclass(frozen=True, slots=True)
class UpdateRow:
    id: int
    time: str
    stage: str  # the stage's code, for its style
    stage_label: str
    text: str  # in the reader's language, or the Japanese marked as not yet translated


@dataclass(frozen=True, slots=True)
class IncidentBlock:
    id: int
    title: str
    stage: str
    stage_label: str
    impact: str
    impact_label: str
    assets: str
    started: str
    latest: UpdateRow | None
    timeline: tuple[UpdateRow, ...]  # newest first


@dataclass(frozen=True, slots=True)
class Bar:
    """One pair's last 90 days: a line per run of equal days (its dashes are a cell a day),
    and the same told in words."""

    direction: str
    runs: tuple[tuple[int, int, str], ...]  # (x, width, state or "none")
    text: str


@dataclass(frozen=True, slots=True)
class BarRow:
    code: str
    name: str
    bars: tuple[Bar, ...]


@dataclass
class PageData:
    lang: Lang
    generated: str
    summary: str
    all_ok: bool
    assets: list[AssetRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)
    losses: list[LossRow] = field(default_factory=list)
    incidents: list[IncidentBlock] = field(default_factory=list)
    bars: list[BarRow] = field(default_factory=list)
    bar_days: int = DAYS


def pick(lang: Lang, ja: str, en: str) -> str:
    """The English text on the English page when there is one; Japanese otherwise."""
    return en if lang is Lang.EN and en else ja


def written(lang: Lang, ja: str, en: str) -> str:
    """An operator's text: its English on the English page, else the Japanese marked as such."""
    return i18n.written(lang, ja, en)


def state_cell(state: State, lang: Lang) -> StateCell:
    return StateCell(state.value, i18n.t(lang, f"state.{state.value}"), STATE_ICON[state])


def _details(rows: dict[Direction, AssetStatus], ctx: WebContext, lang: Lang) -> tuple[Detail, ...]:
    def detail(row: AssetStatus, direction: str) -> Detail:
        return Detail(
            direction=direction,
            reason=i18n.t(lang, f"reason.{row.reason.value}"),
            since=moment(row.since, ctx.zone),
            note=written(lang, row.note, row.note_en),
            expected_reopen=moment(row.expected_reopen, ctx.zone) if row.expected_reopen else "",
            revisions=row.estimate_revisions,
        )

    present = [rows[d] for d in Direction if d in rows]
    keys = {(r.reason, r.note, r.since, r.expected_reopen, r.estimate_revisions) for r in present}
    if len(keys) == 1:
        return (detail(present[0], ""),)
    return tuple(detail(r, i18n.t(lang, f"direction.{r.direction.value}")) for r in present)


def asset_rows(
    assets: Sequence[Asset], current: Sequence[AssetStatus], ctx: WebContext, lang: Lang
) -> list[AssetRow]:
    by_asset: dict[str, dict[Direction, AssetStatus]] = {}
    for row in current:
        by_asset.setdefault(row.asset, {})[row.direction] = row
    result = []
    for asset in assets:
        rows = by_asset.get(asset.code, {})
        deposit, withdrawal = rows.get(Direction.DEPOSIT), rows.get(Direction.WITHDRAWAL)
        result.append(
            AssetRow(
                code=asset.code,
                name=pick(lang, asset.name_ja, asset.name_en),
                deposit=state_cell(deposit.state, lang) if deposit else None,
                withdrawal=state_cell(withdrawal.state, lang) if withdrawal else None,
                details=_details(rows, ctx, lang),
            )
        )
    return result


def summary(assets: Sequence[Asset], current: Sequence[AssetStatus], lang: Lang) -> str:
    working = {d: 0 for d in Direction}
    for row in current:
        if row.state is State.OPERATIONAL:
            working[row.direction] += 1
    total = len(assets)
    if not any(working.values()):
        return i18n.t(lang, "web.summary_all_halted", total=total)
    if all(count == total for count in working.values()):
        return i18n.t(lang, "web.summary_all_ok", total=total)
    return i18n.t(
        lang,
        "web.summary_some",
        total=total,
        deposit_ok=working[Direction.DEPOSIT],
        withdrawal_ok=working[Direction.WITHDRAWAL],
    )


def order_row(order: Order, lang: Lang, now: datetime) -> OrderRow:
    due = order.report_due
    return OrderRow(
        issued_on=day(order.issued_on),
        issuer=written(lang, order.issuer, order.issuer_en),
        action=i18n.t(lang, f"action.{order.action.value}"),
        status=i18n.t(lang, f"order_status.{order.status.value}"),
        report_due=day(due) if due else i18n.t(lang, "web.no_deadline"),
        overdue=bool(due and order.status is OrderStatus.OPEN and end_of_day(due) < now),
        summary=written(lang, order.summary_ja, order.summary_en),
        items=tuple(pick(lang, item.text_ja, item.text_en) for item in order.items),
        url=order.url,
    )


def change_row(change: StatusChange, ctx: WebContext, lang: Lang) -> ChangeRow:
    return ChangeRow(
        time=moment(change.changed_at, ctx.zone),
        asset=change.asset,
        direction=i18n.t(lang, f"direction.{change.direction.value}"),
        old=state_cell(change.old_state, lang) if change.old_state else None,
        new=state_cell(change.new_state, lang),
        reason=i18n.t(lang, f"reason.{change.reason.value}"),
        note=written(lang, change.note, change.note_en),
    )


def loss_rows(reference: Reference, lang: Lang) -> list[LossRow]:
    return [
        LossRow(
            asset=loss.asset,
            stolen=quantity(loss.stolen, loss.asset),
            stolen_jpy=yen(loss.stolen_jpy, lang),
            customers=quantity(loss.customers, loss.asset),
            customers_jpy=yen(loss.customers_jpy, lang),
        )
        for loss in reference.incident.loss
    ]


def update_row(update: IncidentUpdate, ctx: WebContext, lang: Lang) -> UpdateRow:
    return UpdateRow(
        id=update.id,
        time=moment(update.posted_at, ctx.zone),
        stage=update.stage.value,
        stage_label=i18n.t(lang, f"stage.{update.stage.value}"),
        text=written(lang, update.message_ja, update.message_en),
    )


def incident_block(incident: Incident, ctx: WebContext, lang: Lang) -> IncidentBlock:
    rows = tuple(update_row(u, ctx, lang) for u in reversed(incident.updates))
    return IncidentBlock(
        id=incident.id,
        title=written(lang, incident.title_ja, incident.title_en),
        stage=incident.stage.value,
        stage_label=i18n.t(lang, f"stage.{incident.stage.value}"),
        impact=incident.impact.value,
        impact_label=i18n.t(lang, f"impact.{incident.impact.value}"),
        assets=(
            i18n.t(lang, "web.all_assets") if incident.all_assets else ", ".join(incident.assets)
        ),
        started=moment(incident.started_at, ctx.zone),
        latest=rows[0] if rows else None,
        timeline=rows,
    )


def _bar_text(days: Sequence[Day], lang: Lang) -> str:
    parts = []
    for run in runs(days):
        state = (
            i18n.t(lang, f"state.{run.state.value}") if run.state else i18n.t(lang, "web.no_data")
        )
        span = day(run.first) if run.first == run.last else f"{day(run.first)}–{day(run.last)}"
        parts.append(f"{span}: {state}")
    return "; ".join(parts)


def _bar_runs(days: Sequence[Day]) -> tuple[tuple[int, int, str], ...]:
    """From the first cell of each run to the end of its last (the gap after it is left out)."""
    found: list[tuple[int, int, str]] = []
    start = 0
    for index, cell in enumerate(days):
        if index + 1 == len(days) or days[index + 1].state is not cell.state:
            state = cell.state.value if cell.state else "none"
            found.append((start * BAR_STEP, (index - start) * BAR_STEP + BAR_CELL, state))
            start = index + 1
    return tuple(found)


def bar_rows(
    assets: Sequence[Asset], daily: Mapping[Pair, Sequence[Day]], lang: Lang
) -> list[BarRow]:
    rows = []
    for asset in assets:
        bars = []
        for direction in Direction:
            days = daily.get((asset.code, direction))
            if not days:
                continue
            label = i18n.t(lang, f"direction.{direction.value}")
            bars.append(Bar(label, _bar_runs(days), _bar_text(days, lang)))
        rows.append(BarRow(asset.code, pick(lang, asset.name_ja, asset.name_en), tuple(bars)))
    return rows


def page_data(ctx: WebContext, snapshot: Snapshot, lang: Lang) -> PageData:
    """The page as of `snapshot`, dated by it: the same data gives the same bytes."""
    now = snapshot.built_at
    assets, current = snapshot.assets, snapshot.current
    return PageData(
        lang=lang,
        generated=moment(now, ctx.zone),
        summary=summary(assets, current, lang),
        all_ok=all(row.state is State.OPERATIONAL for row in current),
        assets=asset_rows(assets, current, ctx, lang),
        orders=[order_row(o, lang, now) for o in snapshot.orders],
        changes=[change_row(c, ctx, lang) for c in snapshot.latest[:LATEST_CHANGES]],
        losses=loss_rows(ctx.reference, lang),
        incidents=[incident_block(i, ctx, lang) for i in snapshot.open_incidents],
        bars=bar_rows(assets, snapshot.daily, lang),
    )
