"""How operators name assets for an action on several of them: one parser, one meaning of `all`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import InvalidInput, UnknownAsset
from bot.store.assets import AssetRepo

ALL_ASSETS = "all"


@dataclass(frozen=True, slots=True)
class AssetSelection:
    """The assets an operator named: every listed code in listed order, and whether that is all."""

    codes: tuple[str, ...]
    all: bool

    @property
    def named(self) -> tuple[str, ...]:
        """The codes as an incident keeps them: empty for all, so assets listed later are in."""
        return () if self.all else self.codes


async def parse_assets(assets: AssetRepo, given: str) -> AssetSelection:
    """`BTC,mona` or `BTC mona` (any case, each once) or `all`; naming none is refused.

    `all` among other codes still means all: an operator who wrote it meant every asset.
    """
    names = [part.strip() for part in given.replace(" ", ",").split(",") if part.strip()]
    if not names:
        raise InvalidInput("no_assets", "name at least one asset, or all")
    listed = await assets.all()
    if any(name.lower() == ALL_ASSETS for name in names):
        return AssetSelection(tuple(a.code for a in listed), all=True)
    wanted: set[str] = set()
    for name in names:
        found = await assets.find(name)
        if found is None:
            raise UnknownAsset(name)
        wanted.add(found.code)
    return AssetSelection(tuple(a.code for a in listed if a.code in wanted), all=False)
