"""The regulator feeds watched for new orders: each feed's state, and the items seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FeedState:
    """One watched feed: its HTTP validators, its health and its counts."""

    name: str
    url: str
    etag: str | None
    last_modified: str | None
    initialised: bool
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    polls: int
    failures: int
    items_seen: int


@dataclass(frozen=True, slots=True)
class SeenItem:
    """An item of a feed, recorded once; `matched` when it named one of the feed's keywords."""

    item_id: str
    title: str
    link: str
    published_at: datetime | None
    matched: bool
