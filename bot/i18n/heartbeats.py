"""Heartbeats' texts: the default notes of a halt and of its end, the operators' notice, and the
refusals of `heartbeats add|remove` and of a beat."""

from __future__ import annotations

from bot import i18n

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "heartbeat.what.deposit": "入金",
        "heartbeat.what.withdrawal": "出金",
        "heartbeat.what.both": "入出金",
        "heartbeat.delayed": "{assets}の{what}が遅延しています。ノードからの応答が {since} 以降ありません。",
        "heartbeat.resumed": "{assets}のノードからの応答が再開しました。",
        "heartbeat.left.title": "ハートビート「{name}」: 元に戻さなかった銘柄があります",
        "heartbeat.left.text": "応答は再開しましたが、次の銘柄・方向は停止中に担当者が変更したため、そのままにしています: {pairs}",
        "error.bad_heartbeat_name": "ハートビート名は英小文字・数字・「_」「.」「-」の 1〜64 文字で、英数字で始めてください。",
        "error.heartbeat_name_taken": "ハートビート「{name}」はすでにあります。",
        "error.heartbeat_not_found": "ハートビート「{given}」は見つかりません。",
        "error.bad_grace": "猶予は {low}〜{high} 秒で指定してください。",
    },
    "en": {
        "heartbeat.what.deposit": "deposits",
        "heartbeat.what.withdrawal": "withdrawals",
        "heartbeat.what.both": "deposits and withdrawals",
        "heartbeat.delayed": "{assets} {what} are delayed: our node has not reported since {since}.",
        "heartbeat.resumed": "Our {assets} node reports again.",
        "heartbeat.left.title": "Heartbeat “{name}”: some pairs were not put back",
        "heartbeat.left.text": "Beats are back, but an operator changed these pairs during the silence, so they are left as they are: {pairs}",
        "error.bad_heartbeat_name": "A heartbeat's name is 1 to 64 lower-case letters, digits, “_”, “.” or “-”, starting with a letter or digit.",
        "error.heartbeat_name_taken": "There is a heartbeat called “{name}” already.",
        "error.heartbeat_not_found": "There is no heartbeat called “{given}”.",
        "error.bad_grace": "The grace must be {low} to {high} seconds.",
    },
}

i18n.register(TEXT)
