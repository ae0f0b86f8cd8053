"""Errors raised to the test (never sent to the bot)."""


class EmulatorError(Exception):
    """The test asked the emulator for something impossible (unknown command, timeout...)."""
