"""Language negotiation and the number formats of the page."""

from __future__ import annotations

import pytest

from bot.i18n import Lang
from bot.web.format import quantity, yen
from bot.web.lang import from_accept_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, Lang.JA),
        ("", Lang.JA),
        ("en", Lang.EN),
        ("en-GB,en;q=0.8", Lang.EN),
        ("ja-JP,ja;q=0.9,en;q=0.8", Lang.JA),
        ("fr-FR,fr;q=0.9,en;q=0.5", Lang.EN),  # French is not offered; English is next
        ("en;q=0.3,ja;q=0.7", Lang.JA),  # quality, not position, decides
        ("ko,zh;q=0.8", Lang.JA),  # nothing offered is asked for: Japanese
        ("en;q=0, ja;q=0.1", Lang.JA),  # q=0 means "not this"
        ("*", Lang.JA),
        ("en;q=oops,ja", Lang.JA),
    ],
)
def test_accept_language(header: str | None, expected: Lang) -> None:
    assert from_accept_language(header) is expected


@pytest.mark.parametrize(
    ("amount", "ja", "en"),
    [
        (4_250_000_000, "約42億5000万円", "≈ ¥4.25bn"),
        (7_000_000_000, "約70億円", "≈ ¥7.0bn"),
        (2_108_000_000, "約21億800万円", "≈ ¥2.108bn"),
        (672_000_000, "約6億7200万円", "≈ ¥672m"),
        (4_587_000_000, "約45億8700万円", "≈ ¥4.587bn"),
    ],
)
def test_yen(amount: int, ja: str, en: str) -> None:
    assert yen(amount, Lang.JA) == ja
    assert yen(amount, Lang.EN) == en


def test_quantities_keep_their_digits() -> None:
    assert quantity("6236810.1", "MONA") == "6,236,810.1 MONA"
    assert quantity("40360", "BCH") == "40,360 BCH"
    assert quantity("2723.40", "BTC") == "2,723.40 BTC"
