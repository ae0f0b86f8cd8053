"""The vocabulary of the service: enums and frozen models shared by every layer.

Nothing here does I/O. Errors raised from here and from the services carry text that is safe to
show a customer or an operator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class DomainError(Exception):
    """An expected refusal (bad input, unknown asset, not allowed).

    `code` names the refusal's own text, `error.<code>` in the translation tables, in Japanese
    and English; `params` fill it in. `str()` is one English line for logs and the CLI. Every
    code raised anywhere in `bot/` must have both texts (tests/test_refusals.py walks them).
    """

    # What kind of refusal this is, for answers that group them (the JSON API's error codes).
    category = "refused"

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class UnknownAsset(DomainError):
    category = "unknown_asset"

    def __init__(self, given: str) -> None:
        super().__init__("unknown_asset", f"unknown asset: {given!r}", asset=given)


class InvalidInput(DomainError):
    """Input the service will not take: `InvalidInput("<code>", "English line", **params)`."""

    category = "invalid_input"


class NotFound(DomainError):
    """No such thing: `NotFound("order", 7)` has the code `order_not_found`."""

    category = "not_found"

    def __init__(self, what: str, given: object) -> None:
        super().__init__(f"{what}_not_found", f"no such {what}: {given}", what=what, given=given)


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


class EventKind(StrEnum):
    STATUS = "status"
    ORDER = "order"
    NOTICE = "notice"
    OPERATOR = "operator"  # for the operators only: deadline reminders, delivery problems
    INCIDENT = "incident"  # an incident opened, updated, resolved or given its postmortem
    MAINTENANCE = "maintenance"  # a window's reminder, start, end, extension or cancellation


class EventFilter(StrEnum):
    """Which events a subscription wants: one family of them, or all.

    OPERATOR is the operators' channel: every event, and the operator-only ones too.
    """

    STATUS = "status"
    ORDERS = "orders"
    INCIDENTS = "incidents"
    MAINTENANCE = "maintenance"
    ALL = "all"
    OPERATOR = "operator"

    def wants(self, kind: EventKind) -> bool:
        if self is EventFilter.OPERATOR:
            return True
        if kind is EventKind.OPERATOR:
            return False
        if self is EventFilter.ALL:
            return True
        return kind in _FAMILIES[self]


# A maintenance window is a story about status: whoever follows an asset's status hears of its
# windows too (reminders, start, end); `maintenance` subscribers hear of the windows alone.
_FAMILIES: dict[EventFilter, frozenset[EventKind]] = {
    EventFilter.STATUS: frozenset({EventKind.STATUS, EventKind.MAINTENANCE}),
    EventFilter.ORDERS: frozenset({EventKind.ORDER, EventKind.NOTICE}),
    EventFilter.INCIDENTS: frozenset({EventKind.INCIDENT}),
    EventFilter.MAINTENANCE: frozenset({EventKind.MAINTENANCE}),
}

# Events cut to a subscriber's assets; the others (orders, notices) concern every asset.
PER_ASSET_KINDS = frozenset({EventKind.STATUS, EventKind.INCIDENT, EventKind.MAINTENANCE})


class TargetKind(StrEnum):
    DM = "dm"
    CHANNEL = "channel"
    WEBHOOK = "webhook"


class AlertMode(StrEnum):
    """When a subscriber's non-critical alerts go: at once, after quiet hours, or once a day."""

    INSTANT = "instant"
    QUIET = "quiet"  # held between quiet_from and quiet_until (JST), then one summary
    DIGEST = "digest"  # all held, one summary a day at digest_at (JST)


def is_critical(kind: EventKind, payload: dict[str, Any]) -> bool:
    """What goes at once whatever the subscriber's mode: a pair suspended for a security
    incident, a critical incident opened or updated, and everything for the operators."""
    if kind is EventKind.OPERATOR:
        return True
    if kind is EventKind.STATUS:
        return payload.get("reason") == "security_incident" and any(
            c.get("new_state") == "suspended" for c in payload.get("changes", [])
        )
    if kind is EventKind.INCIDENT:
        return payload.get("impact") == "critical"
    return False


# The buttons under an alert name what they act on in their custom id, so that they keep
# working after a restart: `alerts:unsubscribe:<subscription id>`, `alerts:mute:<id>:<asset>`.
UNSUBSCRIBE_BUTTON = "alerts:unsubscribe:{subscription_id}"
MUTE_BUTTON = "alerts:mute:{subscription_id}:{asset}"
UNSUBSCRIBE_PATTERN = r"alerts:unsubscribe:(?P<subscription_id>[0-9]+)"
MUTE_PATTERN = r"alerts:mute:(?P<subscription_id>[0-9]+):(?P<asset>[A-Za-z0-9_-]{1,20})"


class OrderAction(StrEnum):
    REPORT_ORDER = "report_order"  # 報告徴求命令
    BUSINESS_IMPROVEMENT = "business_improvement"  # 業務改善命令
    BUSINESS_SUSPENSION = "business_suspension"  # 業務停止命令
    REGISTRATION_CANCELLED = "registration_cancelled"  # 登録取消
    OTHER = "other"


