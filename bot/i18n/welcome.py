"""The welcome a new DM subscriber gets, and what /subscribe says when DMs are closed."""

from __future__ import annotations

from bot import i18n

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "welcome.title": "通知の登録が完了しました",
        "welcome.body": (
            "{assets} の{events}をこの DM でお知らせします。下のボタンでいつでも解除できます。"
        ),
        "welcome.all_assets": "全銘柄",
        "welcome.subscribe.sent": "登録しました。DM にご案内をお送りしました。",
        "welcome.subscribe.pending": "登録しました。DM へのご案内はまもなく届きます。",
        "welcome.subscribe.dm_closed": (
            "DM を受け取れない設定のため、通知をお送りできません。"
            "サーバー名を右クリック(長押し)→「プライバシー設定」で"
            "「サーバーにいるメンバーからのダイレクトメッセージを許可する」をオンにして、"
            "もう一度 /subscribe を実行してください。"
        ),
        "welcome.state.dm_closed": "DM を受け取れない設定のため停止中(/subscribe で再開)",
    },
    "en": {
        "welcome.title": "You are subscribed",
        "welcome.body": (
            "You will get {events} for {assets} in this DM. "
            "The button below unsubscribes you at any time."
        ),
        "welcome.all_assets": "all assets",
        "welcome.subscribe.sent": "Subscribed. A welcome message is in your DMs.",
        "welcome.subscribe.pending": "Subscribed. A welcome message will reach your DMs shortly.",
        "welcome.subscribe.dm_closed": (
            "Your DMs are closed to this bot, so alerts cannot reach you. Right-click (or "
            "long-press) the server's name, open Privacy Settings, turn on \"Allow direct "
            'messages from server members", then run /subscribe again.'
        ),
        "welcome.state.dm_closed": "paused: your DMs are closed (run /subscribe again)",
    },
}

i18n.register(TEXT)
