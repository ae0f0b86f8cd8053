"""The front end's strings: both languages complete, descriptions within Discord's limits."""

from __future__ import annotations

import string

from discord import Locale, app_commands

from bot.chat.translator import ChatTranslator, term
from bot.i18n.chat import DESCRIPTIONS_JA, TEXT

DESCRIPTION_LIMIT = 100


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_both_languages_with_the_same_fields() -> None:
    assert set(TEXT["ja"]) == set(TEXT["en"])
    for key, japanese in TEXT["ja"].items():
        assert _fields(japanese) == _fields(TEXT["en"][key]), key


def test_descriptions_fit_discords_limit() -> None:
    for english, japanese in DESCRIPTIONS_JA.items():
        assert 1 <= len(english) <= DESCRIPTION_LIMIT
        assert 1 <= len(japanese) <= DESCRIPTION_LIMIT


async def test_japanese_english_and_discords_default_for_other_locales() -> None:
    translator = ChatTranslator()
    # The translator looks at the location only, so no command object is needed.
    context = app_commands.TranslationContext(  # type: ignore[call-overload]
        app_commands.TranslationContextLocation.command_description, None
    )
    text = app_commands.locale_str("Operator tools")
    assert await translator.translate(text, Locale.japanese, context) == "運用担当者向けの操作"
    assert await translator.translate(text, Locale.british_english, context) == "Operator tools"
    assert await translator.translate(text, Locale.korean, context) is None
    choice = app_commands.TranslationContext(  # type: ignore[call-overload]
        app_commands.TranslationContextLocation.choice_name, None
    )
    suspended = term("state.suspended")
    assert suspended.message == "Suspended"
    assert await translator.translate(suspended, Locale.japanese, choice) == "停止中"
