"""Heartbeats: a dead man's switch per wallet node.

The node (or its monitor) beats over HTTP; the beats reach the database in batches (see
`bot.services.beats`). When no beat has come for the heartbeat's grace, the leader makes its
operational pairs `delayed` (one status change, alerted like any other, by `heartbeat:NAME`);
when beats are back, two in a row, each pair nobody touched meanwhile goes back, and the
operators hear of those left alone (the rule of the maintenance windows: a later history row is
someone else's change). Only operational pairs are ever taken, so a pair an operator halted is
never reopened. Silence is measured from the last beat in the database, on the database's clock:
a restart or a new leader neither trips nor forgets; a new leader allows one grace before
judging, since it cannot know what the old one was doing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot import i18n
from bot.clock import JST, utcnow
from bot.domain import (
    AssetStatus,
    Direction,
    Event,
    EventKind,
    InvalidInput,
    NotFound,
    Reason,
    Source,
    State,
    StatusChange,
    StatusRequest,
    Target,
)
from bot.i18n import Lang
from bot.i18n import heartbeats as _texts  # noqa: F401 (registers the texts)
from bot.services import EventListener, EventWriter
from bot.services.assets import parse_assets
from bot.services.beats import BEAT_LAG_SECONDS
from bot.services.status import StatusService, check_note, directions
from bot.services.tokens import NAME
from bot.store import Database, Repos, StoreError
from bot.store.heartbeats import Heartbeat, HeldPair

log = logging.getLogger(__name__)

MIN_GRACE_SECONDS = 1.0
MAX_GRACE_SECONDS = 7 * 24 * 3600.0
RESTORING_STREAK = 2  # beats in a row that count as the node being back

Pair = tuple[str, Direction]


def actor_of(name: str) -> str:
    return f"heartbeat:{name}"


class HeartbeatService(EventWriter):
    def __init__(
        self,
        db: Database,
        status: StatusService,
        *,
        zone: ZoneInfo = JST,
        on_event: EventListener | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(db, on_event=on_event, clock=clock)
        self._status = status
        self._zone = zone

    async def add(
        self,
        name: str,
        assets: str,
        direction: str,
        grace_seconds: float,
        reason: Reason,
        note: str = "",
        note_en: str = "",
    ) -> Heartbeat:
        name = name.strip()
        if not NAME.fullmatch(name):
            raise InvalidInput("bad_heartbeat_name", "not a heartbeat name", value=name[:64])
        if not MIN_GRACE_SECONDS <= grace_seconds <= MAX_GRACE_SECONDS:
            raise InvalidInput(
                "bad_grace",
                f"the grace must be {MIN_GRACE_SECONDS:g} to {MAX_GRACE_SECONDS:g} seconds",
                low=f"{MIN_GRACE_SECONDS:g}",
                high=f"{MAX_GRACE_SECONDS:g}",
            )
        directions(direction)  # the same refusal as everywhere else
        codes = (await parse_assets(self._db.repos.assets, assets)).codes
        wanted = Heartbeat(
            name=name,
            assets=tuple(codes),
            direction=direction.strip().lower(),
            grace_seconds=float(grace_seconds),
            reason=reason,
            note=check_note(note),
            note_en=check_note(note_en),
            created_at=self._clock(),
            last_beat_at=0.0,
            streak=0,
            tripped_at=None,
        )
        async with self._db.transaction() as repos:
            added = await repos.heartbeats.add(wanted)
        if added is None:
            raise InvalidInput("heartbeat_name_taken", "that name is taken", name=name)
        log.info("heartbeat %s added: %s %s, grace %gs", name, codes, direction, grace_seconds)
        return added

    async def all(self) -> tuple[list[Heartbeat], float]:
        """Every heartbeat, and the database's time now (to tell each one's age)."""
        return await self._db.repos.heartbeats.all()

    async def remove(self, name: str) -> None:
        """Forget a heartbeat; pairs it holds stay as they are (an operator's to put back)."""
        async with self._db.transaction() as repos:
            if not await repos.heartbeats.remove(name.strip()):
                raise NotFound("heartbeat", name)

    async def ages(self) -> dict[str, tuple[float, bool]]:
        """Each heartbeat's seconds since its last beat, and whether it is tripped."""
        beats, now = await self.all()
        return {b.name: (max(0.0, now - b.last_beat_at), b.tripped_at is not None) for b in beats}

    async def now(self) -> float:
        """The database's clock, which every replica shares."""
        return await self._db.repos.heartbeats.now()

    async def round(self, led_since: float) -> None:
        """One round of the leader's watch; a database out of reach waits for the next."""
        try:
            await self.check(led_since)
        except StoreError as exc:
            log.warning("heartbeat round failed: %s", exc)

    async def check(self, led_since: float) -> None:
        """The leader's round: trip the silent, put back the ones beating again."""
        beats, now = await self.all()
        for beat in beats:
            if beat.tripped_at is None:
                # Beats reach the database in batches, up to BEAT_LAG_SECONDS after they came.
                silent = now - beat.last_beat_at > beat.grace_seconds + BEAT_LAG_SECONDS
                if silent and now - led_since >= beat.grace_seconds:
                    await self._trip(beat, now)
            elif beat.streak >= RESTORING_STREAK:
                await self._restore(beat)

    def _pairs(self, beat: Heartbeat) -> list[Pair]:
        return [(a, d) for a in beat.assets for d in directions(beat.direction)]

    async def _trip(self, beat: Heartbeat, now: float) -> None:
        since = datetime.fromtimestamp(beat.last_beat_at, UTC).astimezone(self._zone)
        shown = f"{since:%H:%M} {since.tzname()}"
        note, note_en = beat.note, beat.note_en
        if not note:
            note, note_en = (
                self._text(lang, beat, "heartbeat.delayed", since=shown) for lang in Lang
            )

        async def record(
            repos: Repos, written: tuple[StatusChange, ...], before: dict[Pair, AssetStatus]
        ) -> None:
            await repos.heartbeats.trip(beat.name, now, [_held(c, before) for c in written])

        result = await self._status.change(
            StatusRequest(
                targets=tuple(Target(a, d, State.DELAYED) for a, d in self._pairs(beat)),
                reason=beat.reason,
                note=note,
                note_en=note_en,
                actor=actor_of(beat.name),
                source=Source.SYSTEM,
            ),
            only_if=lambda old: old is not None and old.state is State.OPERATIONAL,
            within=record,
        )
        if result.event is None:  # nothing was operational: nothing to hold, nor to put back
            async with self._db.transaction() as repos:
                await repos.heartbeats.trip(beat.name, now, [])
        log.warning(
            "heartbeat %s silent since %s: %d pair(s) delayed",
            beat.name,
            shown,
            len(result.changes),
        )

    async def _restore(self, beat: Heartbeat) -> None:
        held = await self._db.repos.heartbeats.held(beat.name)
        async with self._db.read() as repos:
            latest = await repos.maintenances.latest_history_ids(
                (p.asset, p.direction) for p in held
            )
        back = {
            (p.asset, p.direction): p
            for p in held
            if latest.get((p.asset, p.direction)) == p.history_id
        }
        left = [p for p in held if (p.asset, p.direction) not in back]
        first = next(iter(back.values()), None)

        told: list[Event] = []

        async def clear(repos: Repos, *_: object) -> None:
            await repos.heartbeats.clear(beat.name)
            notice = await self._tell_operators(repos, beat, left)
            if notice is not None:
                told.append(notice)

        result = None
        if first is not None:
            result = await self._status.change(
                StatusRequest(
                    targets=tuple(Target(a, d, back[(a, d)].prior_state) for a, d in back),
                    reason=first.prior_reason,
                    note=self._text(Lang.JA, beat, "heartbeat.resumed"),
                    note_en=self._text(Lang.EN, beat, "heartbeat.resumed"),
                    actor=actor_of(beat.name),
                    source=Source.SYSTEM,
                ),
                only_if=lambda old: old is not None and old.state is State.DELAYED,
                within=clear,
            )
        if result is None or result.event is None:
            async with self._db.transaction() as repos:
                await clear(repos)
        for notice in told:  # committed by now
            self._announce(notice)
        log.info("heartbeat %s beats again: %d put back, %d left", beat.name, len(back), len(left))

    async def _tell_operators(
        self, repos: Repos, beat: Heartbeat, left: list[HeldPair]
    ) -> Event | None:
        if not left:
            return None
        pairs = ", ".join(f"{p.asset} {p.direction.value}" for p in left)
        event = await repos.events.add(
            EventKind.OPERATOR,
            actor=actor_of(beat.name),
            source=Source.SYSTEM,
            payload={
                "topic": "heartbeat_left",
                "heartbeat": beat.name,
                **{
                    f"{part}_{lang.value}": i18n.t(
                        lang, f"heartbeat.left.{part}", name=beat.name, pairs=pairs
                    )
                    for part in ("title", "text")
                    for lang in Lang
                },
            },
            created_at=self._clock(),
        )
        await repos.outbox.fan_out(event)
        return event

    def _text(self, lang: Lang, beat: Heartbeat, key: str, **params: str) -> str:
        what = i18n.t(lang, f"heartbeat.what.{beat.direction}")
        return i18n.t(lang, key, assets=", ".join(beat.assets), what=what, **params)


def _held(change: StatusChange, before: dict[Pair, AssetStatus]) -> HeldPair:
    old = before[(change.asset, change.direction)]
    assert change.id is not None
    return HeldPair(
        change.asset, change.direction, old.state, old.reason, old.note, old.note_en, change.id
    )
