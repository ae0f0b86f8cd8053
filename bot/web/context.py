"""What the web front end reads from: the services, the shipped facts, metrics and health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.metrics import Metrics
from bot.reference import Reference
from bot.services.maintenance import MaintenanceService
from bot.services.orders import OrderService
from bot.services.status import StatusService

HealthProbe = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class WebContext:
    status: StatusService
    orders: OrderService
    maintenance: MaintenanceService
    reference: Reference
    metrics: Metrics
    health: HealthProbe
    zone: ZoneInfo
    public_url: str = ""  # when set, absolute links (the feed) use it instead of the request's host
