"""The audit chain: every event and every later translation, hashed in the order written.

Each entry's hash is SHA-256 of the previous entry's hash (64 hex digits; 64 zeros before the
first) followed by the entry's canonical JSON: sorted keys, UTF-8, no spaces, times in UTC as
`YYYY-MM-DDTHH:MM:SS.ffffffZ`. Anyone holding the rows can recompute it with any SHA-256 tool.
An event's history rows (status_history, incident updates) are covered through its payload,
which carries what changed.

Entries are numbered 1, 2, 3... (`chain_seq`) across both tables, so a deleted row shows as a
missing number; `audit_head` keeps the last number and hash, so a deleted last row shows too.
The next number and the previous hash are read in the writing transaction, which
holds the write lock that serialises every writer (on PostgreSQL across every process): two
replicas never take the same number. Besides its hash, an entry keeps a short digest of each of
its fields, so that a check can say which field was changed, not only that something was.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from bot.clock import from_db
from bot.store.sql import Row, Sql

GENESIS = "0" * 64
BATCH_ROWS = 5_000
STORE_ROWS = 1_000  # rows per UPDATE when the migration chains existing rows
# Hex digits kept per field digest: enough to tell which field changed; the hash proves it.
FIELD_DIGEST = 8

EVENT = "event"
TRANSLATION = "translation"
_TABLES = {EVENT: "events", TRANSLATION: "translations"}
_FIELDS = {
    EVENT: "id, kind, actor, source, assets, payload, created_at",
    TRANSLATION: (
        "id, subject, subject_key, field, old_text, new_text, actor, source, translated_at"
    ),
}
_CHAIN = "chain_seq, chain_hash, chain_fields"
_LONG_NUMBER = re.compile(r"\d{19}")


def utc_text(moment: datetime) -> str:
    """The one time format of the canonical JSON."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _stored_utc(text: str) -> str:
    """A stored time in that format; the store writes `...ffffff+00:00` (`to_db`), which needs
    only its suffix changed (a million of them are read by one check)."""
    if len(text) == 32 and text.endswith("+00:00") and text[19] == ".":
        return text[:26] + "Z"
    return utc_text(from_db(text))


def canonical(body: Mapping[str, Any]) -> bytes:
    try:
        return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        # An integer beyond 64 bits: the standard library writes it the same way, in digits.
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link(previous: str, body: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous.encode("ascii") + canonical(body)).hexdigest()


def field_digests(body: Mapping[str, Any]) -> str:
    """One short digest per field, in the order of the sorted field names, space-separated."""
    return " ".join(
        hashlib.sha256(canonical({key: body[key]})).hexdigest()[:FIELD_DIGEST]
        for key in sorted(body)
    )


def changed_fields(body: Mapping[str, Any], stored: str) -> list[str]:
    """The fields whose digest differs from the one stored when the entry was chained."""
    now = field_digests(body).split()
    then = stored.split()
    keys = sorted(body)
    if len(now) != len(then):
        return keys
    return [key for key, a, b in zip(keys, now, then, strict=True) if a != b]


def _exact(text: str) -> None:
    """Refuse a payload that holds an integer beyond 64 bits: the check reads payloads with
    orjson, which reads such a number as a float, and digits lost there could be changed
    unnoticed. No payload the services write holds one (ids and amounts fit in 64 bits)."""
    if _LONG_NUMBER.search(text) and json.dumps(orjson.loads(text)) != json.dumps(json.loads(text)):
        raise ValueError("an event payload holds an integer beyond 64 bits")


def _event_body(row: Row, seq: int) -> dict[str, Any]:
    return {
        "entry": EVENT,
        "seq": seq,
        "id": int(row[0]),
        "kind": row[1],
        "actor": row[2],
        "source": row[3],
        "assets": orjson.loads(row[4]),  # asset codes: no number in it to lose digits of
        "payload": orjson.loads(row[5]),
        "created_at": _stored_utc(row[6]),
    }


def _translation_body(row: Row, seq: int) -> dict[str, Any]:
    return {
        "entry": TRANSLATION,
        "seq": seq,
        "id": int(row[0]),
        "subject": row[1],
        "subject_key": row[2],
        "field": row[3],
        "old_text": row[4],
        "new_text": row[5],
        "actor": row[6],
        "source": row[7],
        "translated_at": _stored_utc(row[8]),
    }


