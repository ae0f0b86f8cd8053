"""Seeding the shipped facts: idempotent, and never putting back what an operator changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import start_of_day, utcnow
from bot.domain import Direction, Source, StatusChange
from bot.reference import Reference
from bot.store import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SeedResult:
    statuses: int
    orders: int

    @property
    def changed(self) -> bool:
        return bool(self.statuses or self.orders)


async def seed(db: Database, reference: Reference) -> SeedResult:
    """Add what is missing in one transaction: assets, first statuses, the 2018 orders."""
    assets_file = reference.assets
    initial = assets_file.seed_status
    statuses = orders = 0
    async with db.transaction() as repos:
        await repos.assets.upsert(assets_file.assets())
        for asset in assets_file.asset:
            for direction in Direction:
                if await repos.status.exists(asset.code, direction):
                    continue
                await repos.status.record(
                    StatusChange(
                        asset=asset.code,
                        direction=direction,
                        old_state=None,
                        new_state=initial.state,
                        reason=initial.reason,
                        note=initial.note_ja,
                        note_en=initial.note_en,
                        actor=initial.actor,
                        source=Source.SEED,
                        changed_at=start_of_day(asset.halted_since),
                    )
                )
                statuses += 1
        # Databases seeded before texts had an English column get the shipped English, where
        # nobody has changed or translated the seeded text since.
        await repos.status.fill_note_en(initial.note_ja, initial.note_en)
        for order in reference.orders.order:
            found = await repos.orders.find_slug(order.slug)
            if found is not None:
                if not found.issuer_en and found.issuer == order.issuer:
                    await repos.orders.translate(found.id, found.summary_en, order.issuer_en)
                continue
            added = await repos.orders.add(
                order.new_order(), slug=order.slug, source=Source.SEED, now=utcnow()
            )
            await repos.orders.set_status(added.id, order.status)
            orders += 1
    result = SeedResult(statuses, orders)
    if result.changed:
        log.info("seeded %d status row(s) and %d order(s)", statuses, orders)
    return result
