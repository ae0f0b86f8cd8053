"""Translations and the texts still without English, on both engines."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import NewIncident, NewOrder, OrderAction, Source, State
from bot.store import Database
from tests.contract.support import T0, change


async def test_record_and_history(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        for n, text in enumerate(["First", "Second"]):
            await repos.translations.record(
                "order_summary", "7", "summary_en", "", text,
                actor="tr", source=Source.CLI, at=T0 + timedelta(seconds=n),
            )  # fmt: skip
        await repos.translations.record(
            "order_summary", "8", "summary_en", "", "Other", actor="tr", source=Source.CLI, at=T0
        )
    history = await engine_db.repos.translations.history("order_summary", "7")
    assert [(t.new_text, t.translated_at) for t in history] == [
        ("First", T0),
        ("Second", T0 + timedelta(seconds=1)),
    ]
    assert all(type(t.id) is int and t.source is Source.CLI for t in history)
    assert history[0].id < history[1].id
    assert await engine_db.repos.translations.history("order_summary", "9") == []


async def test_untranslated_texts_newest_first_and_counted(engine_db: Database) -> None:
    before = await engine_db.repos.translations.count_untranslated()
    assert type(before) is int
    async with engine_db.transaction() as repos:
        await repos.status.record(
            change("BTC", State.SUSPENDED, T0 + timedelta(hours=3), note="停止")
        )
        order = await repos.orders.add(
            NewOrder("財務局", OrderAction.OTHER, T0.date(), summary_ja="概要"),
            slug="o",
            source=Source.CLI,
            now=T0 + timedelta(hours=2),
        )
        incident_id = await repos.incidents.add(
            NewIncident(title_ja="障害", message_ja=""),
            all_assets=True,
            assets=[],
            actor="tester",
            source=Source.CLI,
            started_at=T0 + timedelta(hours=1),
        )
    found = await engine_db.repos.translations.untranslated()
    assert [(u.subject, u.subject_key, u.text_ja, u.since) for u in found[:4]] == [
        ("status_note", "BTC/deposit", "停止", T0 + timedelta(hours=3)),
        ("order_issuer", str(order.id), "財務局", T0 + timedelta(hours=2)),
        ("order_summary", str(order.id), "概要", T0 + timedelta(hours=2)),
        ("incident_title", str(incident_id), "障害", T0 + timedelta(hours=1)),
    ]
    assert [u.since for u in found] == sorted((u.since for u in found), reverse=True)
    after = await engine_db.repos.translations.count_untranslated()
    assert after == before + 4 == len(found)
    assert len(await engine_db.repos.translations.untranslated(limit=2)) == 2
