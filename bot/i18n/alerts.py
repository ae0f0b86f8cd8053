"""Buttons under alerts, summaries of held alerts, and /alerts: what subscribers read."""

from __future__ import annotations

from bot import i18n

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "alerts.button.unsubscribe": "通知を解除",
        "alerts.button.mute": "{asset} の通知を止める",
        "alerts.button.page": "ステータスページ",
        "alerts.pressed.unsubscribed": "通知を解除しました。今後このお知らせは届きません。",
        "alerts.pressed.muted": "{asset} の通知を止めました。引き続き通知する銘柄: {assets}",
        "alerts.pressed.muted_all": "{asset} の通知を止めました。通知する銘柄がなくなったため、通知を解除しました。",
        "alerts.summary.quiet_title": "おやすみ時間中のお知らせ({count}件)",
        "alerts.summary.digest_title": "本日のまとめ({count}件)",
        "alerts.summary.held_title": "保留していたお知らせ({count}件)",
        "alerts.summary.more": "ほか {count} 件",
        "alerts.summary.page": "すべてのお知らせ: {url}",
        "alerts.summary.footer": "{start} 〜 {end}(日本時間)",
        "alerts.mode.instant": "すぐにお知らせ(おやすみ時間・まとめなし)",
        "alerts.mode.quiet": "おやすみ時間 {start} 〜 {end}(日本時間): その間のお知らせは終了時にまとめて送ります",
        "alerts.mode.digest": "1日1回 {at}(日本時間)にまとめて送ります",
        "alerts.mode.critical": "不正流出による停止と重大なインシデントは、設定にかかわらずすぐにお知らせします。",
        "alerts.mode.set": "設定しました。{mode}",
        "alerts.mode.show": "{target}: {mode}",
        "alerts.target.dm": "あなたへの DM",
    },
    "en": {
        "alerts.button.unsubscribe": "Unsubscribe",
        "alerts.button.mute": "Mute {asset}",
        "alerts.button.page": "Status page",
        "alerts.pressed.unsubscribed": "Unsubscribed: these alerts will no longer be sent.",
        "alerts.pressed.muted": "{asset} muted. Still alerting for: {assets}",
        "alerts.pressed.muted_all": "{asset} muted. No assets were left, so the alerts are stopped.",
        "alerts.summary.quiet_title": "Alerts during quiet hours ({count})",
        "alerts.summary.digest_title": "Daily digest ({count})",
        "alerts.summary.held_title": "Alerts held for you ({count})",
        "alerts.summary.more": "and {count} more",
        "alerts.summary.page": "Every alert: {url}",
        "alerts.summary.footer": "{start} to {end} (JST)",
        "alerts.mode.instant": "At once (no quiet hours, no digest)",
        "alerts.mode.quiet": "Quiet hours {start} to {end} (JST): alerts in between come as one summary at the end",
        "alerts.mode.digest": "One summary a day at {at} (JST)",
        "alerts.mode.critical": "Suspensions for a security incident and critical incidents always come at once.",
        "alerts.mode.set": "Done. {mode}",
        "alerts.mode.show": "{target}: {mode}",
        "alerts.target.dm": "Your DMs",
    },
}

i18n.register(TEXT)
