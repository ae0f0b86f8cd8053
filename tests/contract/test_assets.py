"""The listed assets on both engines."""

from __future__ import annotations

from bot.domain import Asset
from bot.store import Database


async def test_seeded_assets_in_order_and_found_in_any_case(engine_db: Database) -> None:
    assets = await engine_db.repos.assets.all()
    assert len(assets) == 11
    assert [a.position for a in assets] == sorted(a.position for a in assets)
    assert all(type(a.position) is int for a in assets)
    assert await engine_db.repos.assets.find(" PEPECASH ") == await engine_db.repos.assets.find(
        "pepecash"
    )
    found = await engine_db.repos.assets.find("btc")
    assert found is not None and found.code == "BTC"
    assert await engine_db.repos.assets.find("DOGE") is None


async def test_upsert_adds_and_renames(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await repos.assets.upsert([Asset("DOGE", "ドージ", "Doge", "coin", 99)])
        await repos.assets.upsert([Asset("DOGE", "ドージコイン", "Dogecoin", "coin", 98)])
    assert await engine_db.repos.assets.find("doge") == Asset(
        "DOGE", "ドージコイン", "Dogecoin", "coin", 98
    )
    assert (await engine_db.repos.assets.all())[-1].code == "DOGE"
