"""The back office's HTTP refusals: the problems no service raises (a missing token, a body that is
not JSON) and the refusals of tokens and idempotency keys, in Japanese and English."""

from __future__ import annotations

from bot import i18n

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "error.no_scopes": "権限(scope)を少なくとも1つ指定してください。",
        "error.unknown_scope": "権限「{value}」はありません。指定できるのは {known} です。",
        "error.bad_token_name": "トークン名は英小文字・数字・「_」「.」「-」の 1〜64 文字で、英数字で始めてください。",
        "error.token_name_taken": "トークン名「{name}」はすでに使われています(取り消したトークンの名前も再利用できません)。",
        "error.token_not_found": "有効なトークン「{given}」は見つかりません。",
        "error.bad_idempotency_key": "Idempotency-Key は 1〜{limit} 文字の表示可能な ASCII 文字で指定してください。",
        "error.idempotency_key_reused": "この Idempotency-Key は別の内容のリクエストで使われています。新しいキーを使ってください。",
        "error.idempotency_key_in_use": "この Idempotency-Key の最初のリクエストの結果が記録されていません(処理中か、処理中に停止しました)。状況を確認してから新しいキーで送ってください。",
        "error.bad_field": "項目「{field}」の値が正しくありません(期待する形式: {expected})。",
        "error.unknown_field": "項目「{field}」は受け付けていません。",
        "api.problem.unauthorized": "有効なトークンがありません。Authorization: Bearer <トークン> を付けて送ってください。",
        "api.problem.missing_scope": "このトークンには権限「{scope}」がありません。",
        "api.problem.rate_limited": "書き込みが多すぎます。{retry_after} 秒後にもう一度送ってください。",
        "api.problem.malformed_json": "リクエスト本文を JSON として読めません。",
        "api.problem.unsupported_media_type": "リクエスト本文は application/json で送ってください。",
        "api.problem.payload_too_large": "リクエスト本文が大きすぎます。{limit} バイト以内にしてください。",
        "api.problem.not_found": "該当するものが見つかりません。",
        "api.problem.no_fan_out": "まだ配信はありません。",
        "api.problem.server_error": "サーバーで問題が起きました。変更が反映されたかどうかは確認してください。",
    },
    "en": {
        "error.no_scopes": "Give at least one scope.",
        "error.unknown_scope": "There is no scope “{value}”. The scopes are {known}.",
        "error.bad_token_name": "A token's name is 1 to 64 lower-case letters, digits, “_”, “.” or “-”, starting with a letter or digit.",
        "error.token_name_taken": "The token name “{name}” is taken (a revoked token's name is never reused).",
        "error.token_not_found": "There is no live token called “{given}”.",
        "error.bad_idempotency_key": "An Idempotency-Key is 1 to {limit} printable ASCII characters.",
        "error.idempotency_key_reused": "This Idempotency-Key was used for a different request. Please use a new key.",
        "error.idempotency_key_in_use": "The first request with this Idempotency-Key has no recorded answer (still under way, or stopped while writing). Check what happened, then send with a new key.",
        "error.bad_field": "The field “{field}” is not valid (expected: {expected}).",
        "error.unknown_field": "The field “{field}” is not accepted.",
        "api.problem.unauthorized": "No valid token. Send Authorization: Bearer <token>.",
        "api.problem.missing_scope": "This token lacks the scope “{scope}”.",
        "api.problem.rate_limited": "Too many writes. Please try again in {retry_after} s.",
        "api.problem.malformed_json": "The request body is not valid JSON.",
        "api.problem.unsupported_media_type": "Send the request body as application/json.",
        "api.problem.payload_too_large": "The request body is too large. Please keep it to {limit} bytes.",
        "api.problem.not_found": "Nothing was found there.",
        "api.problem.no_fan_out": "Nothing has been delivered yet.",
        "api.problem.server_error": "Something went wrong on the server; the change may or may not have been made.",
    },
}

i18n.register(TEXT)
