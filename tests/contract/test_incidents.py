"""Incidents, their updates and losses on both engines."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import Impact, IncidentLoss, IncidentStage, NewIncident, Source
from bot.reference import shipped_reference
from bot.store import Database
from tests.contract.support import T0, add_event

SEEDED_SLUG = "2018-09-zaif-outflow"


async def test_the_seeded_outflow_keeps_its_large_yen_figures(engine_db: Database) -> None:
    reference = shipped_reference()
    incident = await engine_db.repos.incidents.find_slug(SEEDED_SLUG)
    assert incident is not None and type(incident.id) is int
    assert incident.losses == tuple(reference.incident.losses())
    btc = incident.losses[0]
    assert (btc.asset, btc.stolen, btc.stolen_jpy) == ("BTC", "5966.1", 4_250_000_000)
    for loss in incident.losses:
        assert type(loss.stolen_jpy) is int and type(loss.customers_jpy) is int
        assert type(loss.stolen) is str
    total = sum(loss.stolen_jpy for loss in incident.losses)
    assert total > 2**32
    record = reference.incident.record
    assert incident.started_at == record.started_at
    assert [u.posted_at for u in incident.updates] == [u.at for u in record.update]
    assert incident.updated_at == record.update[-1].at
    assert incident.all_assets is True and incident.assets == ()
    assert incident.impact is record.impact


async def test_open_update_and_resolve(engine_db: Database) -> None:
    new = NewIncident(
        title_ja="障害", message_ja="", impact=Impact.MINOR, slug="api-down", assets=("BTC",)
    )
    async with engine_db.transaction() as repos:
        incident_id = await repos.incidents.add(
            new,
            all_assets=False,
            assets=["BTC", "MONA"],
            actor="tester",
            source=Source.CLI,
            started_at=T0,
        )
        first = await repos.incidents.add_update(
            incident_id,
            IncidentStage.INVESTIGATING,
            "調査中",
            "",
            actor="tester",
            source=Source.CLI,
            posted_at=T0,
        )
        second = await repos.incidents.add_update(
            incident_id,
            IncidentStage.IDENTIFIED,
            "原因特定",
            "Identified",
            actor="tester",
            source=Source.CLI,
            posted_at=T0 + timedelta(minutes=5),
        )
        event = await add_event(repos)
        await repos.incidents.link_event(second, event.id)
        await repos.incidents.set_stage(
            incident_id, IncidentStage.IDENTIFIED, now=T0 + timedelta(minutes=5)
        )
        await repos.incidents.translate(first, "Investigating", actor="tr", now=T0)
        await repos.incidents.translate_title(incident_id, "Outage")
    assert type(incident_id) is int and type(first) is int
    incident = await engine_db.repos.incidents.get(incident_id)
    assert incident is not None
    assert (incident.slug, incident.title_en, incident.stage) == (
        "api-down",
        "Outage",
        IncidentStage.IDENTIFIED,
    )
    assert incident.assets == ("BTC", "MONA") and incident.all_assets is False
    assert incident.updated_at == T0 + timedelta(minutes=5) and incident.resolved_at is None
    assert [u.id for u in incident.updates] == [first, second]
    assert incident.updates[0].message_en == "Investigating"
    assert incident.updates[0].translated_by == "tr"
    assert incident.updates[0].translated_at == T0
    assert incident.updates[1].event_id == event.id and type(event.id) is int
    assert incident.losses == ()
    opened = await engine_db.repos.incidents.list_open()
    assert opened[0].id == incident_id  # T0 is the newest start
    resolved_at = T0 + timedelta(hours=1)
    async with engine_db.transaction() as repos:
        await repos.incidents.set_stage(
            incident_id, IncidentStage.RESOLVED, now=resolved_at, resolved=True
        )
        await repos.incidents.set_stage(incident_id, IncidentStage.POSTMORTEM, now=resolved_at)
    done = await engine_db.repos.incidents.get(incident_id)
    assert done is not None and done.resolved_at == resolved_at
    assert done.stage is IncidentStage.POSTMORTEM
    assert incident_id not in [i.id for i in await engine_db.repos.incidents.list_open()]
    recent = await engine_db.repos.incidents.recent(1)
    assert [i.id for i in recent] == [incident_id]
    update = await engine_db.repos.incidents.get_update(second)
    assert update is not None and update.message_ja == "原因特定"
    assert await engine_db.repos.incidents.get_update(10**9) is None
    assert await engine_db.repos.incidents.get(10**9) is None


async def test_losses_are_added_once_per_asset(engine_db: Database) -> None:
    big = IncidentLoss("BTC", "100000", 9_000_000_000_000, "1", 3_000_000_000)
    async with engine_db.transaction() as repos:
        incident_id = await repos.incidents.add(
            NewIncident(title_ja="流出", message_ja=""),
            all_assets=True,
            assets=[],
            actor="tester",
            source=Source.CLI,
            started_at=T0,
        )
        await repos.incidents.add_losses(
            incident_id, [big, IncidentLoss("MONA", "1", 1, "1", 1), big]
        )
        await repos.incidents.add_losses(incident_id, [IncidentLoss("BTC", "0", 0, "0", 0)])
        count = await repos.incidents.count_updates()
    incident = await engine_db.repos.incidents.get(incident_id)
    assert incident is not None and incident.losses[0] == big
    assert [loss.asset for loss in incident.losses] == ["BTC", "MONA"]
    assert type(count) is int and count == len(shipped_reference().incident.record.update)
