"""Alert messages: what subscribers read in a DM, a channel or a webhook's embed."""

from __future__ import annotations

from bot import i18n

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "delivery.status.title": "入出金状況のお知らせ",
        "delivery.status.change": "{direction}: {old} → {new}",
        "delivery.status.reason": "理由: {reason}",
        "delivery.status.note": "備考: {note}",
        "delivery.status.reopen": "再開見込み: {when}",
        "delivery.estimate.title": "再開見込みの変更",
        "delivery.estimate.first": "{direction}: 再開見込み {new}",
        "delivery.estimate.slip": "{direction}: 再開見込み {old} → {new}({count}回目の変更)",
        "delivery.status.more": "ほか{count}銘柄",
        "delivery.status.more_value": "すべての変更は /status でご確認ください。",
        "delivery.order.title": "行政処分: {action}",
        "delivery.order.issuer": "処分庁",
        "delivery.order.action": "処分の種類",
        "delivery.order.issued_on": "処分日",
        "delivery.order.report_due": "報告期限",
        "delivery.order.link": "詳細",
        "delivery.notice.title": "規制当局のお知らせ",
        "delivery.notice.source": "情報源",
        "delivery.notice.published": "公表日時",
        "delivery.notice.link": "リンク",
        "delivery.incident.opened": "障害発生 #{id}: {title}",
        "delivery.incident.updated": "障害の続報 #{id}: {title}",
        "delivery.incident.resolved": "障害の解決 #{id}: {title}",
        "delivery.incident.postmortem": "障害の事後報告 #{id}: {title}",
        "delivery.incident.stage": "段階",
        "delivery.incident.impact": "影響",
        "delivery.incident.assets": "対象銘柄",
        "delivery.incident.all_assets": "全銘柄",
        "delivery.notice.source_ja": "(日本語の原文です)",
        "delivery.operator.title": "運用担当者へのお知らせ",
        "delivery.operator.disabled": (
            "配信先 {target_kind} {target} への通知を停止しました(理由: {reason})。"
            "権限を確認のうえ、購読し直してください。"
        ),
        "delivery.at": "{time}",
        "delivery.unset": "未定",
        "delivery.target.channel": "チャンネル",
        "delivery.target.dm": "DM",
        "delivery.target.webhook": "Webhook",
    },
    "en": {
        "delivery.status.title": "Deposit/withdrawal status update",
        "delivery.status.change": "{direction}: {old} → {new}",
        "delivery.status.reason": "Reason: {reason}",
        "delivery.status.note": "Note: {note}",
        "delivery.status.reopen": "Expected to reopen: {when}",
        "delivery.estimate.title": "Expected reopening revised",
        "delivery.estimate.first": "{direction}: expected to reopen {new}",
        "delivery.estimate.slip": "{direction}: expected reopening {old} → {new} (revision {count})",
        "delivery.status.more": "{count} more assets",
        "delivery.status.more_value": "See /status for every change.",
        "delivery.order.title": "Regulatory action: {action}",
        "delivery.order.issuer": "Issued by",
        "delivery.order.action": "Action",
        "delivery.order.issued_on": "Issued on",
        "delivery.order.report_due": "Report due",
        "delivery.order.link": "Details",
        "delivery.notice.title": "Regulator notice",
        "delivery.notice.source": "Source",
        "delivery.notice.published": "Published",
        "delivery.notice.link": "Link",
        "delivery.incident.opened": "New incident #{id}: {title}",
        "delivery.incident.updated": "Incident update #{id}: {title}",
        "delivery.incident.resolved": "Incident resolved #{id}: {title}",
        "delivery.incident.postmortem": "Incident postmortem #{id}: {title}",
        "delivery.incident.stage": "Stage",
        "delivery.incident.impact": "Impact",
        "delivery.incident.assets": "Assets",
        "delivery.incident.all_assets": "All assets",
        "delivery.notice.source_ja": "(Japanese source, shown as published)",
        "delivery.operator.title": "For operators",
        "delivery.operator.disabled": (
            "Alerts to {target_kind} {target} were stopped ({reason}). "
            "Check the bot's permissions there and subscribe again."
        ),
        "delivery.at": "{time}",
        "delivery.unset": "not set",
        "delivery.target.channel": "channel",
        "delivery.target.dm": "DM",
        "delivery.target.webhook": "webhook",
    },
}

i18n.register(TEXT)
