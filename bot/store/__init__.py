"""The only code that speaks SQL: repositories over aiosqlite and the migration runner."""

from bot.store.db import Database, StoreError
from bot.store.repos import Repos

__all__ = ["Database", "Repos", "StoreError"]
