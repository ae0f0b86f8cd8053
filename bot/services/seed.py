"""Seeding the shipped facts: idempotent, and never putting back what an operator changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import start_of_day, utcnow
from bot.domain import Direction, NewIncident, Source, StatusChange
from bot.reference import IncidentRecord, Reference
from bot.store import Database
from bot.store.repos import Repos

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SeedResult:
    statuses: int
    orders: int
    incidents: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.statuses or self.orders or self.incidents)


async def seed(db: Database, reference: Reference) -> SeedResult:
    """Add what is missing in one transaction: assets, first statuses, the 2018 orders and
    the outflow as incident 1 with its timeline."""
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
        incidents = await _seed_incident(repos, reference)
    result = SeedResult(statuses, orders, incidents)
    if result.changed:
        log.info(
            "seeded %d status row(s), %d order(s), %d incident(s)", statuses, orders, incidents
        )
    return result


async def _seed_incident(repos: Repos, reference: Reference) -> int:
    """The outflow with its timeline, once: keyed by its slug, so that a second run (or an
    operator's later update) is left alone. Seeded rows write no events: nobody is alerted."""
    record: IncidentRecord = reference.incident.record
    if await repos.incidents.find_slug(record.slug) is not None:
        return 0
    incident_id = await repos.incidents.add(
        NewIncident(
            title_ja=record.title_ja,
            title_en=record.title_en,
            message_ja="",
            impact=record.impact,
            stage=record.stage,
            slug=record.slug,
        ),
        all_assets=True,
        assets=(),
        actor=record.actor,
        source=Source.SEED,
        started_at=record.started_at,
    )
    for update in record.update:
        await repos.incidents.add_update(
            incident_id,
            update.stage,
            update.message_ja,
            update.message_en,
            actor=record.actor,
            source=Source.SEED,
            posted_at=update.at,
        )
    await repos.incidents.set_stage(incident_id, record.stage, now=record.update[-1].at)
    await repos.incidents.add_losses(incident_id, reference.incident.losses())
    return 1