_BODIES = {EVENT: _event_body, TRANSLATION: _translation_body}
_TIME = {EVENT: 6, TRANSLATION: 8}


@dataclass(frozen=True, slots=True)
class Head:
    entries: int  # the last entry's number: how many entries the chain has had
    hash: str


NO_ENTRIES = Head(0, GENESIS)


@dataclass(frozen=True, slots=True)
class Entry:
    """A chained row as it is now, with what was stored when it was chained."""

    seq: int
    entry: str  # EVENT or TRANSLATION
    id: int
    body: dict[str, Any]  # recomputed from the row now
    hash: str
    fields: str


class AuditRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def head(self) -> Head:
        async with self._conn.execute(
            "SELECT entries, hash FROM audit_head WHERE id = 1"
        ) as cursor:
            row = await cursor.fetchone()
        return Head(int(row[0]), str(row[1])) if row else NO_ENTRIES

    async def append(self, entry: str, row_id: int) -> Head:
        """Chain the row just written; call it in the transaction that wrote it."""
        head = await self.head()
        table = _TABLES[entry]
        async with self._conn.execute(
            f"SELECT {_FIELDS[entry]} FROM {table} WHERE id = ?", (row_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            raise LookupError(f"no {entry} {row_id} to chain")
        if entry == EVENT:
            _exact(row[5])
        seq = head.entries + 1
        body = _BODIES[entry](row, seq)
        digest = link(head.hash, body)
        await self._conn.execute(
            f"UPDATE {table} SET chain_seq = ?, chain_hash = ?, chain_fields = ? WHERE id = ?",
            (seq, digest, field_digests(body), row_id),
        )
        await _set_head(self._conn, Head(seq, digest))
        return Head(seq, digest)

    async def chain_existing(self) -> None:
        """Chain every row from the start, as the migration does (for a database filled in
        bulk, such as a bench's)."""
        await chain_existing(self._conn)

    async def unchained(self) -> list[tuple[str, int]]:
        """Rows written without joining the chain (by hand, or by code that bypassed it)."""
        found: list[tuple[str, int]] = []
        for entry, table in _TABLES.items():
            async with self._conn.execute(
                f"SELECT id FROM {table} WHERE chain_seq IS NULL ORDER BY id LIMIT 10"
            ) as cursor:
                found += [(entry, int(r[0])) for r in await cursor.fetchall()]
        return found

    async def stored_hash(self, seq: int) -> str | None:
        """The hash stored with entry `seq`, None when no row holds that number."""
        for table in _TABLES.values():
            async with self._conn.execute(
                f"SELECT chain_hash FROM {table} WHERE chain_seq = ?", (seq,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                return str(row[0])
        return None

    async def entries(self, after: int = 0, until: int | None = None) -> AsyncIterator[Entry]:
        """The chained rows by number, read batch by batch from both tables and merged."""
        async with contextlib.aclosing(self.batches(after, until)) as batches:
            async for batch in batches:
                for entry in batch:
                    yield entry

    async def batches(
        self, after: int = 0, until: int | None = None
    ) -> AsyncGenerator[list[Entry], None]:
        """The same, a batch at a time. Translations are few: they are read at once and merged
        into the events, which are read a batch ahead while the last batch is being used."""
        limit = until if until is not None else 2**62
        translations: list[Entry] = []
        mark = after
        while True:
            found = await self._batch(TRANSLATION, await self._rows(TRANSLATION, mark, limit))
            translations += found
            if len(found) < BATCH_ROWS:
                break
            mark = found[-1].seq
        ahead: asyncio.Future[list[Row]] | None = asyncio.ensure_future(
            self._rows(EVENT, after, limit)
        )
        try:
            while ahead is not None:
                rows = await ahead
                ahead = None
                if len(rows) == BATCH_ROWS:
                    ahead = asyncio.ensure_future(self._rows(EVENT, int(rows[-1][-3]), limit))
                batch = await self._batch(EVENT, rows)
                if batch and ahead is not None:
                    told = [t for t in translations if t.seq < batch[-1].seq]
                else:  # the last batch: every translation left comes now
                    told = translations
                if told:
                    translations = translations[len(told) :]
                    batch = sorted([*batch, *told], key=lambda e: e.seq)
                if batch:
                    yield batch
        finally:
            if ahead is not None:  # closed early (a mismatch found): the read ahead is not needed
                ahead.cancel()
                await asyncio.wait([ahead])

    async def _rows(self, entry: str, after: int, limit: int) -> list[Row]:
        async with self._conn.execute(
            f"SELECT {_FIELDS[entry]}, {_CHAIN} FROM {_TABLES[entry]}"
            " WHERE chain_seq > ? AND chain_seq <= ? ORDER BY chain_seq LIMIT ?",
            (after, limit, BATCH_ROWS),
        ) as cursor:
            return list(await cursor.fetchall())

    async def _batch(self, entry: str, rows: list[Row]) -> list[Entry]:
        make = _BODIES[entry]
        found = []
        for row in rows:
            seq = int(row[-3])
            found.append(Entry(seq, entry, int(row[0]), make(row, seq), row[-2], row[-1]))
        return found


async def chain_existing(conn: Sql) -> None:
    """The migration's step: chain the rows written before the chain existed, events and
    translations merged by the time they were written (each table in its id order)."""
    streams = [_unchained(conn, entry) for entry in _TABLES]
    heads = [await anext(s, None) for s in streams]
    previous, seq = GENESIS, 0
    pending: dict[str, list[tuple[int, str, str, int]]] = {e: [] for e in _TABLES}
    while True:
        live = [(h[0], i) for i, h in enumerate(heads) if h is not None]
        if not live:
            break
        _, index = min(live)
        found = heads[index]
        assert found is not None
        entry, row = found[1], found[2]
        seq += 1
        body = _BODIES[entry](row, seq)
        previous = link(previous, body)
        pending[entry].append((seq, previous, field_digests(body), int(row[0])))
        if len(pending[entry]) >= BATCH_ROWS:
            await _store(conn, entry, pending[entry])
        heads[index] = await anext(streams[index], None)
    for entry, rows in pending.items():
        await _store(conn, entry, rows)
    if seq:
        await _set_head(conn, Head(seq, previous))


async def _set_head(conn: Sql, head: Head) -> None:
    # No row until the first entry: an empty database stays empty (port-db copies into one).
    await conn.execute(
        "INSERT INTO audit_head (id, entries, hash) VALUES (1, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET entries = excluded.entries, hash = excluded.hash",
        (head.entries, head.hash),
    )


async def _store(conn: Sql, entry: str, rows: list[tuple[int, str, str, int]]) -> None:
    """One UPDATE per STORE_ROWS rows, not one per row: on PostgreSQL each statement on events
    also fires the read model's statement trigger, a million times for a million rows."""
    table = _TABLES[entry]
    for start in range(0, len(rows), STORE_ROWS):
        chunk = rows[start : start + STORE_ROWS]
        values = ", ".join(["(?, ?, ?, ?)"] * len(chunk))
        await conn.execute(
            f"WITH v (seq, hash, fields, id) AS (VALUES {values})"
            f" UPDATE {table} SET chain_seq = v.seq, chain_hash = v.hash, chain_fields = v.fields"
            f" FROM v WHERE {table}.id = v.id",
            [value for row in chunk for value in row],
        )
    rows.clear()


async def _unchained(conn: Sql, entry: str) -> AsyncIterator[tuple[str, str, Row]]:
    after = 0
    while True:
        async with conn.execute(
            f"SELECT {_FIELDS[entry]} FROM {_TABLES[entry]} WHERE id > ? ORDER BY id LIMIT ?",
            (after, BATCH_ROWS),
        ) as cursor:
            rows = list(await cursor.fetchall())
        for row in rows:
            yield _stored_utc(row[_TIME[entry]]), entry, row
        if len(rows) < BATCH_ROWS:
            return
        after = int(rows[-1][0])


# Python steps the migration runner runs right after the SQL of the migration so named
# (without its number), in the same transaction.
MIGRATION_STEPS = {"accountability": chain_existing}
