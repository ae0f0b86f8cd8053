"""What the web front end reads from: the read model, the services, the facts, metrics, health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.metrics import Metrics
from bot.reference import Reference
from bot.services.incidents import IncidentService
from bot.services.snapshot import ReadModel
from bot.services.status import StatusService
from bot.services.translations import TranslationService

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