class OrderStatus(StrEnum):
    OPEN = "open"
    REPORTED = "reported"
    CLOSED = "closed"


MAX_NOTE_LENGTH = 500
MAX_MESSAGE_LENGTH = 2000  # an incident update's message, in either language
MAX_TITLE_LENGTH = 200


class IncidentStage(StrEnum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"

    @property
    def closed(self) -> bool:
        return self in (IncidentStage.RESOLVED, IncidentStage.POSTMORTEM)


class Impact(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class MaintenanceState(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self in (MaintenanceState.SCHEDULED, MaintenanceState.IN_PROGRESS)


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
class Event:
    id: int
    kind: EventKind
    created_at: datetime
    actor: str
    source: Source
    payload: dict[str, Any]
    assets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderItem:
    position: int
    text_ja: str
    text_en: str = ""


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    slug: str
    issuer: str
    action: OrderAction
    legal_basis: str
    issued_on: date
    report_due: date | None
    url: str
    summary_ja: str
    summary_en: str
    source: Source
    status: OrderStatus
    created_at: datetime
    items: tuple[OrderItem, ...] = ()
    issuer_en: str = ""


@dataclass(frozen=True, slots=True)
class SkippedReminder:
    """A report-deadline reminder not sent because its time had long passed (the service was
    down); `announced_at` is when the operators were told of it at a start-up."""

    order_id: int
    kind: str  # before_24h | due
    skipped_at: datetime
    announced_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewOrder:
    issuer: str
    action: OrderAction
    issued_on: date
    legal_basis: str = ""
    report_due: date | None = None
    url: str = ""
    summary_ja: str = ""
    summary_en: str = ""
    items: tuple[OrderItem, ...] = ()
    slug: str | None = None
    issuer_en: str = ""


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    target_kind: TargetKind
    target: str  # user id, channel id or webhook URL
    guild_id: str | None
    all_assets: bool
    assets: frozenset[str]
    events: EventFilter
    locale: str
    created_by: str
    created_at: datetime
    active: bool = True
    disabled_reason: str | None = None
    last_error: str | None = None
    secret: str | None = field(default=None, repr=False)
    mode: AlertMode = AlertMode.INSTANT
    quiet_from: str | None = None  # HH:MM, JST
    quiet_until: str | None = None
    digest_at: str | None = None


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    id: int
    incident_id: int
    stage: IncidentStage
    message_ja: str
    message_en: str  # empty until translated
    actor: str
    source: Source
    posted_at: datetime
    event_id: int | None = None
    translated_by: str | None = None
    translated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IncidentLoss:
    asset: str
    stolen: str  # the published figure, as given
    stolen_jpy: int
    customers: str
    customers_jpy: int


@dataclass(frozen=True, slots=True)
class Incident:
    id: int
    slug: str | None
    title_ja: str
    title_en: str  # empty until translated
    impact: Impact
    stage: IncidentStage
    all_assets: bool
    assets: tuple[str, ...]  # empty when all_assets
    created_by: str
    source: Source
    started_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    updates: tuple[IncidentUpdate, ...] = ()  # oldest first
    losses: tuple[IncidentLoss, ...] = ()


@dataclass(frozen=True, slots=True)
class NewIncident:
    title_ja: str
    message_ja: str
    impact: Impact = Impact.MAJOR
    stage: IncidentStage = IncidentStage.INVESTIGATING
    assets: tuple[str, ...] = ()  # empty: all assets
    title_en: str = ""
    message_en: str = ""
    slug: str | None = None


@dataclass(frozen=True, slots=True)
class MaintenancePair:
    asset: str
    direction: Direction
    prior_state: State | None = None
    prior_reason: Reason | None = None
    prior_note: str | None = None
    prior_expected_reopen: datetime | None = None
    prior_note_en: str | None = None
    start_history_id: int | None = None
    outcome: str | None = None  # "restored", or "left" where an operator changed it meanwhile


@dataclass(frozen=True, slots=True)
class Maintenance:
    id: int
    state: MaintenanceState
    direction: str  # deposit, withdrawal or both
    all_assets: bool
    assets: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    reason: Reason
    note_ja: str
    note_en: str
    created_by: str
    source: Source
    created_at: datetime
    updated_at: datetime
    sequence: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None
    cancelled_at: datetime | None = None
    pairs: tuple[MaintenancePair, ...] = ()


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


@dataclass(frozen=True, slots=True)
class NewMaintenance:
    """A window as an operator asks for it: the asset codes already checked, times in UTC."""

    assets: tuple[str, ...]
    direction: str  # deposit, withdrawal or both
    starts_at: datetime
    ends_at: datetime
    reason: Reason
    note_ja: str = ""
    note_en: str = ""
    all_assets: bool = False


@dataclass(frozen=True, slots=True)
class Lease:
    """Who leads, until when (seconds since the epoch, on the database's clock)."""

    name: str
    holder: str
    term: int
    expires_at: float
    now: float  # the database's time when this was read

    @property
    def remaining(self) -> float:
        return self.expires_at - self.now
