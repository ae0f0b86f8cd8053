"""Numbers and times as a reader expects them in each language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.i18n import Lang

_OKU = 100_000_000
_MAN = 10_000


def yen(amount: int, lang: Lang) -> str:
    """About ¥4.25bn as 「約42億5000万円」 in Japanese and "≈ ¥4.25bn" in English."""
    if lang is Lang.JA:
        oku, rest = divmod(amount, _OKU)
        man = rest // _MAN
        text = (f"{oku}億" if oku else "") + (f"{man}万" if man else "")
        return f"約{text or amount}円"
    if amount >= 1_000_000_000:
        figure = f"{amount / 1_000_000_000:.3f}".rstrip("0")
        return f"≈ ¥{figure}0bn" if figure.endswith(".") else f"≈ ¥{figure}bn"
    return f"≈ ¥{amount / 1_000_000:.0f}m"


def quantity(text: str, unit: str) -> str:
    """A published amount, digits kept as given, with thousands separators: 6,236,810.1 MONA."""
    whole, _, fraction = text.strip().partition(".")
    grouped = f"{int(whole or 0):,}"
    return f"{grouped}.{fraction} {unit}" if fraction else f"{grouped} {unit}"


def moment(value: datetime | None, zone: ZoneInfo) -> str:
    return show(value, zone)


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"
