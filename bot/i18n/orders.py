"""Strings for the regulator's orders: report-deadline reminders to the operators, and the ones
skipped as too late (the start-up notice, `/orders`)."""

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
        "reminder.kind.before_24h": "期限24時間前のリマインダー",
        "reminder.kind.due": "期限当日のリマインダー",
        "reminder.skipped.title": "送らなかった報告期限リマインダー",
        "reminder.skipped.intro": (
            "次の {count} 件のリマインダーは、予定の時刻を大きく過ぎていた(サービス停止中だった)ため"
            "送りませんでした。報告期限と対応状況を確認してください。"
        ),
        "reminder.skipped.line": "・命令 {order_id}({issuer}の{action}、報告期限 {deadline}): {kind}",
        "reminder.skipped.more": "ほか {count} 件",
        "reminder.skipped.field": "送らなかったリマインダー",
        "reminder.skipped.entry": "{kind}: 遅すぎたため送信せず({when} に記録)",
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
        "reminder.kind.before_24h": "24-hour warning",
        "reminder.kind.due": "deadline reminder",
        "reminder.skipped.title": "Report reminders not sent",
        "reminder.skipped.intro": (
            "These {count} reminder(s) were not sent: their time had long passed (the service was"
            " down). Please check the deadlines and where each report stands."
        ),
        "reminder.skipped.line": "- Order {order_id} ({action} by {issuer}, report due by {deadline}): {kind}",
        "reminder.skipped.more": "and {count} more",
        "reminder.skipped.field": "Reminders not sent",
        "reminder.skipped.entry": "{kind}: not sent, too late (recorded {when})",
    },
}

register(TEXT)
