"""English added after the Japanese went out: no new alert, an audit row, and the list of what
customers still read only in Japanese."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.clock import utcnow
from bot.domain import (
    Direction,
    DomainError,
    NotFound,
    Order,
    Source,
    Untranslated,
)
from bot.services.orders import check_issuer, check_summary
from bot.services.status import StatusService, check_note
from bot.store import Database

log = logging.getLogger(__name__)

STATUS_NOTE = "status_note"
ORDER = "order"
MAINTENANCE_NOTE = "maintenance_note"


class NotesDiffer(DomainError):
    def __init__(self) -> None:
        super().__init__("notes_differ", "the chosen pairs carry different notes")


class NothingToTranslate(DomainError):
    def __init__(self) -> None:
        super().__init__("nothing_to_translate", "there is no note to translate there")


class TranslationService:
    def __init__(
        self, db: Database, status: StatusService, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._db = db
        self._status = status
        self._clock = clock

    async def translate_status(
        self,
        asset: str,
        directions: tuple[Direction, ...],
        note_en: str,
        *,
        actor: str,
        source: Source,
    ) -> list[tuple[str, Direction]]:
        """The English of the current note of these pairs (`asset` may be `all`): one Japanese
        note, one translation. Returns the pairs translated."""
        text = check_note(note_en)
        if not text:
            raise NothingToTranslate()
        codes = set(await self._status.codes(asset))
        now = self._clock()
        async with self._db.transaction() as repos:
            pairs = [
                s
                for s in await repos.status.current()
                if s.asset in codes and s.direction in directions and s.note
            ]
            if not pairs:
                raise NothingToTranslate()
            if len({s.note for s in pairs}) > 1:
                raise NotesDiffer()
            for pair in pairs:
                await repos.status.translate_note(pair.asset, pair.direction, text)
                await repos.translations.record(
                    STATUS_NOTE,
                    f"{pair.asset}/{pair.direction.value}",
                    "note_en",
                    pair.note_en,
                    text,
                    actor=actor,
                    source=source,
                    at=now,
                )
        log.info("note of %d pair(s) translated by %s (%s)", len(pairs), actor, source)
        return [(p.asset, p.direction) for p in pairs]

    async def translate_order(
        self,
        order_id: int,
        summary_en: str | None,
        issuer_en: str | None = None,
        *,
        actor: str,
        source: Source,
    ) -> Order:
        """The English of an order's summary and/or issuer; what is not given stays as it is."""
        summary = check_summary(summary_en) if summary_en is not None else None
        issuer = check_issuer(issuer_en) if issuer_en is not None else None
        if not summary and not issuer:
            raise NothingToTranslate()
        now = self._clock()
        async with self._db.transaction() as repos:
            order = await repos.orders.get(order_id)
            if order is None:
                raise NotFound("order", order_id)
            new_summary = summary or order.summary_en
            new_issuer = issuer or order.issuer_en
            await repos.orders.translate(order_id, new_summary, new_issuer)
            for field, old, new in (
                ("summary_en", order.summary_en, new_summary),
                ("issuer_en", order.issuer_en, new_issuer),
            ):
                if old != new:
                    await repos.translations.record(
                        ORDER, str(order_id), field, old, new, actor=actor, source=source, at=now
                    )
            saved = await repos.orders.get(order_id)
        assert saved is not None
        log.info("order %d translated by %s (%s)", order_id, actor, source)
        return saved

    async def translate_maintenance(
        self, maintenance_id: int, note_en: str, *, actor: str, source: Source
    ) -> None:
        """The English of a maintenance window's note."""
        text = check_note(note_en)
        if not text:
            raise NothingToTranslate()
        now = self._clock()
        async with self._db.transaction() as repos:
            window = await repos.maintenances.get(maintenance_id)
            if window is None:
                raise NotFound("maintenance", maintenance_id)
            if not window.note_ja:
                raise NothingToTranslate()
            await repos.maintenances.translate_note(maintenance_id, text, now)
            await repos.translations.record(
                MAINTENANCE_NOTE,
                str(maintenance_id),
                "note_en",
                window.note_en,
                text,
                actor=actor,
                source=source,
                at=now,
            )
        log.info("maintenance %d note translated by %s (%s)", maintenance_id, actor, source)

    async def untranslated(self, limit: int = 200) -> list[Untranslated]:
        """What customers read only in Japanese, newest first."""
        return await self._db.repos.translations.untranslated(limit)

    async def count_untranslated(self) -> int:
        return await self._db.repos.translations.count_untranslated()
