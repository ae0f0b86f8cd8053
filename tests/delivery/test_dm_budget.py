"""The DM-open budget's policy and the meaning of Discord's refusals, without any I/O."""

from __future__ import annotations

import pytest

from bot.delivery.discord_errors import (
    DmClosed,
    DmsRestricted,
    OpeningTooFast,
    classify,
)
from bot.delivery.dm_budget import CALM_SECONDS, MAX_LEVEL, DmOpenPolicy
from bot.delivery.transport import Permanent, Rejected, Transient
from bot.store.budgets import BudgetState


def test_opens_are_spaced_at_the_configured_rate() -> None:
    policy = DmOpenPolicy(per_minute=30)
    state = BudgetState()
    slots = []
    for _ in range(4):
        state, slot = policy.reserve(state, now=100.0)
        slots.append(slot.at)
    assert slots == [100.0, 102.0, 104.0, 106.0]
    # Idle time is not saved up: a later open goes at once, then the spacing resumes.
    state, slot = policy.reserve(state, now=500.0)
    assert slot.at == 500.0
    assert state.next_at == 502.0


def test_a_held_slot_is_kept_until_a_40003_voids_it() -> None:
    policy = DmOpenPolicy(per_minute=60)
    state, held = policy.reserve(BudgetState(), now=0.0)
    state, _ = policy.reserve(state, now=0.0)
    again, same = policy.reserve(state, now=0.5, held=held)
    assert same == held and again.next_at == state.next_at  # nothing new reserved
    slowed = policy.too_fast(state, now=0.5, slot=held)
    assert (slowed.level, slowed.epoch) == (1, 1)
    _, fresh = policy.reserve(slowed, now=0.5, held=held)
    assert fresh != held and fresh.epoch == 1
    assert fresh.at == pytest.approx(2.5)  # the next slot at half the rate


def test_a_40003_halves_the_rate_once_per_epoch_then_it_recovers() -> None:
    policy = DmOpenPolicy(per_minute=60)
    state, slot = policy.reserve(BudgetState(), now=0.0)
    state = policy.too_fast(state, now=1.0, slot=slot)
    state = policy.too_fast(state, now=1.0, slot=slot)  # a second answer from the same epoch
    assert state.level == 1
    assert policy.interval(state) == 2.0
    for _ in range(10):
        state, slot = policy.reserve(state, now=2.0)
        state = policy.too_fast(state, now=2.0, slot=slot)
    assert state.level == MAX_LEVEL
    slowed = state
    state = policy.settled(state, now=2.0 + 2 * CALM_SECONDS + 1)
    assert state.level == MAX_LEVEL - 2
    # Slots reserved at the slower rate are void: waiting opens take new, nearer ones.
    assert state.epoch == slowed.epoch + 1 and state.next_at <= 2.0 + 2 * CALM_SECONDS + 1
    assert policy.settled(state, now=2.0 + 2 * CALM_SECONDS + 2) == state
    assert policy.settled(state, now=2.0 + 100 * CALM_SECONDS).level == 0


def test_restriction_is_recorded_once_and_slows_new_opens_to_a_probe() -> None:
    policy = DmOpenPolicy(per_minute=600)
    state = policy.restricted(BudgetState(), now=10.0)
    assert state.restricted_at == 10.0
    assert policy.restricted(state, now=20.0) is state
    state, first = policy.reserve(state, now=11.0)
    state, second = policy.reserve(state, now=11.0)
    assert second.at - first.at >= 300.0
    assert policy.reached(state).restricted_at is None


@pytest.mark.parametrize(
    ("status", "code", "dm", "expected"),
    [
        (403, 40003, True, OpeningTooFast),
        (403, 20026, True, DmsRestricted),
        (403, 50007, True, DmClosed),
        (400, 50007, True, DmClosed),  # opening a DM with someone who refuses them
        (404, 10013, True, Permanent),
        (404, 10003, True, Permanent),
        (403, 50001, True, Transient),  # any other 403 on a DM is retried, never disabling
        (403, 40002, True, Transient),
        (403, 50001, False, Permanent),  # a channel that shuts the bot out: its staff is told
        (403, 50013, False, Permanent),
        (403, 40004, False, Transient),
        (404, 10003, False, Permanent),
        (500, 0, False, Transient),
        (400, 50035, False, Rejected),
    ],
)
def test_discord_answers_are_classified(status: int, code: int, dm: bool, expected: type) -> None:
    failure = classify(status, code, "text", dm=dm)
    assert type(failure) is expected
    assert isinstance(failure, Permanent) == (expected in (Permanent, DmClosed))
    assert f"{status} {code}" in str(failure)
