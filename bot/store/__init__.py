"""The only code that speaks SQL: repositories, the two engines and the migration runner."""

from bot.store.db import ConnectionLost, Database, StoreError
from bot.store.engines import connect_database, open_database
from bot.store.repos import Repos

__all__ = [
    "ConnectionLost",
    "Database",
    "Repos",
    "StoreError",
    "connect_database",
    "open_database",
]
