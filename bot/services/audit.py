"""Checking the audit chain, and the line the exchange publishes to pin its head.

The check walks the entries in order, recomputing each hash from the previous one: a changed
row breaks its own hash, a deleted one leaves its number missing. It reads in batches, so it
holds only a batch in memory however long the chain.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from bot.domain import InvalidInput
from bot.store import Database
from bot.store.audit import GENESIS, NO_ENTRIES, Entry, Head, changed_fields, link

__all__ = ["NO_ENTRIES", "AuditService", "Head", "Verdict", "check_hash", "parse_anchor"]

ANCHOR_PREFIX = "exchange-status-bot audit anchor"
_ANCHOR = re.compile(
    rf"^{ANCHOR_PREFIX}: events=(?P<events>\d+) head=(?P<head>[0-9a-f]{{64}})(?: .*)?$"
)
_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class Verdict:
    intact: bool
    checked: int  # entries recomputed
    head: Head  # the last entry checked, as recomputed
    problem: str = ""  # what is wrong, naming the entry

    def text(self) -> str:
        if self.intact:
            return f"{self.checked} events, chain intact, head {self.head.hash}"
        return self.problem


def parse_anchor(line: str) -> tuple[int, str]:
    """The entry count and head hash of a published anchor line."""
    found = _ANCHOR.match(line.strip())
    if found is None:
        raise InvalidInput("bad_anchor", f"not an audit anchor line: {line.strip()[:80]!r}")
    return int(found["events"]), found["head"]


def check_hash(text: str) -> str:
    cleaned = text.strip().lower()
    if not _HASH.match(cleaned):
        raise InvalidInput("bad_hash", f"not a SHA-256 hash (64 hex digits): {text!r}")
    return cleaned


class AuditService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def head(self) -> Head:
        return await self._db.repos.audit.head()

    async def anchor(self) -> str:
        """A line to publish; `verify --anchor` checks the chain against it later."""
        head = await self.head()
        return f"{ANCHOR_PREFIX}: events={head.entries} head={head.hash}"

    async def verify(
        self, *, from_event: int = 1, head: str | None = None, at_event: int | None = None
    ) -> Verdict:
        """The chain from entry `from_event` (trusting the stored hash before it) to the end, or
        to `at_event`, where the recomputed hash must equal `head`."""
        if from_event < 1:
            raise InvalidInput("bad_event", "--from-event counts from 1")
        if at_event is not None and at_event < from_event - 1:
            raise InvalidInput("bad_event", "--at-event lies before --from-event")
        repos = self._db.repos
        previous = GENESIS
        if from_event > 1:
            stored = await repos.audit.stored_hash(from_event - 1)
            if stored is None:
                return Verdict(
                    False, 0, Head(0, GENESIS), f"no event {from_event - 1} to start after"
                )
            previous = stored
        expected, checked = from_event, 0
        batches = repos.audit.batches(after=from_event - 1, until=at_event)
        async with contextlib.aclosing(batches):
            async for batch in batches:
                for entry in batch:
                    if entry.seq != expected:
                        return _gap(expected, entry, checked, previous)
                    digest = link(previous, entry.body)
                    if digest != entry.hash:
                        return _mismatch(entry, checked, previous)
                    previous, expected, checked = digest, expected + 1, checked + 1
        last = expected - 1
        if at_event is not None:
            if last != at_event:
                return Verdict(
                    False,
                    checked,
                    Head(last, previous),
                    f"the chain ends at event {last}, before event {at_event}",
                )
            if head is not None and previous != head:
                return Verdict(
                    False,
                    checked,
                    Head(last, previous),
                    f"the chain up to event {at_event} hashes to {previous}, not {head}:"
                    " history up to it was changed",
                )
        else:
            stored_head = await repos.audit.head()
            if stored_head.entries > last:
                return Verdict(
                    False,
                    checked,
                    Head(last, previous),
                    f"gap in the chain: events {last + 1} to {stored_head.entries} missing at the"
                    " end (deleted rows)",
                )
            if stored_head.entries == last and stored_head.hash != previous:
                return Verdict(False, checked, Head(last, previous), "the stored head was changed")
            unchained = await repos.audit.unchained()
            if unchained:
                named = ", ".join(_name(e, i) for e, i in unchained[:3])
                return Verdict(
                    False, checked, Head(last, previous), f"rows outside the chain: {named}"
                )
        return Verdict(True, checked, Head(last, previous))


def _gap(expected: int, entry: Entry, checked: int, previous: str) -> Verdict:
    missing = (
        f"event {expected}"
        if entry.seq == expected + 1
        else f"events {expected} to {entry.seq - 1}"
    )
    return Verdict(
        False,
        checked,
        Head(expected - 1, previous),
        f"gap in the chain: {missing} missing (a deleted row), before"
        f" {_name(entry.entry, entry.id)}",
    )


def _mismatch(entry: Entry, checked: int, previous: str) -> Verdict:
    fields = changed_fields(entry.body, entry.fields)
    why = (
        f"{', '.join(fields)} differ(s) from when it was chained"
        if fields
        else "its stored hash, or the chain before it, was changed"
    )
    return Verdict(
        False,
        checked,
        Head(entry.seq - 1, previous),
        f"event {entry.seq} ({_name(entry.entry, entry.id)}) does not match the chain: {why}",
    )


def _name(entry: str, row_id: int) -> str:
    return f"{entry} row {row_id}"
