"""IncidentService: one transaction per alerting write, the refusals, and the seeded incident 1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import (
    DomainError,
    Event,
    EventFilter,
    EventKind,
    Impact,
    IncidentStage,
    NewIncident,
    Source,
    TargetKind,
    UnknownAsset,
)
from bot.reference import shipped_reference
from bot.services.incidents import IncidentService
from bot.services.seed import seed
from bot.services.subscriptions import SubscriptionService
from bot.store import Database

ALL_CODES = ("BTC", "MONA", "BCH", "ZAIF", "XCP", "BCY", "SJCX", "FSCC", "pepecash", "CICC", "NCXC")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


async def _counts(db: Database) -> tuple[int, int, int]:
    return (
        await db.repos.incidents.count_updates(),
        await db.repos.events.count(),
        await db.repos.outbox.count(),
    )


async def test_incident_1_is_the_seeded_outflow(db: Database) -> None:
    incident = await IncidentService(db).get(1)
    assert incident.slug == "2018-09-zaif-outflow"
    assert (incident.stage, incident.impact, incident.all_assets) == (
        IncidentStage.IDENTIFIED,
        Impact.CRITICAL,
        True,
    )
    assert incident.source is Source.SEED
    assert [u.posted_at.date().isoformat() for u in incident.updates] == [
        "2018-09-14",
        "2018-09-16",  # 2018-09-17 00:00 JST
        "2018-09-17",
        "2018-09-19",
        "2018-09-24",
    ]
    assert [u.stage for u in incident.updates] == [IncidentStage.INVESTIGATING] * 3 + [
        IncidentStage.IDENTIFIED
    ] * 2
    assert all(u.message_en and u.event_id is None for u in incident.updates)
    assert [loss.asset for loss in incident.losses] == ["BTC", "MONA", "BCH"]
    assert await db.repos.events.count() == 0  # seeding alerts nobody
    assert [i.id for i in await IncidentService(db).list_open()] == [1]


async def test_seeding_twice_adds_nothing_and_keeps_an_operators_update(db: Database) -> None:
    service = IncidentService(db)
    await service.update(
        1, IncidentStage.MONITORING, "一部の入出金を再開しました。", actor="ops", source=Source.CLI
    )
    before = await _counts(db)
    result = await seed(db, shipped_reference())
    assert result.incidents == 0 and not result.changed
    assert await _counts(db) == before
    incident = await service.get(1)
    assert incident.stage is IncidentStage.MONITORING
    assert incident.updates[-1].message_ja == "一部の入出金を再開しました。"
    assert len(await db.repos.incidents.recent(10)) == 1


async def test_open_writes_the_incident_its_update_one_event_and_its_deliveries(
    db: Database,
) -> None:
    subscriptions = SubscriptionService(db)
    for target, assets, events in (
        ("1", None, EventFilter.INCIDENTS),
        ("2", frozenset({"MONA"}), EventFilter.INCIDENTS),
        ("3", frozenset({"BTC"}), EventFilter.ALL),
        ("4", None, EventFilter.ORDERS),
    ):
        await subscriptions.subscribe(
            TargetKind.DM, target, assets=assets, events=events, locale="ja", created_by="t"
        )
    heard: list[Event] = []
    service = IncidentService(db, on_event=heard.append, clock=Clock())
    incident, event = await service.open(
        NewIncident(
            title_ja=" BTC出金の遅延 ",
            message_ja="遅れています。",
            impact=Impact.MINOR,
            assets=("btc",),
        ),
        actor="ops",
        source=Source.CLI,
    )
    assert heard == [event]
    assert incident.title_ja == "BTC出金の遅延"
    assert incident.assets == ("BTC",) and not incident.all_assets
    assert incident.started_at == datetime(2026, 11, 30, 3, 1, tzinfo=UTC)
    assert event.kind is EventKind.INCIDENT and event.assets == ("BTC",)
    assert event.payload["step"] == "opened" and event.payload["impact"] == "minor"
    assert incident.updates[0].event_id == event.id
    assert await db.repos.outbox.count() == 2  # subscriptions 1 and 3
    _, everyone = await service.open(
        NewIncident(title_ja="全銘柄", message_ja="全体の障害"), actor="ops", source=Source.CLI
    )
    assert everyone.assets == ALL_CODES
    assert await db.repos.outbox.count() == 2 + 3  # 1, 2 (MONA is concerned) and 3


async def test_translate_writes_no_event_but_keeps_who_translated(db: Database) -> None:
    heard: list[Event] = []
    service = IncidentService(db, on_event=heard.append)
    incident, _ = await service.open(
        NewIncident(title_ja="BTC出金の遅延", message_ja="遅れています。"),
        actor="ops",
        source=Source.CLI,
    )
    update_id = incident.updates[0].id
    pending = await db.repos.translations.untranslated()
    assert ("incident_update", str(update_id), "遅れています。") in [
        (u.subject, u.subject_key, u.text_ja) for u in pending
    ]
    before = await _counts(db)
    translated = await service.translate(
        update_id, "Delayed.", actor="translator", source=Source.CLI
    )
    assert translated.message_en == "Delayed."
    assert translated.translated_by == "translator" and translated.translated_at is not None
    assert await _counts(db) == before
    assert heard[1:] == []  # the opening's event only
    [record] = await db.repos.translations.history("incident_update", str(update_id))
    assert (record.field, record.old_text, record.new_text, record.actor, record.source) == (
        "message_en",
        "",
        "Delayed.",
        "translator",
        Source.CLI,
    )
    assert all(u.subject != "incident_update" for u in await db.repos.translations.untranslated())
    assert ("incident_title", str(incident.id)) in [
        (u.subject, u.subject_key) for u in await db.repos.translations.untranslated()
    ]
    await service.translate(update_id, "Delayed.", actor="translator", title_en="BTC delays")
    assert (await service.get(incident.id)).title_en == "BTC delays"
    [title] = await db.repos.translations.history("incident", str(incident.id))
    assert (title.field, title.new_text) == ("title_en", "BTC delays")
    assert await db.repos.translations.untranslated() == []
    assert await _counts(db) == before


@pytest.mark.parametrize(
    ("call", "code"),
    [
        ("update_after_resolved", "incident_closed"),
        ("resolve_twice", "incident_already_resolved"),
        ("unknown", "unknown_incident"),
        ("too_long", "message_too_long"),
        ("title_too_long", "title_too_long"),
        ("empty", "message_empty"),
        ("unknown_update", "unknown_incident_update"),
    ],
)
async def test_refusals_have_their_own_codes_and_write_nothing(
    db: Database, call: str, code: str
) -> None:
    service = IncidentService(db)
    await service.resolve(1, "解決", actor="ops", source=Source.CLI)
    before = await _counts(db)
    with pytest.raises(DomainError) as refused:
        if call == "update_after_resolved":
            await service.update(1, IncidentStage.MONITORING, "x", actor="o", source=Source.CLI)
        elif call == "resolve_twice":
            await service.resolve(1, "x", actor="o", source=Source.CLI)
        elif call == "unknown":
            await service.update(7, IncidentStage.MONITORING, "x", actor="o", source=Source.CLI)
        elif call == "too_long":
            await service.update(
                1, IncidentStage.POSTMORTEM, "x" * 2001, actor="o", source=Source.CLI
            )
        elif call == "title_too_long":
            await service.open(
                NewIncident(title_ja="x" * 201, message_ja="x"), actor="o", source=Source.CLI
            )
        elif call == "empty":
            await service.open(
                NewIncident(title_ja="x", message_ja="  "), actor="o", source=Source.CLI
            )
        else:
            await service.translate(99, "x", actor="o")
    assert refused.value.code == code
    assert await _counts(db) == before
    if code.endswith("too_long"):
        assert "at most" in str(refused.value) and refused.value.params["limit"] in (200, 2000)


async def test_a_postmortem_follows_the_resolution_only(db: Database) -> None:
    service = IncidentService(db)
    with pytest.raises(DomainError) as early:
        await service.update(1, IncidentStage.POSTMORTEM, "x", actor="o", source=Source.CLI)
    assert early.value.code == "incident_not_resolved"
    await service.resolve(1, "解決", actor="o", source=Source.CLI)
    incident, event = await service.update(
        1, IncidentStage.POSTMORTEM, "事後報告", actor="o", source=Source.CLI
    )
    assert incident.stage is IncidentStage.POSTMORTEM and event.payload["step"] == "postmortem"
    assert incident.resolved_at is not None
    await service.update(1, IncidentStage.POSTMORTEM, "追記", actor="o", source=Source.CLI)
    assert await service.list_open() == []


async def test_unknown_assets_are_refused(db: Database) -> None:
    service = IncidentService(db)
    with pytest.raises(UnknownAsset):
        await service.parse_assets("btc,doge")
    assert (await service.parse_assets("btc, PEPECASH,btc")).named == ("BTC", "pepecash")
    assert (await service.parse_assets("all")).named == ()
