"""Use cases: each change is one transaction in the store, and wakes the dispatcher."""

from collections.abc import Callable

from bot.domain import Event

EventListener = Callable[[Event], None]

__all__ = ["EventListener"]
