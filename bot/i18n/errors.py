"""The refusals' own texts, `error.<code>`, in Japanese and English.

A refusal (a `DomainError` raised anywhere in `bot/`) names its code; the reader sees the whole
sentence in their language, never a Japanese prefix on an English reason. tests/test_refusals.py
finds every code raised in the code and checks that both texts exist (here, or beside an area's
other strings).
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "error.unknown_asset": "銘柄「{asset}」は取り扱っていません。",
        "error.unknown_direction": "「{value}」は入出金の区別として読めません。deposit(入金)、withdrawal(出金)、both(両方)のいずれかを指定してください。",
        "error.unknown_choice": "「{value}」は選択肢にありません。一覧から選んでください。",
        "error.bad_date": "「{value}」は日付として読めません。YYYY-MM-DD の形で入力してください(例: 2018-09-25)。",
        "error.bad_moment": "「{value}」は日時として読めません。YYYY-MM-DD または YYYY-MM-DD HH:MM(日本時間)で入力してください。",
        "error.bad_limit": "件数は 1〜{limit} の範囲で指定してください。",
        "error.limit_not_a_number": "件数「{value}」は整数ではありません。",
        "error.note_too_long": "備考が長すぎます({length} 文字)。{limit} 文字以内で入力してください。",
        "error.issuer_length": "発出者は 1〜{limit} 文字で入力してください。",
        "error.summary_too_long": "概要が長すぎます。日本語・英語それぞれ {limit} 文字以内で入力してください。",
        "error.order_url_not_https": "URL は https:// で始まる {limit} 文字以内のものを指定してください。",
        "error.report_due_before_issued": "報告期限({report_due})が命令の発出日({issued_on})より前になっています。日付を確認してください。",
        "error.order_not_found": "行政処分 #{given} は見つかりません。",
        "error.feed_not_found": "フィード「{given}」は見つかりません。",
        "error.subscription_not_found": "通知設定 #{given} は見つかりません。",
        "error.not_text_channel": "テキストチャンネルを指定してください。",
        "error.bad_events": "通知の種類「{value}」は選べません。一覧から選んでください。",
        "error.status_set_needs_state": "--deposit と --withdrawal の少なくとも一方に状態を指定してください。",
        "error.bad_webhook_url": "Webhook の URL として使えません(http(s)://ホスト/... の形、{limit} 文字以内)。",
        "error.webhook_already_subscribed": "その URL にはすでに通知設定があります。先に削除してください。",
        "error.refused": "この操作は受け付けられませんでした。入力内容を確認してください。",
        "error.bad_time": "「{value}」は時刻として読めません。HH:MM(日本時間、例: 23:00)で入力してください。",
        "error.quiet_window_empty": "おやすみ時間の開始と終了が同じです。別の時刻を指定してください。",
        "error.subscription_gone": "このお知らせの通知設定はすでに解除されています。何も変更していません。",
        "error.alert_button_not_manager": "このボタンは、このチャンネルの「チャンネルの管理」権限を持つメンバーだけが使えます。",
        "error.alert_button_not_yours": "このボタンは、このお知らせを受け取った方だけが使えます。",
        "error.no_subscription_here": "ここには通知の登録がありません。先に /subscribe で登録してください。",
    },
    "en": {
        "error.unknown_asset": "We do not list an asset called “{asset}”.",
        "error.unknown_direction": "“{value}” is not a direction. Please choose deposit, withdrawal or both.",
        "error.unknown_choice": "“{value}” is not one of the choices. Please pick one from the list.",
        "error.bad_date": "“{value}” is not a date. Please use YYYY-MM-DD (e.g. 2018-09-25).",
        "error.bad_moment": "“{value}” is not a date or time. Please use YYYY-MM-DD or YYYY-MM-DD HH:MM (JST).",
        "error.bad_limit": "The number of entries must be from 1 to {limit}.",
        "error.limit_not_a_number": "The number of entries “{value}” is not a whole number.",
        "error.note_too_long": "The note is too long ({length} characters). Please keep it to {limit}.",
        "error.issuer_length": "The issuer must be 1 to {limit} characters long.",
        "error.summary_too_long": "The summary is too long. Please keep each language to {limit} characters.",
        "error.order_url_not_https": "The URL must start with https:// and be at most {limit} characters long.",
        "error.report_due_before_issued": "The report deadline ({report_due}) is before the order was issued ({issued_on}). Please check the dates.",
        "error.order_not_found": "There is no regulatory order #{given}.",
        "error.feed_not_found": "There is no feed called “{given}”.",
        "error.subscription_not_found": "There is no subscription #{given}.",
        "error.not_text_channel": "Please choose a text channel.",
        "error.bad_events": "“{value}” is not a kind of alert you can choose. Please pick one from the list.",
        "error.status_set_needs_state": "Give a state with --deposit, --withdrawal or both.",
        "error.bad_webhook_url": "Not a usable webhook URL (http(s)://host/..., at most {limit} characters).",
        "error.webhook_already_subscribed": "That URL already has a subscription. Please remove it first.",
        "error.refused": "That could not be done. Please check what you entered.",
        "error.bad_time": "“{value}” is not a time of day. Please use HH:MM in JST (e.g. 23:00).",
        "error.quiet_window_empty": "Quiet hours cannot start and end at the same time. Please choose another time.",
        "error.subscription_gone": "The subscription behind this alert is already gone. Nothing was changed.",
        "error.alert_button_not_manager": "Only members who can manage this channel may use these buttons.",
        "error.alert_button_not_yours": "Only the person who received this alert may use these buttons.",
        "error.no_subscription_here": "There are no alerts set up here. Please use /subscribe first.",
    },
}
