"""Status per asset and direction: states, reasons, sources, changes and estimates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Direction(StrEnum):
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"


class State(StrEnum):
    OPERATIONAL = "operational"
    SUSPENDED = "suspended"
    MAINTENANCE = "maintenance"
    DELAYED = "delayed"


class Reason(StrEnum):
    SECURITY_INCIDENT = "security_incident"
    SERVER_FAILURE = "server_failure"
    MAINTENANCE = "maintenance"
    WALLET_UPGRADE = "wallet_upgrade"
    NETWORK_UPGRADE = "network_upgrade"
    NETWORK_CONGESTION = "network_congestion"
    REGULATORY_ORDER = "regulatory_order"
    BUSINESS_TRANSFER = "business_transfer"
    DELISTING = "delisting"
    COMPLIANCE = "compliance"
    OTHER = "other"


class Source(StrEnum):
    """Where a change came from, kept on every history row."""

    DISCORD = "discord"
    CLI = "cli"
    FEED = "feed"
    SYSTEM = "system"
    SEED = "seed"
    API = "api"  # the back office, over HTTP with a bearer token


MAX_NOTE_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Asset:
    code: str
    name_ja: str
    name_en: str
    kind: str  # "coin" or "token"
    position: int


@dataclass(frozen=True, slots=True)
class AssetStatus:
    asset: str
    direction: Direction
    state: State
    reason: Reason
    note: str
    since: datetime
    expected_reopen: datetime | None
    updated_by: str
    estimate_revisions: int = 0  # how often this halt's expected reopening slipped
    note_en: str = ""  # empty until translated


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One row of the audit trail: one asset, one direction, old and new state."""

    asset: str
    direction: Direction
    old_state: State | None
    new_state: State
    reason: Reason
    note: str
    actor: str
    source: Source
    changed_at: datetime
    expected_reopen: datetime | None = None
    id: int | None = None
    event_id: int | None = None
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    """One (asset, direction) pair and the state asked for it."""

    asset: str
    direction: Direction
    state: State


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """One operator action: some (asset, direction) pairs moved, with one reason and note."""

    targets: tuple[Target, ...]
    reason: Reason
    note: str
    actor: str
    source: Source
    expected_reopen: datetime | None = None
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class ReopenEstimate:
    """One change of a pair's expected reopening: the audit trail of slips."""

    id: int
    asset: str
    direction: Direction
    old_estimate: datetime | None
    new_estimate: datetime | None
    actor: str
    source: Source
    changed_at: datetime
    event_id: int | None = None


@dataclass(frozen=True, slots=True)
class Translation:
    """One English text added after its Japanese went out: who, what and when."""

    id: int
    subject: str
    subject_key: str
    field: str
    old_text: str
    new_text: str
    actor: str
    source: Source
    translated_at: datetime


@dataclass(frozen=True, slots=True)
class Untranslated:
    """A text customers read that has no English yet: what the communications team works on."""

    subject: str  # status_note, order_summary, order_issuer, incident_update, ...
    subject_key: str
    text_ja: str
    since: datetime
