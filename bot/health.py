"""The health protocol: what /healthz reports about the database and each running component.

A component may offer `health()` returning a mapping with at least `"ok": bool` (and any details
worth showing, e.g. `"state": "connected"`); it may be a coroutine. A component without it is
reported by name as running, so parts added later need nothing to appear in the report.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

log = logging.getLogger(__name__)

RUNNING: dict[str, Any] = {"ok": True, "state": "running"}


@runtime_checkable
class ReportsHealth(Protocol):
    """A component that can say whether it is working (dispatcher alive, Discord connected...)."""

    name: str

    def health(self) -> Mapping[str, Any] | Awaitable[Mapping[str, Any]]: ...


class Named(Protocol):
    name: str


async def component_health(component: Named) -> dict[str, Any]:
    """One component's report; a failing `health()` counts as unhealthy, never as a crash."""
    if not isinstance(component, ReportsHealth):
        return dict(RUNNING)
    try:
        result = component.health()
        if inspect.isawaitable(result):
            result = await result
        details = dict(result)
    except Exception as exc:
        log.warning("health of %s could not be read: %s", component.name, exc)
        return {"ok": False, "state": "unknown", "error": type(exc).__name__}
    details["ok"] = bool(details.get("ok", False))
    return details


async def database_health(ping: Callable[[], Awaitable[bool]]) -> dict[str, Any]:
    try:
        reachable = await ping()
    except Exception as exc:
        log.warning("database ping failed: %s", exc)
        return {"ok": False, "state": "unreachable", "error": type(exc).__name__}
    return {"ok": reachable, "state": "reachable" if reachable else "unreachable"}


async def collect(
    ping: Callable[[], Awaitable[bool]],
    components: Iterable[Named],
    *,
    discord_enabled: bool,
) -> dict[str, Any]:
    """The whole report: `ok` is true only when every check is."""
    checks: dict[str, dict[str, Any]] = {"database": await database_health(ping)}
    if not discord_enabled:
        checks["discord"] = {"ok": True, "state": "off"}
    for component in components:
        checks[component.name] = await component_health(component)
    return {"ok": all(check["ok"] for check in checks.values()), "checks": checks}
