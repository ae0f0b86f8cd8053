"""What Discord's error answers mean for a delivery: retry, give up on the message, or disable.

Disabling is for answers that will never change: DMs closed (50007), the user or channel gone
(10013, 10003, any 404), and a channel whose permissions refuse the bot (50001, 50013), which
its server's staff are told of. Every other 403 is Discord saying "not now" (40003: opening DMs
too fast; 20026: the bot is flagged by the anti-spam system) or something we cannot know will
last: it is retried until the delivery's maximum age, never turned into a disabled subscriber.
"""

from __future__ import annotations

from typing import Any

from bot.delivery.transport import Permanent, Rejected, SendFailure, Transient

CANNOT_MESSAGE_USER = 50007
UNKNOWN_CHANNEL = 10003
UNKNOWN_USER = 10013
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
OPENING_DMS_TOO_FAST = 40003
FLAGGED_BY_ANTI_SPAM = 20026

PERMANENT_FOR_DM = frozenset({CANNOT_MESSAGE_USER, UNKNOWN_USER, UNKNOWN_CHANNEL})
PERMANENT_FOR_CHANNEL = frozenset({UNKNOWN_CHANNEL, MISSING_ACCESS, MISSING_PERMISSIONS})
TOO_FAST_RETRY_SECONDS = 1.0  # the budget, halved, decides when the open goes again
RESTRICTED_RETRY_SECONDS = 600.0


class DmClosed(Permanent):
    """50007: the user does not take DMs from the bot (their privacy settings)."""


class Deferred(Transient):
    """Not sent yet on purpose (the DM-open budget's slot is later): no error to record."""


class OpeningTooFast(Transient):
    """Discord's 40003: the DM channel was not opened; other sends are unaffected."""


class DmsRestricted(Transient):
    """Discord refuses DMs to users the bot never messaged (the anti-spam quarantine).
    `notice` is set for the one process that noticed first: the operators are told of it."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, retry_after)
        self.notice: dict[str, Any] | None = None


def describe(status: int, code: int, text: str) -> str:
    return f"{status} {code}: {text}"[:300]


def classify(status: int, code: int, text: str, *, dm: bool) -> SendFailure:
    """The failure to raise for Discord's answer `status`/`code` to a DM or channel send."""
    what = describe(status, code, text)
    if code == OPENING_DMS_TOO_FAST:
        return OpeningTooFast(what, TOO_FAST_RETRY_SECONDS)
    if code == FLAGGED_BY_ANTI_SPAM:
        return DmsRestricted(what, RESTRICTED_RETRY_SECONDS)
    if dm and code == CANNOT_MESSAGE_USER:
        return DmClosed(what)
    permanent = PERMANENT_FOR_DM if dm else PERMANENT_FOR_CHANNEL
    if code in permanent or status == 404:
        return Permanent(what)
    if status in (401, 403, 429) or status >= 500:
        return Transient(what)
    return Rejected(what)


def dms_restricted_notice() -> dict[str, Any]:
    """The operators' notice, posted once when Discord starts refusing DMs to new users."""
    return {
        "topic": "dms_restricted",
        "title_ja": "Discord が新しい相手への DM を制限しています",
        "title_en": "Discord is restricting the bot's DMs",
        "text_ja": (
            "Discord のスパム対策により、ボットはまだメッセージを送ったことのない利用者に DM を"
            "送れません。チャンネルと Webhook への通知、既に DM を受け取った利用者への通知は"
            "続きます。新しい DM は間隔を空けて再試行します。Discord の開発者サポートに"
            "解除を依頼してください。"
        ),
        "text_en": (
            "Discord's anti-spam system refuses DMs from the bot to users it has not messaged "
            "before. Channels, webhooks and users who already got a DM keep receiving alerts; "
            "new DMs are retried now and then. Ask Discord's developer support to lift the "
            "restriction."
        ),
    }
