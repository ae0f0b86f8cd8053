"""Strings for scheduled maintenance: refusals, /maintenance and the operators' replies."""

from __future__ import annotations

from bot.i18n import register

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "error.maintenance_ends_before_start": "終了日時 {ends} が開始日時 {starts} より後になっていません。",
        "error.maintenance_starts_in_past": "開始日時 {starts} は5分以上前です。これからの日時を指定してください。",
        "error.maintenance_overlap": "メンテナンス #{id}({assets} {direction}、{starts}〜{ends})と重なっています。",
        "error.maintenance_not_active": "メンテナンス #{id} は「{state}」のため変更できません。予定中または実施中のものだけ変更できます。",
        "error.maintenance_extend_not_later": "新しい終了日時 {ends} が現在の終了日時 {current} より後になっていません。",
        "maintenance.state.scheduled": "予定",
        "maintenance.state.in_progress": "実施中",
        "maintenance.state.completed": "完了",
        "maintenance.state.cancelled": "中止",
        "maintenance.direction.both": "入金・出金",
        "maintenance.all_assets": "全銘柄",
        "maintenance.window": "{starts} 〜 {ends}",
        "chat.maintenance.title": "メンテナンス予定(予定・実施中)",
        "chat.maintenance.none": "予定されているメンテナンスはありません。",
        "chat.maintenance.item": "#{id} {state}: {assets}({direction})",
        "chat.maintenance.reason": "理由: {reason}",
        "chat.maintenance.footer": "時刻は日本時間 (JST)。",
        "chat.maintenance.scheduled": "メンテナンス #{id} を登録しました({window})。",
        "chat.maintenance.extended": "メンテナンス #{id} の終了を {old} から {new} に延長しました。",
        "chat.maintenance.cancelled": "メンテナンス #{id} を中止しました。",
    },
    "en": {
        "error.maintenance_ends_before_start": "The end {ends} is not after the start {starts}.",
        "error.maintenance_starts_in_past": "The start {starts} is more than 5 minutes in the past. Please give a time ahead.",
        "error.maintenance_overlap": "This overlaps maintenance #{id} ({assets} {direction}, {starts} to {ends}).",
        "error.maintenance_not_active": "Maintenance #{id} is {state}: only a scheduled or in-progress window can be changed.",
        "error.maintenance_extend_not_later": "The new end {ends} is not after the current end {current}.",
        "maintenance.state.scheduled": "Scheduled",
        "maintenance.state.in_progress": "In progress",
        "maintenance.state.completed": "Completed",
        "maintenance.state.cancelled": "Cancelled",
        "maintenance.direction.both": "Deposit and withdrawal",
        "maintenance.all_assets": "All assets",
        "maintenance.window": "{starts} to {ends}",
        "chat.maintenance.title": "Maintenance (scheduled and in progress)",
        "chat.maintenance.none": "No maintenance is scheduled.",
        "chat.maintenance.item": "#{id} {state}: {assets} ({direction})",
        "chat.maintenance.reason": "Reason: {reason}",
        "chat.maintenance.footer": "Times in Japan Standard Time (JST).",
        "chat.maintenance.scheduled": "Maintenance #{id} scheduled ({window}).",
        "chat.maintenance.extended": "Maintenance #{id} now ends at {new} instead of {old}.",
        "chat.maintenance.cancelled": "Maintenance #{id} cancelled.",
    },
}

register(TEXT)
