from bot.store import Database


async def test_seeded(engine_db: Database) -> None:
    assets = await engine_db.repos.assets.all()
    assert len(assets) == 11
    async with engine_db.transaction() as repos:
        statuses = await repos.status.current()
    assert statuses
    assert await engine_db.content_version() > 0
