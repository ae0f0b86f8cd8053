"""What PostgreSQL is sent, spelled its way: the repositories' SQLite spelling translated, the
parameters adapted, and a server URL fit for a log line."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.store.sql import Params

_JSON_EACH = re.compile(r"json_each\(\?\) AS (\w+)")


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """SQLite's spelling to PostgreSQL's: a JSON list parameter becomes rows of text, and `?`
    placeholders become psycopg's (a literal `%` doubled first). Only for SQL with parameters:
    psycopg leaves SQL without them alone."""
    sql = _JSON_EACH.sub(r"json_array_elements_text(CAST(? AS json)) AS \1(value)", sql)
    return sql.replace("%", "%%").replace("?", "%s")


def values(parameters: Params) -> tuple[Any, ...]:
    # Flags are INTEGER 0/1 columns on both engines; a Python bool would arrive as boolean.
    return tuple(int(v) if isinstance(v, bool) else v for v in parameters)


def redact(url: str) -> str:
    """The URL without its password, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}:***@{host}" if parts.username else host
    return urlunsplit(parts._replace(netloc=netloc))
