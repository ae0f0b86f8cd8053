"""A local Discord (REST v10 + gateway) that unmodified discord.py connects to.

Used by the status bot's end-to-end tests; everything runs on 127.0.0.1.
"""

from .emulator import DiscordEmulator
from .errors import EmulatorError
from .faults import Faults, Stats
from .interactions import InteractionResult

__all__ = ["DiscordEmulator", "EmulatorError", "Faults", "InteractionResult", "Stats"]
