"""The vocabulary of the service: enums and frozen models shared by every layer, by area.

Nothing here does I/O. Errors raised from here and from the services carry text that is safe to
show a customer or an operator. Every name is handed on here, so `from bot.domain import X` works
whatever module X lives in.
"""

from bot.domain.cluster import Lease
from bot.domain.errors import DomainError, InvalidInput, NotFound, UnknownAsset
from bot.domain.events import PER_ASSET_KINDS, Event, EventFilter, EventKind, is_critical
from bot.domain.feeds import FeedState, SeenItem
from bot.domain.incidents import (
    MAX_MESSAGE_LENGTH,
    MAX_TITLE_LENGTH,
    Impact,
    Incident,
    IncidentLoss,
    IncidentStage,
    IncidentUpdate,
    NewIncident,
)
from bot.domain.maintenance import Maintenance, MaintenancePair, MaintenanceState, NewMaintenance
from bot.domain.orders import NewOrder, Order, OrderAction, OrderItem, OrderStatus, SkippedReminder
from bot.domain.status import (
    MAX_NOTE_LENGTH,
    Asset,
    AssetStatus,
    Direction,
    Reason,
    ReopenEstimate,
    Source,
    State,
    StatusChange,
    StatusRequest,
    Target,
    Translation,
    Untranslated,
)
from bot.domain.subscriptions import (
    MUTE_BUTTON,
    MUTE_PATTERN,
    UNSUBSCRIBE_BUTTON,
    UNSUBSCRIBE_PATTERN,
    AlertMode,
    Subscription,
    TargetKind,
)

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "MAX_NOTE_LENGTH",
    "MAX_TITLE_LENGTH",
    "MUTE_BUTTON",
    "MUTE_PATTERN",
    "PER_ASSET_KINDS",
    "UNSUBSCRIBE_BUTTON",
    "UNSUBSCRIBE_PATTERN",
    "AlertMode",
    "Asset",
    "AssetStatus",
    "Direction",
    "DomainError",
    "Event",
    "EventFilter",
    "EventKind",
    "FeedState",
    "Impact",
    "Incident",
    "IncidentLoss",
    "IncidentStage",
    "IncidentUpdate",
    "InvalidInput",
    "Lease",
    "Maintenance",
    "MaintenancePair",
    "MaintenanceState",
    "NewIncident",
    "NewMaintenance",
    "NewOrder",
    "NotFound",
    "Order",
    "OrderAction",
    "OrderItem",
    "OrderStatus",
    "Reason",
    "ReopenEstimate",
    "SeenItem",
    "SkippedReminder",
    "Source",
    "State",
    "StatusChange",
    "StatusRequest",
    "Subscription",
    "Target",
    "TargetKind",
    "Translation",
    "UnknownAsset",
    "Untranslated",
    "is_critical",
]
