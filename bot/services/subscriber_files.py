"""Subscribers in bulk: a CSV file imported all or nothing, and the same format exported.

One row per subscription, with the columns the CLI takes one at a time. A file with any bad row
writes nothing and names every bad row by its line number. Targets that already have a
subscription are kept as they are, and counted. Webhook secrets are never exported: an imported
webhook gets a new secret, shown once.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from bot.clock import parse_hhmm, utcnow
from bot.domain import AlertMode, EventFilter, InvalidInput, Subscription, TargetKind
from bot.store import Database

COLUMNS = (
    "kind",
    "target",
    "assets",
    "events",
    "locale",
    "alert_mode",
    "quiet_from",
    "quiet_until",
    "digest_at",
)
MAX_URL = 500
SECRET_BYTES = 32
EVENTS = {f.value: f for f in EventFilter if f is not EventFilter.OPERATOR}
KINDS = {k.value: k for k in TargetKind}
# ja, en, or a Discord locale (en-US, zh-TW, es-419) as /subscribe stores a user's client's.
LOCALE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,3})?")
SNOWFLAKE = re.compile(r"[0-9]{1,20}")


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > MAX_URL:
        raise InvalidInput(
            "bad_webhook_url",
            f"not a usable webhook URL (http(s)://host/..., at most {MAX_URL})",
            limit=MAX_URL,
        )
    return url.strip()


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did (or, dry, would do): new subscriptions, existing targets kept, and
    the signing secret of each new webhook (shown only now)."""

    added: int
    kept: int
    dry_run: bool
    webhook_secrets: list[tuple[str, str]] = field(default_factory=list)


class _Bad(Exception):
    """One row's problems, joined into its reason."""


def _target(kind: TargetKind, text: str) -> str:
    if kind is TargetKind.WEBHOOK:
        try:
            return check_url(text)
        except InvalidInput as exc:
            raise _Bad(f"target: {exc}") from None
    if not SNOWFLAKE.fullmatch(text) or int(text) >= 2**64:
        raise _Bad(f"target: {kind.value} wants a Discord id (digits), not {text!r}")
    return text


def _assets(text: str, codes: set[str]) -> frozenset[str] | None:
    """None for `all`; else the codes, each one this exchange lists."""
    if text.casefold() == "all":
        return None
    given = {part.strip().upper() for part in text.split(";") if part.strip()}
    if not given:
        raise _Bad("assets: `all` or codes such as BTC;MONA")
    unknown = sorted(given - codes)
    if unknown:
        raise _Bad(f"assets: unknown {', '.join(unknown)}")
    return frozenset(given)


def _time(name: str, text: str) -> str:
    try:
        return parse_hhmm(text)
    except InvalidInput:
        raise _Bad(f"{name}: not a time of day (HH:MM, JST): {text!r}") from None


def _mode(row: dict[str, str]) -> tuple[AlertMode, str | None, str | None, str | None]:
    text = row["alert_mode"].lower() or AlertMode.INSTANT.value
    try:
        mode = AlertMode(text)
    except ValueError:
        raise _Bad(f"alert_mode: instant, quiet or digest, not {text!r}") from None
    wanted = {
        AlertMode.INSTANT: (),
        AlertMode.QUIET: ("quiet_from", "quiet_until"),
        AlertMode.DIGEST: ("digest_at",),
    }[mode]
    for name in ("quiet_from", "quiet_until", "digest_at"):
        if name in wanted and not row[name]:
            raise _Bad(f"{name}: needed for alert_mode {mode.value}")
        if name not in wanted and row[name]:
            raise _Bad(f"{name}: not used by alert_mode {mode.value}; leave it empty")
    times = {name: _time(name, row[name]) for name in wanted}
    if mode is AlertMode.QUIET and times["quiet_from"] == times["quiet_until"]:
        raise _Bad("quiet_from and quiet_until: the window starts and ends at the same time")
    return mode, times.get("quiet_from"), times.get("quiet_until"), times.get("digest_at")


