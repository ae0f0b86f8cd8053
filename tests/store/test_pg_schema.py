"""The PostgreSQL migrations build the schema the SQLite ones build: same tables, columns in the
same order, keys, references and indexes; and a missing server skips locally but fails under CI.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg

from bot.paths import migrations_dir

ROOT = Path(__file__).resolve().parents[2]
# Schema facts per table: columns in order, primary key in order, sorted references and uniques.
Facts = dict[str, tuple[list[str], list[str], list[tuple[str, str, str, str]], list[list[str]]]]


# Tables whose references PostgreSQL checks with statement-level triggers instead of foreign keys
# (migrations/postgresql/0010): the fan-out writes 100,000 of their rows in one statement.
CHECKED_BY_TRIGGERS = {"deliveries"}


def postgres_scripts() -> list[str]:
    """Each version's file: the PostgreSQL one where it exists, else the common one."""
    folder = migrations_dir()
    return [
        (
            (folder / "postgresql" / path.name)
            if (folder / "postgresql" / path.name).exists()
            else path
        ).read_text("utf-8")
        for path in sorted(folder.glob("*.sql"))
    ]


def sqlite_facts(path: Path) -> tuple[Facts, set[str]]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # as the runner: tables are rebuilt
        for script in sorted(migrations_dir().glob("*.sql")):
            conn.executescript(script.read_text("utf-8"))
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        facts: Facts = {}
        for table in tables:
            columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
            uniques = [
                sorted(c[2] for c in conn.execute(f"PRAGMA index_info({index[1]})"))
                for index in conn.execute(f"PRAGMA index_list({table})")
                if index[3] == "u"  # a UNIQUE constraint's own index
            ]
            facts[table] = (
                [c[1] for c in columns],
                [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]],
                sorted(
                    (r[3], r[2], r[4], r[6])
                    for r in conn.execute(f"PRAGMA foreign_key_list({table})")
                ),
                sorted(uniques),
            )
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
        return facts, indexes
    finally:
        conn.close()


_PG_COLUMNS = """
    SELECT column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position"""
# The key's or unique constraint's columns, in the constraint's order.
_PG_KEY = """
    SELECT a.attname FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k (attnum, n)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.conrelid = %s::regclass AND c.contype = %s AND c.conname = %s ORDER BY k.n"""
_PG_REFERENCES = """
    SELECT a.attname, c.confrelid::regclass::text, f.attname,
        CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'c' THEN 'CASCADE'
            WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' ELSE 'RESTRICT' END
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
    WHERE c.conrelid = %s::regclass AND c.contype = 'f'"""
# Indexes made by CREATE INDEX, not those behind a key or a unique constraint.
_PG_INDEXES = """
    SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = 'public' AND NOT EXISTS (
        SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))"""


async def postgres_facts(url: str) -> tuple[Facts, set[str]]:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        for script in postgres_scripts():
            async with conn.transaction():  # one transaction per version, as the runner
                await conn.execute(script)
        tables = [
            r[0]
            for r in await (
                await conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                )
            ).fetchall()
        ]
        facts: Facts = {}
        for table in tables:
            columns = [r[0] for r in await (await conn.execute(_PG_COLUMNS, (table,))).fetchall()]
            constraints = await (
                await conn.execute(
                    "SELECT conname, contype FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
                    (table,),
                )
            ).fetchall()
            keys: dict[str, list[list[str]]] = {"p": [], "u": []}
            for name, kind in constraints:
                rows = await (await conn.execute(_PG_KEY, (table, kind, name))).fetchall()
                keys[kind].append([r[0] for r in rows])
            references = await (await conn.execute(_PG_REFERENCES, (table,))).fetchall()
            facts[table] = (
                columns,
                keys["p"][0] if keys["p"] else [],
                sorted((r[0], r[1], r[2], r[3]) for r in references),
                sorted(sorted(u) for u in keys["u"]),
            )
        indexes = {r[0] for r in await (await conn.execute(_PG_INDEXES)).fetchall()}
        return facts, indexes


async def test_postgres_schema_matches_sqlite(pg_url: str, tmp_path: Path) -> None:
    lite, lite_indexes = sqlite_facts(tmp_path / "schema.sqlite3")
    pg, pg_indexes = await postgres_facts(pg_url)
    assert sorted(pg) == sorted(lite)
    assert len(lite) >= 20 and {"events", "deliveries", "content_version"} <= set(lite)
    for table, (columns, key, references, uniques) in lite.items():
        assert pg[table][0] == columns, f"{table}: columns or their order differ"
        assert pg[table][1] == key, f"{table}: primary key differs"
        if table in CHECKED_BY_TRIGGERS:
            # The same rules, once per statement (tests/contract/test_references.py).
            assert pg[table][2] == [] and references, table
        else:
            assert pg[table][2] == references, f"{table}: foreign keys differ"
        assert pg[table][3] == uniques, f"{table}: unique constraints differ"
    assert pg_indexes == lite_indexes
    assert "subscriptions_timed" in pg_indexes


async def test_postgres_counter_moves_with_the_content_only(pg_url: str) -> None:
    async with await psycopg.AsyncConnection.connect(pg_url, autocommit=True) as conn:
        for script in postgres_scripts():
            await conn.execute(script)

        async def version() -> int:
            row = await (
                await conn.execute("SELECT n FROM content_version WHERE id = 1")
            ).fetchone()
            assert row is not None
            return int(row[0])

        assert await version() == 0
        await conn.execute(
            "INSERT INTO events (id, kind, actor, source, payload, created_at) VALUES"
            " (7, 'notice', 'op', 'cli', '{}', 't'), (8, 'notice', 'op', 'cli', '{}', 't')"
        )
        assert await version() == 1  # once for the statement, not per row
        await conn.execute("UPDATE events SET actor = 'other' WHERE id IN (7, 8)")
        await conn.execute("DELETE FROM events WHERE id = 8")
        assert await version() == 3
        await conn.execute(
            "INSERT INTO leases (name, holder, token, term, expires_at, renewed_at)"
            " VALUES ('leader', 'h:1', 't', 1, 1.5, 0.5)"
        )
        await conn.execute("UPDATE leases SET renewed_at = 2.5")
        assert await version() == 3  # what the read model does not show moves nothing


def _closed_port() -> socket.socket:
    """A bound socket that never listens: connecting to its port is refused."""
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    return held


def _run_schema_test(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    test = f"{Path(__file__).relative_to(ROOT)}::test_postgres_schema_matches_sqlite"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsf", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_server_skips_locally_but_fails_under_ci() -> None:
    with _closed_port() as held:
        url = f"postgresql://postgres@127.0.0.1:{held.getsockname()[1]}/test"
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        env["BOT_TEST_DATABASE_URL"] = url
        local = _run_schema_test(env)
        under_ci = _run_schema_test({**env, "CI": "true"})
    assert local.returncode == 0, local.stdout + local.stderr
    assert "1 skipped" in local.stdout and "no PostgreSQL server answers" in local.stdout
    assert under_ci.returncode == 1, under_ci.stdout + under_ci.stderr
    assert "1 error" in under_ci.stdout  # the fixture fails, so pytest reports an error
    assert "PostgreSQL tests cannot run under CI" in under_ci.stdout
