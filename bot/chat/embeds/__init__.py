"""Embeds for each kind of reply, within Discord's limits, in the reader's language."""

from __future__ import annotations

import discord

# One colour per meaning, so that a glance tells good news from bad.
RED = discord.Colour(0xD83C3E)
GREEN = discord.Colour(0x3BA55D)
AMBER = discord.Colour(0xF0A232)
BLUE = discord.Colour(0x3B82F6)

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
