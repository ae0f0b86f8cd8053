"""The buttons under an alert, as Discord's component JSON: plain dicts the Discord transport
attaches to the message (webhooks get none). Their texts are in the subscription's language."""

from __future__ import annotations

from typing import Any

from bot import i18n
from bot.delivery.render import concerning
from bot.domain import MUTE_BUTTON, UNSUBSCRIBE_BUTTON, Event, EventKind, Subscription, TargetKind
from bot.i18n import alerts as _texts  # noqa: F401 - registers the strings
from bot.i18n import welcome as _welcome  # noqa: F401 - registers the strings
from bot.store.mentions import NOTIFY_BUTTON

Component = dict[str, Any]

ACTION_ROW, BUTTON = 1, 2
SECONDARY, DANGER, LINK = 2, 4, 5
MAX_LABEL = 80


def the_one_asset(event: Event, sub: Subscription) -> str | None:
    """The asset an alert is about, when it is about exactly one (for this subscriber)."""
    if event.kind is EventKind.STATUS:
        rows = concerning(event.payload, sub) + concerning(event.payload, sub, "estimates")
        assets = {str(row["asset"]) for row in rows}
    else:
        assets = {a for a in event.assets if sub.all_assets or a in sub.assets}
    return next(iter(assets)) if len(assets) == 1 else None


def _button(style: int, label: str, **target: str) -> Component:
    return {"type": BUTTON, "style": style, "label": label[:MAX_LABEL], **target}


def components(sub: Subscription, event: Event | None, public_url: str = "") -> list[Component]:
    """Unsubscribe; Mute <asset> for an alert about one asset; the status page when it has a
    public address. `event` is None for a summary, which tells of several."""
    if sub.target_kind is TargetKind.WEBHOOK:
        return []
    language = i18n.lang(sub.locale)
    row = [
        _button(
            DANGER,
            i18n.t(language, "alerts.button.unsubscribe"),
            custom_id=UNSUBSCRIBE_BUTTON.format(subscription_id=sub.id),
        )
    ]
    asset = None if event is None else the_one_asset(event, sub)
    if asset is not None:
        row.append(
            _button(
                SECONDARY,
                i18n.t(language, "alerts.button.mute", asset=asset),
                custom_id=MUTE_BUTTON.format(subscription_id=sub.id, asset=asset),
            )
        )
    if public_url:
        row.append(_button(LINK, i18n.t(language, "alerts.button.page"), url=public_url))
    return [{"type": ACTION_ROW, "components": row}]


def with_notify(row_set: list[Component], sub: Subscription) -> list[Component]:
    """An alert's buttons plus "Notify me", which gives or takes the role the channel pings."""
    button = _button(
        SECONDARY,
        i18n.t(i18n.lang(sub.locale), "alerts.button.notify"),
        custom_id=NOTIFY_BUTTON.format(subscription_id=sub.id),
    )
    if not row_set:
        return [{"type": ACTION_ROW, "components": [button]}]
    first, *rest = row_set
    return [{**first, "components": [*first["components"], button]}, *rest]
