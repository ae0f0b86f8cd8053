"""PostgreSQL for tests: the server's URL, whether it answers, and a fresh database per test.

A test that needs PostgreSQL skips when no server answers, so that a laptop without one still
runs the rest; under CI (the variable `CI` set) it fails instead, so a missing server is never
mistaken for a pass.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_S = 3
# C.UTF-8 sorts by code point and reads any text; a server without that locale gets plain C.
LOCALES = ("C.UTF-8", "C")


def server_url() -> str:
    """The server tests create their databases on (its database is only used to connect)."""
    return os.environ.get("BOT_TEST_DATABASE_URL") or DEFAULT_URL


def _where(url: str) -> str:
    """The server's address for messages, without the user or a password."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


@cache
def unreachable_reason(url: str) -> str | None:
    """None when the server answers; asked once per URL and test session."""
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S):
            return None
    except psycopg.Error as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server answers at {_where(url)} ({detail})"


def require_postgres() -> str:
    """The server URL; skips the test when the server does not answer, fails it under CI."""
    url = server_url()
    reason = unreachable_reason(url)
    if reason is None:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"{reason}; set BOT_TEST_DATABASE_URL to use another server")


def database_url(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


async def _create(admin: psycopg.AsyncConnection[TupleRow], name: str) -> None:
    for locale in LOCALES:
        statement = sql.SQL(
            "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE {} LC_CTYPE {}"
        ).format(sql.Identifier(name), sql.Literal(locale), sql.Literal(locale))
        try:
            await admin.execute(statement)
            return
        except psycopg.errors.WrongObjectType:  # "invalid locale name"
            if locale == LOCALES[-1]:
                raise


async def _drop(admin: psycopg.AsyncConnection[TupleRow], name: str) -> None:
    await admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )
    await admin.execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )


@asynccontextmanager
async def fresh_database(prefix: str = "bot_test") -> AsyncIterator[str]:
    """The URL of a new, empty database named `prefix_<random>`, dropped afterwards with
    whatever still uses it."""
    url = require_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    async with await psycopg.AsyncConnection.connect(
        url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
    ) as admin:
        await _create(admin, name)
    try:
        yield database_url(url, name)
    finally:
        async with await psycopg.AsyncConnection.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
        ) as admin:
            await _drop(admin, name)


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A new, empty database for the test."""
    async with fresh_database() as url:
        yield url
