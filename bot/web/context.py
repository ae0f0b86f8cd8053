"""What the web front end reads from: the read model, the services, the facts, metrics, health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.health import Named
from bot.metrics import Metrics
from bot.reference import Reference
from bot.services.beats import BeatBuffer
from bot.services.deliveries import DeliveryReport
from bot.services.heartbeats import HeartbeatService
from bot.services.idempotency import IdempotencyService
from bot.services.incidents import IncidentService
from bot.services.maintenance import MaintenanceService
from bot.services.orders import OrderService
from bot.services.report import ReportService
from bot.services.snapshot import ReadModel
from bot.services.status import StatusService
from bot.services.tokens import TokenService
from bot.services.translations import TranslationService
from bot.settings import Settings
from bot.web.back_office import BackOffice

HealthProbe = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class WebContext:
    snapshots: ReadModel  # what every cacheable response is rendered from
    status: StatusService  # only for history longer than the snapshot keeps
    incidents: IncidentService  # only for incidents older than the snapshot keeps
    reference: Reference
    metrics: Metrics
    health: HealthProbe
    zone: ZoneInfo
    public_url: str = ""  # when set, absolute links (the feed) use it instead of the request's host
    translations: TranslationService | None = None  # counted for /metrics
    back_office: BackOffice | None = None  # the bearer-token writes; None: reads only


class Pingable(Protocol):
    async def ping(self) -> bool: ...


class WebServices(Protocol):
    """The services the web front end reads."""

    @property
    def snapshots(self) -> ReadModel: ...
    @property
    def status(self) -> StatusService: ...
    @property
    def incidents(self) -> IncidentService: ...
    @property
    def reference(self) -> Reference: ...
    @property
    def translations(self) -> TranslationService: ...
    @property
    def tokens(self) -> TokenService: ...
    @property
    def idempotency(self) -> IdempotencyService: ...
    @property
    def maintenance(self) -> MaintenanceService: ...
    @property
    def orders(self) -> OrderService: ...
    @property
    def heartbeats(self) -> HeartbeatService: ...
    @property
    def beats(self) -> BeatBuffer: ...
    @property
    def report(self) -> ReportService: ...
    @property
    def deliveries(self) -> DeliveryReport: ...


class RunningService(Protocol):
    """What the web front end reads from the running service (bot.app.Application has it)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def db(self) -> Pingable: ...
    @property
    def services(self) -> WebServices: ...
    @property
    def metrics(self) -> Metrics: ...
    @property
    def components(self) -> Sequence[Named]: ...  # each reported by /healthz
