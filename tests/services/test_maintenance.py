"""Maintenance windows under a driven clock: reminders, start, end, operator changes meanwhile,
extension and cancellation, each step once, each notice to the right subscribers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain import (
    Direction,
    DomainError,
    EventKind,
    MaintenanceState,
    NewMaintenance,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
)
from bot.services.maintenance import MaintenanceService
from bot.services.status import StatusService
from bot.store import Database
from tests.services.maintenance_support import (
    T0,
    Clock,
    operator_sets,
    recipients,
    rows,
    schedule,
    states,
    steps,
    subscribers,
    window,
)


async def test_a_window_reminds_starts_and_ends_once_each(db: Database, db_path: Path) -> None:
    subs = await subscribers(db)
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    starts = T0 + timedelta(days=2)
    mid = await schedule(service, window(starts))
    assert [d.action for d in await service.ahead()] == ["remind", "remind", "start", "end"]

    clock.now = starts - timedelta(hours=24)
    [reminder] = await service.run_due()
    assert reminder.payload["step"] == "reminder" and reminder.payload["lead_hours"] == 24
    wanted = {subs["status"], subs["maintenance"], subs["all"]}
    assert recipients(db_path, reminder.id) == wanted
    assert await service.run_due() == []  # once
    clock.now = starts - timedelta(hours=1)
    [second] = await service.run_due()
    assert second.payload["lead_hours"] == 1

    clock.now = starts
    [started] = await service.run_due()
    assert started.kind is EventKind.MAINTENANCE and started.actor == f"maintenance:{mid}"
    assert started.source is Source.SYSTEM and started.assets == ("BTC",)
    assert states(db_path, "BTC") == {"deposit": "maintenance", "withdrawal": "maintenance"}
    history = rows(
        db_path,
        "SELECT actor, source, reason, event_id, old_state, new_state FROM status_history"
        " WHERE asset = 'BTC' AND event_id = ?",
        started.id,
    )
    assert history == [(f"maintenance:{mid}", "system", "maintenance", started.id,
                        "suspended", "maintenance")] * 2  # fmt: skip
    assert recipients(db_path, started.id) == wanted
    assert await service.run_due() == []

    clock.now = starts + timedelta(hours=2)
    [ended] = await service.run_due()
    assert ended.payload["step"] == "completed" and ended.payload["left"] == []
    assert len(ended.payload["changes"]) == 2
    assert states(db_path, "BTC") == {"deposit": "suspended", "withdrawal": "suspended"}
    restored = (await db.repos.status.current("BTC"))[0]
    assert restored.reason.value == "security_incident"  # as before the window
    assert (await service.get(mid)).state is MaintenanceState.COMPLETED
    assert await service.ahead() == []
    assert steps(db_path) == ["scheduled", "reminder", "reminder", "started", "completed"]


async def test_no_reminder_for_a_lead_already_past_when_scheduled(db: Database) -> None:
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    await schedule(service, window(T0 + timedelta(minutes=30)))
    assert [d.action for d in await service.ahead()] == ["start", "end"]


async def test_a_pair_the_operator_changed_meanwhile_is_left_and_said_so(
    db: Database, db_path: Path
) -> None:
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    mid = await schedule(service, window(T0 + timedelta(minutes=10)))
    clock.advance(minutes=10)
    await service.run_due()
    await operator_sets(db, "BTC", Direction.DEPOSIT, State.OPERATIONAL)
    clock.advance(hours=2)
    [ended] = await service.run_due()
    assert ended.payload["left"] == [
        {"asset": "BTC", "direction": "deposit", "state": "operational"}
    ]
    assert [c["direction"] for c in ended.payload["changes"]] == ["withdrawal"]
    assert states(db_path, "BTC") == {"deposit": "operational", "withdrawal": "suspended"}
    outcomes = rows(
        db_path,
        "SELECT direction, outcome FROM maintenance_pairs WHERE maintenance_id = ?"
        " ORDER BY direction",
        mid,
    )
    assert outcomes == [("deposit", "left"), ("withdrawal", "restored")]


async def test_extend_moves_the_end_and_bumps_the_sequence(db: Database, db_path: Path) -> None:
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    starts = T0 + timedelta(minutes=10)
    mid = await schedule(service, window(starts))
    extended, event = await service.extend(
        mid, starts + timedelta(hours=3), actor="cli:test", source=Source.CLI
    )
    assert extended.sequence == 1 and extended.ends_at == starts + timedelta(hours=3)
    assert event.payload["old_ends_at"].startswith("2026-12-01T03:10")
    clock.now = starts
    await service.run_due()
    await service.extend(mid, starts + timedelta(hours=4), actor="cli:test", source=Source.CLI)
    clock.now = starts + timedelta(hours=3)
    assert await service.run_due() == []  # the old end is no longer the end
    assert states(db_path, "BTC")["deposit"] == "maintenance"
    clock.now = starts + timedelta(hours=4)
    [ended] = await service.run_due()
    assert ended.payload["step"] == "completed"
    assert (await service.get(mid)).sequence == 2
    assert steps(db_path) == ["scheduled", "extended", "started", "extended", "completed"]


async def test_cancel_a_scheduled_window_and_one_in_progress(db: Database, db_path: Path) -> None:
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    first = await schedule(service, window(T0 + timedelta(minutes=10)))
    cancelled, _ = await service.cancel(first, actor="cli:test", source=Source.CLI)
    assert cancelled.state is MaintenanceState.CANCELLED and cancelled.sequence == 1
    clock.advance(minutes=10)
    assert await service.run_due() == []
    assert states(db_path, "BTC")["deposit"] == "suspended"

    second = await schedule(service, window(T0 + timedelta(minutes=20), assets=("MONA",)))
    clock.advance(minutes=10)
    await service.run_due()
    assert states(db_path, "MONA") == {"deposit": "maintenance", "withdrawal": "maintenance"}
    clock.advance(minutes=5)
    stopped, event = await service.cancel(second, actor="cli:test", source=Source.CLI)
    assert stopped.state is MaintenanceState.CANCELLED and event.payload["step"] == "cancelled"
    assert len(event.payload["changes"]) == 2
    assert states(db_path, "MONA") == {"deposit": "suspended", "withdrawal": "suspended"}
    clock.advance(hours=3)
    assert await service.run_due() == []
    assert steps(db_path) == ["scheduled", "cancelled", "scheduled", "started", "cancelled"]


async def test_late_reminders_are_superseded_by_nearer_ones(db: Database, db_path: Path) -> None:
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    starts = T0 + timedelta(days=3)
    await schedule(service, window(starts))
    clock.now = starts - timedelta(minutes=30)  # both the 24 h and the 1 h reminder are late
    [only] = await service.run_due()
    assert only.payload["lead_hours"] == 1
    assert steps(db_path) == ["scheduled", "reminder"]


async def _refused(service: MaintenanceService, new: NewMaintenance) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await service.schedule(new, actor="cli:test", source=Source.CLI)
    return caught.value


async def test_refusals_name_the_conflict_and_write_nothing(db: Database, db_path: Path) -> None:
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    existing = await schedule(service, window(T0 + timedelta(hours=1), hours=2))
    before = rows(
        db_path, "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM maintenances)"
    )

    backwards = replace(window(T0 + timedelta(hours=5)), ends_at=T0 + timedelta(hours=4))
    error = await _refused(service, backwards)
    assert error.code == "maintenance_ends_before_start"
    assert str(error) == "the end 2026-12-01 14:00 JST is not after the start 2026-12-01 15:00 JST"

    error = await _refused(service, window(T0 - timedelta(minutes=6)))
    assert error.code == "maintenance_starts_in_past"
    assert "2026-12-01 09:54 JST" in str(error)
    await schedule(service, window(T0 - timedelta(minutes=4), hours=0.5, assets=("MONA",)))

    error = await _refused(service, window(T0 + timedelta(hours=2), assets=("ZAIF", "BTC")))
    assert error.code == "maintenance_overlap" and error.params["id"] == existing
    assert str(error).startswith(f"overlaps maintenance #{existing} (BTC both,")
    error = await _refused(service, window(T0 + timedelta(hours=2), direction="withdrawal"))
    assert error.params["id"] == existing
    after = rows(
        db_path, "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM maintenances)"
    )
    assert after[0][0] == int(str(before[0][0])) + 1 and after[0][1] == 2  # only the MONA window

    # Back to back is not an overlap; another direction is not either.
    await schedule(service, window(T0 + timedelta(hours=3), direction="deposit"))
    with pytest.raises(DomainError) as caught:
        await service.extend(existing, T0 + timedelta(hours=4), actor="t", source=Source.CLI)
    assert caught.value.code == "maintenance_overlap"
    with pytest.raises(DomainError) as caught:
        await service.extend(existing, T0 + timedelta(hours=2), actor="t", source=Source.CLI)
    assert caught.value.code == "maintenance_extend_not_later"
    await service.cancel(existing, actor="t", source=Source.CLI)
    with pytest.raises(DomainError) as caught:
        await service.cancel(existing, actor="t", source=Source.CLI)
    assert caught.value.code == "maintenance_not_active"


async def test_the_english_note_and_the_estimate_come_back_and_slips_are_kept(
    db: Database, db_path: Path
) -> None:
    clock = Clock()
    before_reopen = T0 + timedelta(days=7)
    await StatusService(db, clock=clock).change(
        StatusRequest(
            targets=(Target("BTC", Direction.DEPOSIT, State.DELAYED),),
            reason=Reason.NETWORK_CONGESTION,
            note="送金が混み合っています",
            note_en="The network is congested",
            actor="discord:42",
            source=Source.DISCORD,
            expected_reopen=before_reopen,
        )
    )
    service = MaintenanceService(db, clock=clock)
    starts = T0 + timedelta(minutes=10)
    mid = await schedule(service, window(starts, direction="deposit"))
    clock.now = starts
    await service.run_due()
    held = (await db.repos.status.current("BTC"))[0]
    assert (held.state, held.note_en, held.expected_reopen) == (
        State.MAINTENANCE,
        "Wallet upgrade",
        starts + timedelta(hours=2),
    )
    await service.extend(mid, starts + timedelta(hours=3), actor="t", source=Source.CLI)
    held = (await db.repos.status.current("BTC"))[0]
    assert held.expected_reopen == starts + timedelta(hours=3)  # the slip shows on the pair
    clock.now = starts + timedelta(hours=3)
    await service.run_due()
    back = (await db.repos.status.current("BTC"))[0]
    assert (back.state, back.reason, back.note, back.note_en, back.expected_reopen) == (
        State.DELAYED,
        Reason.NETWORK_CONGESTION,
        "送金が混み合っています",
        "The network is congested",
        before_reopen,
    )
    estimates = rows(
        db_path,
        "SELECT old_estimate IS NOT NULL, new_estimate IS NOT NULL, actor FROM reopen_estimates"
        " WHERE asset = 'BTC' AND direction = 'deposit' ORDER BY id",
    )
    assert estimates[-3:] == [
        (1, 1, f"maintenance:{mid}"),  # the start: the operator's estimate -> the window's end
        (1, 1, f"maintenance:{mid}"),  # the extension
        (1, 1, f"maintenance:{mid}"),  # the end: back to the operator's estimate
    ]
