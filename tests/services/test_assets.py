"""One way to name several assets, whether for an incident or a maintenance window."""

from __future__ import annotations

import pytest

from bot.domain import InvalidInput, UnknownAsset
from bot.services.assets import AssetSelection, parse_assets
from bot.services.incidents import IncidentService
from bot.services.maintenance import MaintenanceService
from bot.store import Database

ELEVEN = ("BTC", "MONA", "BCH", "ZAIF", "XCP", "BCY", "SJCX", "FSCC", "pepecash", "CICC", "NCXC")


async def test_codes_in_any_case_and_order_come_back_once_in_listed_order(db: Database) -> None:
    picked = await parse_assets(db.repos.assets, " mona btc,BTC , PEPECASH")
    assert picked == AssetSelection(("BTC", "MONA", "pepecash"), all=False)
    assert picked.named == ("BTC", "MONA", "pepecash")


async def test_all_means_every_listed_asset_wherever_it_is_written(db: Database) -> None:
    for given in ("all", "ALL", " all ", "btc,all"):
        picked = await parse_assets(db.repos.assets, given)
        assert picked.all and picked.codes == ELEVEN, given
        assert picked.named == ()  # how an incident keeps "all": assets listed later are in


async def test_naming_nothing_or_an_unknown_asset_is_refused(db: Database) -> None:
    for given in ("", " ", ",,"):
        with pytest.raises(InvalidInput) as refused:
            await parse_assets(db.repos.assets, given)
        assert refused.value.code == "no_assets"
    with pytest.raises(UnknownAsset) as unknown:
        await parse_assets(db.repos.assets, "btc,doge")
    assert unknown.value.params == {"asset": "doge"}


async def test_incidents_and_maintenance_read_assets_alike(db: Database) -> None:
    for given in ("btc MONA", "all", "pepecash,btc"):
        assert await IncidentService(db).parse_assets(given) == await MaintenanceService(
            db
        ).parse_assets(given)