class _Rows:
    """Rows to subscriptions. A file repeats a few asset sets and modes many times: each distinct
    text is checked once (what is refused is checked again, and reported, every time)."""

    def __init__(self, codes: set[str], by: str, now: datetime) -> None:
        self._codes = codes
        self._by = by
        self._now = now
        self._assets: dict[str, frozenset[str] | None] = {}
        self._modes: dict[tuple[str, ...], tuple[AlertMode, str | None, str | None, str | None]]
        self._modes = {}

    def subscription(self, row: dict[str, str]) -> Subscription:
        kind = KINDS.get(row["kind"].lower())
        if kind is None:
            raise _Bad(f"kind: dm, channel or webhook, not {row['kind']!r}")
        target = _target(kind, row["target"])
        assets = self._assets.get(row["assets"], ())
        if assets == ():
            assets = self._assets[row["assets"]] = _assets(row["assets"], self._codes)
        events = EVENTS.get(row["events"].lower() or EventFilter.ALL.value)
        if events is None:
            raise _Bad(f"events: {', '.join(EVENTS)}, not {row['events']!r}")
        locale = row["locale"] or "ja"
        if not LOCALE.fullmatch(locale):
            raise _Bad(f"locale: ja, en or a Discord locale such as en-US, not {locale!r}")
        key = (row["alert_mode"], row["quiet_from"], row["quiet_until"], row["digest_at"])
        timing = self._modes.get(key)
        if timing is None:
            timing = self._modes[key] = _mode(row)
        mode, quiet_from, quiet_until, digest_at = timing
        return Subscription(
            id=0,
            target_kind=kind,
            target=target,
            guild_id=None,
            all_assets=assets is None,
            assets=assets or frozenset(),
            events=events,
            locale=locale,
            created_by=self._by,
            created_at=self._now,
            secret=secrets.token_urlsafe(SECRET_BYTES) if kind is TargetKind.WEBHOOK else None,
            mode=mode,
            quiet_from=quiet_from,
            quiet_until=quiet_until,
            digest_at=digest_at,
        )


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its fields); blank lines skipped."""
    reader = csv.reader(io.StringIO(text))
    start = 1
    for fields in reader:
        stripped = [f.strip() for f in fields]
        if any(stripped):
            yield start, stripped
        start = reader.line_num + 1


def parse(text: str, codes: set[str], by: str, now: datetime) -> list[Subscription]:
    """Every row as a subscription, or InvalidInput naming every bad row by its line."""
    records = _records(text)
    bad: list[str] = []
    header = next(records, None)
    names = [name.lower() for name in header[1]] if header else []
    if sorted(names) != sorted(COLUMNS) or len(set(names)) != len(names):
        bad.append(f"line 1: the header must name the columns {','.join(COLUMNS)}")
        return _refuse(bad)
    subs: list[Subscription] = []
    rows = _Rows(codes, by, now)
    seen: dict[tuple[TargetKind, str], int] = {}
    for line, fields in records:
        try:
            if len(fields) != len(names):
                raise _Bad(f"{len(fields)} fields where the header has {len(names)}")
            sub = rows.subscription(dict(zip(names, fields, strict=True)))
            first = seen.setdefault((sub.target_kind, sub.target), line)
            if first != line:
                raise _Bad(f"target: the same {sub.target_kind.value} as line {first}")
        except _Bad as exc:
            bad.append(f"line {line}: {exc}")
            continue
        subs.append(sub)
    return _refuse(bad) if bad else subs


def _refuse(bad: list[str]) -> list[Subscription]:
    raise InvalidInput(
        "subscriber_file_refused",
        f"the file was refused, nothing was written ({len(bad)} bad row(s)):\n" + "\n".join(bad),
        count=len(bad),
        lines="\n".join(bad),
    )


def to_csv(subs: Iterable[Subscription]) -> str:
    """The import's format; never a webhook's secret."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for sub in subs:
        writer.writerow(
            (
                sub.target_kind.value,
                sub.target,
                "all" if sub.all_assets else ";".join(sorted(sub.assets)),
                sub.events.value,
                sub.locale,
                sub.mode.value,
                sub.quiet_from or "",
                sub.quiet_until or "",
                sub.digest_at or "",
            )
        )
    return out.getvalue()


class SubscriberFiles:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def import_csv(self, text: str, *, created_by: str, dry_run: bool = False) -> Imported:
        """All rows in one transaction, or none: a bad row refuses the whole file."""
        codes = {asset.code for asset in await self._db.repos.assets.all()}
        subs = parse(text, codes, created_by, self._clock())
        if dry_run:
            known = await self._db.repos.subscriptions.targets()
            kept = sum((s.target_kind.value, s.target) in known for s in subs)
            return Imported(len(subs) - kept, kept, dry_run=True)
        async with self._db.transaction() as repos:
            known = await repos.subscriptions.targets()
            added = await repos.subscriptions.add_many(subs, known)
        shown = [
            (s.target, s.secret or "")
            for s in subs
            if s.target_kind is TargetKind.WEBHOOK and (s.target_kind.value, s.target) not in known
        ]
        return Imported(added, len(subs) - added, dry_run=False, webhook_secrets=shown)

    async def export_csv(self) -> tuple[str, int]:
        """The active subscriptions (not the operators' channel, which the settings make), and
        how many there are."""
        subs = [
            s
            for s in await self._db.repos.subscriptions.every()
            if s.active and s.events is not EventFilter.OPERATOR
        ]
        return to_csv(subs), len(subs)
