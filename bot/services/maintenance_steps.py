"""The steps of a maintenance window inside their transaction: the start takes the pairs, the
end (or a cancellation in progress) puts back what nobody changed since, and every step writes
its one event and its outbox rows."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.domain import (
    Asset,
    AssetStatus,
    Direction,
    Event,
    EventKind,
    Maintenance,
    MaintenancePair,
    MaintenanceState,
    NotFound,
    Reason,
    Source,
    State,
    StatusChange,
)
from bot.services import maintenance_plan as plan
from bot.store import Repos

log = logging.getLogger(__name__)


def actor_of(window: Maintenance) -> str:
    return f"maintenance:{window.id}"


async def begin(repos: Repos, window: Maintenance, names: dict[str, Asset], now: datetime) -> Event:
    current = {(s.asset, s.direction): s for s in await repos.status.current()}
    actor = actor_of(window)
    pending: list[StatusChange] = []
    for pair in window.pairs:
        old = current.get((pair.asset, pair.direction))
        if old is None or old.state is State.MAINTENANCE:
            continue  # nothing to take, nothing to give back
        pending.append(
            StatusChange(
                asset=pair.asset,
                direction=pair.direction,
                old_state=old.state,
                new_state=State.MAINTENANCE,
                reason=Reason.MAINTENANCE,
                note=window.note_ja,
                note_en=window.note_en,
                actor=actor,
                source=Source.SYSTEM,
                changed_at=now,
                expected_reopen=window.ends_at,
            )
        )
    event = await notice(
        repos, window, plan.STARTED, names, now, actor, Source.SYSTEM, changes=pending
    )
    started = []
    for change in pending:
        written = await repos.status.record(replace(change, event_id=event.id))
        old = current[(change.asset, change.direction)]
        await _estimate(repos, written, old.expected_reopen)
        started.append(prior(old, written.id))
    await repos.maintenances.mark_started(window.id, started, now)
    return event


async def finish(
    repos: Repos,
    window: Maintenance,
    state: MaintenanceState,
    names: dict[str, Asset],
    now: datetime,
    actor: str,
    source: Source,
) -> Event:
    """Put back every pair the start took and nobody changed since; list the others."""
    taken = [p for p in window.pairs if p.start_history_id is not None]
    latest = await repos.maintenances.latest_history_ids((p.asset, p.direction) for p in taken)
    current = {(s.asset, s.direction): s for s in await repos.status.current()}
    restore: list[StatusChange] = []
    left: list[dict[str, str]] = []
    outcomes: dict[tuple[str, Direction], str] = {}
    for pair in taken:
        key = (pair.asset, pair.direction)
        now_status = current.get(key)
        if latest.get(key) != pair.start_history_id or now_status is None:
            outcomes[key] = "left"
            state_now = now_status.state.value if now_status else ""
            left.append(
                {"asset": pair.asset, "direction": pair.direction.value, "state": state_now}
            )
            continue
        assert pair.prior_state is not None and pair.prior_reason is not None
        outcomes[key] = "restored"
        restore.append(
            StatusChange(
                asset=pair.asset,
                direction=pair.direction,
                old_state=now_status.state,
                new_state=pair.prior_state,
                reason=pair.prior_reason,
                note=pair.prior_note or "",
                note_en=pair.prior_note_en or "",
                actor=actor_of(window),
                source=Source.SYSTEM,
                changed_at=now,
                expected_reopen=pair.prior_expected_reopen,
            )
        )
    step = plan.CANCELLED if state is MaintenanceState.CANCELLED else plan.COMPLETED
    event = await notice(repos, window, step, names, now, actor, source, changes=restore, left=left)
    for change in restore:
        written = await repos.status.record(replace(change, event_id=event.id))
        await _estimate(repos, written, current[(change.asset, change.direction)].expected_reopen)
    await repos.maintenances.mark_ended(window.id, state, outcomes, now)
    return event


async def move_estimates(
    repos: Repos, window: Maintenance, ends_at: datetime, event: Event, now: datetime
) -> None:
    """A window in progress runs longer: the pairs it still holds expect to reopen later."""
    held = [p for p in window.pairs if p.start_history_id is not None]
    latest = await repos.maintenances.latest_history_ids((p.asset, p.direction) for p in held)
    current = {(s.asset, s.direction): s for s in await repos.status.current()}
    for pair in held:
        key = (pair.asset, pair.direction)
        status = current.get(key)
        if latest.get(key) != pair.start_history_id or status is None:
            continue  # an operator has it now
        if status.expected_reopen != window.ends_at:
            continue  # an operator moved its estimate: theirs stands
        await repos.status.set_estimate(pair.asset, pair.direction, ends_at)
        await repos.estimates.record(
            pair.asset,
            pair.direction,
            window.ends_at,
            ends_at,
            actor=actor_of(window),
            source=Source.SYSTEM,
            changed_at=now,
            event_id=event.id,
        )


async def _estimate(repos: Repos, change: StatusChange, before: datetime | None) -> None:
    """Every change of a pair's expected reopening is kept, as for an operator's change."""
    if before == change.expected_reopen:
        return
    await repos.estimates.record(
        change.asset,
        change.direction,
        before,
        change.expected_reopen,
        actor=change.actor,
        source=change.source,
        changed_at=change.changed_at,
        event_id=change.event_id,
    )


async def notice(
    repos: Repos,
    window: Maintenance,
    step: str,
    names: dict[str, Asset],
    now: datetime,
    actor: str,
    source: Source,
    **extra: Any,
) -> Event:
    event = await repos.events.add(
        EventKind.MAINTENANCE,
        actor=actor,
        source=source,
        payload=plan.payload(window, step, names, **extra),
        assets=window.assets,
        created_at=now,
    )
    deliveries = await repos.outbox.fan_out(event)
    log.debug("maintenance %d %s: event %d, %d deliveries", window.id, step, event.id, deliveries)
    return event


async def names(repos: Repos) -> dict[str, Asset]:
    return {a.code: a for a in await repos.assets.all()}


async def active(repos: Repos, maintenance_id: int) -> Maintenance:
    window = await repos.maintenances.get(maintenance_id)
    if window is None:
        raise NotFound("maintenance", maintenance_id)
    if not window.state.active:
        raise plan.not_active_error(window)
    return window


def prior(old: AssetStatus, history_id: int | None) -> MaintenancePair:
    return MaintenancePair(
        asset=old.asset,
        direction=old.direction,
        prior_state=old.state,
        prior_reason=old.reason,
        prior_note=old.note,
        prior_expected_reopen=old.expected_reopen,
        prior_note_en=old.note_en,
        start_history_id=history_id,
    )
