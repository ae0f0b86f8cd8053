"""Strings for the regulator's orders: report-deadline reminders to the operators."""

from __future__ import annotations

from bot.i18n import register

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "reminder.title.before_24h": "報告期限まであと24時間",
        "reminder.title.due": "報告期限です",
        "reminder.text.before_24h": (
            "{issuer}の{action}({issued_on}付、命令 {order_id})の報告期限は {deadline} です。"
        ),
        "reminder.text.due": (
            "{issuer}の{action}({issued_on}付、命令 {order_id})の報告期限 {deadline} になりました。"
            "報告済みなら `orders set-status {order_id} reported` で記録してください。"
        ),
    },
    "en": {
        "reminder.title.before_24h": "Report due in 24 hours",
        "reminder.title.due": "Report due now",
        "reminder.text.before_24h": (
            "The report on the {action} by {issuer} (issued {issued_on}, order {order_id})"
            " is due by {deadline}."
        ),
        "reminder.text.due": (
            "The report on the {action} by {issuer} (issued {issued_on}, order {order_id})"
            " was due by {deadline}. Once it is filed, record it with"
            " `orders set-status {order_id} reported`."
        ),
    },
}

register(TEXT)
