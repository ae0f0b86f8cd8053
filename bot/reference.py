"""The facts the bot ships with, read from config/*.toml: assets, incident, orders, support desk.

Kept as data, not code, so that a correction to a figure is an edit to a TOML file.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import (
    Asset,
    Impact,
    IncidentLoss,
    IncidentStage,
    NewOrder,
    OrderAction,
    OrderItem,
    OrderStatus,
    Reason,
    State,
)
from bot.paths import config_dir


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SeedAsset(_Frozen):
    code: str
    name_ja: str
    name_en: str
    kind: str
    halted_since: date


class SeedStatus(_Frozen):
    state: State
    reason: Reason
    actor: str
    note_ja: str
    note_en: str


class AssetsFile(_Frozen):
    seed_status: SeedStatus
    asset: list[SeedAsset]

    def assets(self) -> list[Asset]:
        return [
            Asset(a.code, a.name_ja, a.name_en, a.kind, position)
            for position, a in enumerate(self.asset, start=1)
        ]


class Exchange(_Frozen):
    name: str
    operator_ja: str
    operator_en: str
    head_office_ja: str
    head_office_en: str
    ceo_ja: str
    ceo_en: str
    regulator_ja: str
    regulator_en: str
    licence_ja: str
    licence_en: str


class Summary(_Frozen):
    title_ja: str
    title_en: str
    text_ja: str
    text_en: str
    total_jpy: int
    customers_jpy: int
    first_announced_jpy: int
    first_announced_customers_jpy: int
    note_ja: str
    note_en: str
    support_ja: str
    support_en: str


class TimelineEntry(_Frozen):
    date: date
    text_ja: str
    text_en: str


class Loss(_Frozen):
    asset: str
    stolen: str  # kept as text: the published figures, exactly as given
    stolen_jpy: int
    customers: str
    customers_jpy: int


class RecordUpdate(_Frozen):
    at: datetime
    stage: IncidentStage
    message_ja: str
    message_en: str = ""


class IncidentRecord(_Frozen):
    """The outflow as a row of the incidents table, seeded once by its slug."""

    slug: str
    title_ja: str
    title_en: str = ""
    impact: Impact
    started_at: datetime
    actor: str
    update: list[RecordUpdate]

    @property
    def stage(self) -> IncidentStage:
        return self.update[-1].stage


class Incident(_Frozen):
    exchange: Exchange
    summary: Summary
    timeline: list[TimelineEntry]
    loss: list[Loss]
    record: IncidentRecord

    def losses(self) -> list[IncidentLoss]:
        return [
            IncidentLoss(x.asset, x.stolen, x.stolen_jpy, x.customers, x.customers_jpy)
            for x in self.loss
        ]


class SupportDesk(_Frozen):
    name_ja: str
    name_en: str
    phones: list[str]
    hours_ja: str
    hours_en: str
    contact_form: str


class SeedOrderItem(_Frozen):
    text_ja: str
    text_en: str = ""


class SeedOrder(_Frozen):
    slug: str
    issuer: str
    issuer_en: str = ""
    action: OrderAction
    legal_basis: str = ""
    issued_on: date
    report_due: date | None = None
    status: OrderStatus = OrderStatus.OPEN
    url: str = ""
    summary_ja: str = ""
    summary_en: str = ""
    item: list[SeedOrderItem] = Field(default_factory=list)

    def new_order(self) -> NewOrder:
        return NewOrder(
            slug=self.slug,
            issuer=self.issuer,
            issuer_en=self.issuer_en,
            action=self.action,
            legal_basis=self.legal_basis,
            issued_on=self.issued_on,
            report_due=self.report_due,
            url=self.url,
            summary_ja=self.summary_ja,
            summary_en=self.summary_en,
            items=tuple(
                OrderItem(position, i.text_ja, i.text_en)
                for position, i in enumerate(self.item, start=1)
            ),
        )


class OrdersFile(_Frozen):
    order: list[SeedOrder]


class Reference(_Frozen):
    """Everything under config/, loaded and checked once."""

    assets: AssetsFile
    incident: Incident
    support: SupportDesk
    orders: OrdersFile


def _read(folder: Path, name: str) -> dict[str, Any]:
    with (folder / name).open("rb") as handle:
        return tomllib.load(handle)


def load_reference(folder: Path | None = None) -> Reference:
    folder = folder or config_dir()
    return Reference(
        assets=AssetsFile.model_validate(_read(folder, "assets.toml")),
        incident=Incident.model_validate(_read(folder, "incident.toml")),
        support=SupportDesk.model_validate(_read(folder, "support.toml")),
        orders=OrdersFile.model_validate(_read(folder, "orders.toml")),
    )


@cache
def shipped_reference() -> Reference:
    """The reference data shipped with this installation (read once per process)."""
    return load_reference()
