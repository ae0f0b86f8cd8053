"""Command, option and choice descriptions in Japanese and English for Discord's clients."""

from __future__ import annotations

import logging

from discord import Locale, app_commands

from bot import i18n
from bot.i18n import Lang
from bot.i18n.chat import DESCRIPTIONS_JA

log = logging.getLogger(__name__)

ENGLISH = frozenset({Locale.american_english, Locale.british_english})
NAMES = frozenset(
    {
        app_commands.TranslationContextLocation.command_name,
        app_commands.TranslationContextLocation.group_name,
        app_commands.TranslationContextLocation.parameter_name,
    }
)


class ChatTranslator(app_commands.Translator):
    """Japanese for `ja`; the English text for en-US and en-GB; Discord's default elsewhere.

    A string with a `key` extra (choice names built from the shared vocabulary) is looked up by
    key; any other description by its English text.
    """

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if context.location in NAMES:
            return None  # names are the contract; they stay the same everywhere
        if locale in ENGLISH:
            language = Lang.EN
        elif locale is Locale.japanese:
            language = Lang.JA
        else:
            return None
        key = string.extras.get("key")
        if key is not None:
            return i18n.t(language, key)
        if language is Lang.EN:
            return string.message
        translated = DESCRIPTIONS_JA.get(string.message)
        if translated is None:
            log.warning("no Japanese description for %r", string.message)
        return translated


def term(key: str) -> app_commands.locale_str:
    """A choice name from the shared vocabulary (e.g. `state.suspended`), English by default."""
    return app_commands.locale_str(i18n.t(Lang.EN, key), key=key)
