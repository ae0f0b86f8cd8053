"""The welcome a new DM subscriber gets, what /subscribe says when DMs are closed or the channel
is an announcement channel, and the line a published alert starts with."""

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
        "welcome.subscribe.announcement": (
            "このチャンネルはアナウンスチャンネルです。ほかのサーバーもフォローすれば"
            "お知らせを受け取れます(公開は 1 時間に 10 件まで。重大なお知らせを優先します)。"
        ),
        "publish.missed": "前回の公開以降、{count} 件のお知らせはこのチャンネルにのみ投稿しました。",
        "publish.page": "すべてのお知らせ: {url}",
        "alerts.button.notify": "通知を受け取る",
        "error.mention_needs_channel": "ロールの通知は channel: と一緒に指定してください。",
        "mention.given": "{role} を付けました。重要なお知らせのたびに通知が届きます。",
        "mention.taken": "{role} を外しました。このお知らせでの通知は届かなくなります。",
        "mention.refused": (
            "申し訳ありません。いまはロールを変更できません。運用担当者に連絡しました。"
        ),
        "mention.subscribed": "{role} を{when}に通知します。",
        "mention.shown": "ロールの通知: {role}({when})",
        "mention.when.critical": "重大なお知らせ",
        "mention.when.all": "すべてのお知らせ",
        "error.mention_everyone": "@everyone は指定できません。お知らせ用のロールを指定してください。",
        "error.mention_not_mentionable": (
            "{role} はボットがメンションできません。ロールの設定で"
            "「このロールに対して@mentionを許可する」をオンにしてください。"
        ),
        "mention.operators_title": "「通知を受け取る」ボタンが使えません",
        "mention.operators_text": (
            "<#{channel}> の「通知を受け取る」でロール {role} を付け外しできませんでした。"
            "ボットに「ロールの管理」権限を与え、ボットのロールを {role} より上に移動してください。"
        ),
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
        "welcome.subscribe.announcement": (
            "This is an announcement channel: other servers can follow it to get these alerts "
            "too (at most 10 are published an hour; critical ones first)."
        ),
        "publish.missed": (
            "{count} alerts since the last published one were posted in this channel only."
        ),
        "publish.page": "All alerts: {url}",
        "alerts.button.notify": "Notify me",
        "error.mention_needs_channel": "A role to ping needs channel: too.",
        "mention.given": "You now have {role}: you will be notified of these alerts.",
        "mention.taken": "{role} removed: these alerts will no longer notify you.",
        "mention.refused": (
            "Sorry, the role cannot be changed right now. The operators have been told."
        ),
        "mention.subscribed": "{role} will be pinged for {when}.",
        "mention.shown": "Role pinged: {role} ({when})",
        "mention.when.critical": "critical alerts",
        "mention.when.all": "every alert",
        "error.mention_everyone": "@everyone cannot be pinged. Choose a role made for these alerts.",
        "error.mention_not_mentionable": (
            'The bot cannot mention {role}. Turn on "Allow anyone to @mention this role" in '
            "the role's settings."
        ),
        "mention.operators_title": 'The "Notify me" button cannot change roles',
        "mention.operators_text": (
            'Pressing "Notify me" in <#{channel}> could not give or take the role {role}. '
            "Give the bot the Manage Roles permission and move its role above {role}."
        ),
    },
}

i18n.register(TEXT)
