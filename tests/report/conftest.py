"""The report's end-to-end tests run against the local Discord."""

from __future__ import annotations

from tests.delivery.conftest import emu

__all__ = ["emu"]
