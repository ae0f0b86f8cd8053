"""User-facing text in Japanese and English.

Each area keeps its strings in one module (core, errors, chat, delivery, web), both languages side by
side so that they stay in step. English for `en-*` locales, Japanese for every other locale: the
exchange's customers are Japanese.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from bot.i18n import core, errors


class Lang(StrEnum):
    JA = "ja"
    EN = "en"


def lang(locale: str | None) -> Lang:
    """`en`, `en-US`, `en-GB` -> English; anything else (ja, ko, None...) -> Japanese."""
    if locale and locale.lower().replace("_", "-").split("-")[0] == "en":
        return Lang.EN
    return Lang.JA


_CATALOGUES: list[Mapping[str, Mapping[str, str]]] = [core.TEXT, errors.TEXT]


def register(catalogue: Mapping[str, Mapping[str, str]]) -> None:
    """Add an area's strings ({"ja": {...}, "en": {...}}); keys must not clash."""
    for known in _CATALOGUES:
        clash = set(known["ja"]) & set(catalogue["ja"])
        if clash and known is not catalogue:
            raise ValueError(f"translation keys defined twice: {sorted(clash)}")
    if catalogue not in _CATALOGUES:
        _CATALOGUES.append(catalogue)


def t(locale: str | Lang | None, key: str, **params: Any) -> str:
    """The text for `key` in the locale's language, filled with `params` (str.format)."""
    language = locale if isinstance(locale, Lang) else lang(locale)
    for catalogue in _CATALOGUES:
        text = catalogue[language.value].get(key)
        if text is not None:
            return text.format(**params) if params else text
    raise KeyError(f"no text for {key!r}")


def written(language: Lang, text_ja: str, text_en: str) -> str:
    """An operator's text in the reader's language: Japanese first, English where it was written.

    English readers of a text not yet translated see the Japanese with one mark, the same words
    wherever it is shown.
    """
    if language is Lang.JA or text_en.strip():
        return text_en if language is Lang.EN else text_ja
    if not text_ja.strip():
        return text_ja
    return f"{text_ja}\n{t(language, 'untranslated')}"
