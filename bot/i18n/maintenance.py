"""Strings for scheduled maintenance: refusals, /maintenance and the operators' replies."""

from __future__ import annotations

from bot.i18n import Lang, register, t

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "error.maintenance_ends_before_start": "終了日時 {ends} が開始日時 {starts} より後になっていません。",
        "error.maintenance_starts_in_past": "開始日時 {starts} は5分以上前です。これからの日時を指定してください。",
        "error.maintenance_overlap": "メンテナンス #{id}({assets} {direction_ja}、{starts}〜{ends})と重なっています。",
        "error.maintenance_not_active": "メンテナンス #{id} は「{state_ja}」のため変更できません。予定または実施中のものだけ変更できます。",
        "error.no_assets": "銘柄を1つ以上(カンマ区切り)、または all を指定してください。",
        "error.maintenance_not_found": "メンテナンス #{given} は見つかりません。",
        "error.maintenance_extend_not_later": "新しい終了日時 {ends} が現在の終了日時 {current} より後になっていません。",
        "maintenance.state.scheduled": "予定",
        "maintenance.state.in_progress": "実施中",
        "maintenance.state.completed": "完了",
        "maintenance.state.cancelled": "中止",
        "maintenance.direction.both": "入金・出金",
        "maintenance.all_assets": "全銘柄",
        "maintenance.window": "{starts} 〜 {ends}",
        "maintenance.hours": "{count}時間",
        "maintenance.minutes": "{count}分",
        "maintenance.seconds": "{count}秒",
        "web.calendar_title": "{exchange} メンテナンスと報告期限",
        "web.calendar_maintenance": "メンテナンス: {assets}({direction})",
        "web.calendar_report_due": "報告期限: {issuer} {action}",
        "web.maintenance": "メンテナンスの予定",
        "web.maintenance_caption": "予定されているメンテナンスと実施中のメンテナンス(日本時間)",
        "web.maintenance_none": "予定されているメンテナンスはありません。",
        "web.maintenance_state": "状況",
        "web.maintenance_assets": "対象",
        "web.maintenance_when": "日時",
        "web.calendar": "カレンダー(iCalendar)",
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
        "error.maintenance_overlap": "This overlaps maintenance #{id} ({assets}, {direction_en}, {starts} to {ends}).",
        "error.maintenance_not_active": "Maintenance #{id} cannot be changed ({state_en}): only a scheduled or in-progress window can.",
        "error.no_assets": "Name at least one asset (codes separated by commas), or all.",
        "error.maintenance_not_found": "There is no maintenance #{given}.",
        "error.maintenance_extend_not_later": "The new end {ends} is not after the current end {current}.",
        "maintenance.state.scheduled": "Scheduled",
        "maintenance.state.in_progress": "In progress",
        "maintenance.state.completed": "Completed",
        "maintenance.state.cancelled": "Cancelled",
        "maintenance.direction.both": "Deposit and withdrawal",
        "maintenance.all_assets": "All assets",
        "maintenance.window": "{starts} to {ends}",
        "maintenance.hours": "{count} hour(s)",
        "maintenance.minutes": "{count} minute(s)",
        "maintenance.seconds": "{count} second(s)",
        "web.calendar_title": "{exchange} maintenance and report deadlines",
        "web.calendar_maintenance": "Maintenance: {assets} ({direction})",
        "web.calendar_report_due": "Report due: {action} by {issuer}",
        "web.maintenance": "Scheduled maintenance",
        "web.maintenance_caption": "Maintenance scheduled and in progress (JST)",
        "web.maintenance_none": "No maintenance is scheduled.",
        "web.maintenance_state": "State",
        "web.maintenance_assets": "Covers",
        "web.maintenance_when": "When",
        "web.calendar": "Calendar (iCalendar)",
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


def lead_text(language: Lang, hours: float) -> str:
    """24 -> "24時間" / "24 hour(s)"; fractions read as minutes, or seconds below a minute."""
    if hours >= 1:
        return t(language, "maintenance.hours", count=f"{hours:g}")
    if hours * 60 >= 1:
        return t(language, "maintenance.minutes", count=f"{hours * 60:g}")
    return t(language, "maintenance.seconds", count=f"{round(hours * 3600)}")
