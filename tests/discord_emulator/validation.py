"""Request-body checks mirroring what Discord rejects with 50035 Invalid Form Body.

Limits come from Discord's OpenAPI spec (MessageCreateRequest, RichEmbed,
ApplicationCommandCreateRequest...) and the documented bot message limits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

JSON = dict[str, Any]
Path = tuple[str | int, ...]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
NONCE_MAX = 25
ACTION_ROWS_MAX = 5
ROW_ITEMS_MAX = 5
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
BUTTON_URL_MAX = 512
ACTION_ROW, BUTTON = 1, 2
LINK_STYLE, PREMIUM_STYLE = 5, 6
AUTOCOMPLETE_CHOICES_MAX = 25


class FormErrors:
    """Collects errors in Discord's nested {"field": {"_errors": [...]}} layout."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: Path, value: object, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: Path, value: object, low: int, high: int) -> None:
        if not isinstance(value, str):
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        elif not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def max_items(self, path: Path, value: object, limit: int) -> None:
        if isinstance(value, list) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def body(self) -> JSON | None:
        if not self.tree:
            return None
        return {"code": 50035, "message": "Invalid Form Body", "errors": self.tree}


EMPTY_MESSAGE: JSON = {"code": 50006, "message": "Cannot send an empty message"}


def _embed_chars(embed: JSON) -> int:
    total = 0
    for key in ("title", "description"):
        total += len(embed.get(key) or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for fld in embed.get("fields") or []:
        total += len(fld.get("name") or "") + len(fld.get("value") or "")
    return total


def check_embeds(errors: FormErrors, embeds: object) -> None:
    if embeds is None:
        return
    if not isinstance(embeds, list):
        errors.add(("embeds",), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    errors.max_items(("embeds",), embeds, EMBEDS_MAX)
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            errors.add(
                ("embeds", i), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"
            )
            continue
        base: Path = ("embeds", i)
        errors.max_length((*base, "title"), embed.get("title"), EMBED_TITLE_MAX)
        errors.max_length((*base, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
        errors.max_length(
            (*base, "footer", "text"), (embed.get("footer") or {}).get("text"), EMBED_FOOTER_MAX
        )
        errors.max_length(
            (*base, "author", "name"), (embed.get("author") or {}).get("name"), EMBED_AUTHOR_MAX
        )
        fields = embed.get("fields") or []
        errors.max_items((*base, "fields"), fields, EMBED_FIELDS_MAX)
        for j, fld in enumerate(fields):
            errors.length_between(
                (*base, "fields", j, "name"), fld.get("name"), 1, EMBED_FIELD_NAME_MAX
            )
            errors.length_between(
                (*base, "fields", j, "value"), fld.get("value"), 1, EMBED_FIELD_VALUE_MAX
            )
        total += _embed_chars(embed)
    if total > EMBED_TOTAL_MAX:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def _check_button(errors: FormErrors, path: Path, button: JSON, seen: set[str]) -> None:
    style = button.get("style")
    if style not in range(1, 7):
        errors.add(
            (*path, "style"), "BASE_TYPE_CHOICES", f"Value must be one of {list(range(1, 7))}."
        )
        return
    errors.max_length((*path, "label"), button.get("label"), BUTTON_LABEL_MAX)
    custom_id, url = button.get("custom_id"), button.get("url")
    if style == LINK_STYLE:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            errors.add((*path, "url"), "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
        errors.max_length((*path, "url"), url, BUTTON_URL_MAX)
        if custom_id is not None:
            errors.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_INVALID_ATTRIBUTE",
                "A link button cannot have a custom_id",
            )
        return
    if style != PREMIUM_STYLE:
        errors.length_between((*path, "custom_id"), custom_id, 1, CUSTOM_ID_MAX)
        if isinstance(custom_id, str):
            if custom_id in seen:
                errors.add(
                    (*path, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(custom_id)
        if url is not None:
            errors.add(
                (*path, "url"),
                "BUTTON_COMPONENT_INVALID_ATTRIBUTE",
                "Only link buttons may have a url",
            )
        if not button.get("label") and not button.get("emoji"):
            errors.add(
                (*path, "label"),
                "BUTTON_COMPONENT_LABEL_REQUIRED",
                "A label or an emoji is required",
            )


def check_components(errors: FormErrors, components: object) -> None:
    """Classic message components: up to five action rows of up to five buttons each."""
    if components is None:
        return
    if not isinstance(components, list):
        errors.add(("components",), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    errors.max_items(("components",), components, ACTION_ROWS_MAX)
    seen: set[str] = set()
    for i, row in enumerate(components):
        if not isinstance(row, dict) or row.get("type") != ACTION_ROW:
            errors.add(
                ("components", i, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1,).',
            )
            continue
        items = row.get("components")
        if not isinstance(items, list) or not 1 <= len(items) <= ROW_ITEMS_MAX:
            errors.add(
                ("components", i, "components"),
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between 1 and {ROW_ITEMS_MAX} in length.",
            )
            continue
        for j, item in enumerate(items):
            path: Path = ("components", i, "components", j)
            if not isinstance(item, dict) or item.get("type") != BUTTON:
                errors.add((*path, "type"), "UNION_TYPE_CHOICES", "Only buttons are emulated.")
                continue
            _check_button(errors, path, item, seen)


MENTION_TYPES = ("users", "roles", "everyone")
MENTION_IDS_MAX = 100
SNOWFLAKE = re.compile(r"^(0|[1-9][0-9]*)$")


def check_allowed_mentions(errors: FormErrors, value: object) -> None:
    """MessageAllowedMentionsRequest: `parse` from the three types; `users` and `roles` lists of
    snowflake strings, and a type not both parsed and listed."""
    if value is None:
        return
    base: Path = ("allowed_mentions",)
    if not isinstance(value, dict):
        errors.add(base, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    parse = value.get("parse") or []
    if not isinstance(parse, list) or any(p not in MENTION_TYPES for p in parse):
        errors.add((*base, "parse"), "BASE_TYPE_CHOICES", f"Value must be one of {MENTION_TYPES}.")
        return
    for key in ("users", "roles"):
        ids = value.get(key)
        if ids is None:
            continue
        if not isinstance(ids, list) or len(set(map(str, ids))) != len(ids):
            errors.add((*base, key), "LIST_ITEM_VALUE_DUPLICATE", "List items must be unique.")
            continue
        errors.max_items((*base, key), ids, MENTION_IDS_MAX)
        for i, item in enumerate(ids):
            if not isinstance(item, str) or not SNOWFLAKE.match(item):
                errors.add((*base, key, i), "SNOWFLAKE_TYPE", f'Value "{item}" is not snowflake.')
        if ids and key in parse:
            errors.add(
                base,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids] are mutually exclusive.',
            )


def check_message(payload: object, *, require_body: bool = True) -> JSON | None:
    """Error body for an invalid message create/edit payload, or None when it is acceptable.

    require_body is False for edits, which may legitimately change only some fields.
    """
    if not isinstance(payload, dict):
        return {"code": 50109, "message": "The request body contains invalid JSON."}
    errors = FormErrors()
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        errors.add(("content",), "STRING_TYPE_CONVERT", "Could not interpret value as string.")
    errors.max_length(("content",), content, CONTENT_MAX)
    check_embeds(errors, payload.get("embeds"))
    check_components(errors, payload.get("components"))
    check_allowed_mentions(errors, payload.get("allowed_mentions"))
    nonce = payload.get("nonce")
    if isinstance(nonce, str):
        errors.max_length(("nonce",), nonce, NONCE_MAX)
    found = errors.body()
    if found is not None:
        return found
    has_body = bool(content) or bool(payload.get("embeds")) or bool(payload.get("components"))
    has_body = has_body or bool(payload.get("sticker_ids")) or bool(payload.get("poll"))
    if require_body and not has_body:
        return EMPTY_MESSAGE
    return None


def check_choices(choices: object) -> JSON | None:
    """Autocomplete result (callback type 8)."""
    errors = FormErrors()
    if not isinstance(choices, list):
        errors.add(("data", "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        return errors.body()
    errors.max_items(("data", "choices"), choices, AUTOCOMPLETE_CHOICES_MAX)
    for i, choice in enumerate(choices):
        errors.length_between(("data", "choices", i, "name"), choice.get("name"), 1, 100)
        errors.max_length(("data", "choices", i, "value"), choice.get("value"), 6000)
    return errors.body()


# Chat-input names: ^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, lowercase where one exists.
_SCRIPT_RANGES = ((0x0900, 0x097F), (0x0E00, 0x0E7F))


def _name_char_ok(ch: str) -> bool:
    if ch in "-_":
        return True
    category = unicodedata.category(ch)
    if category[0] in "LN":
        return True
    return any(lo <= ord(ch) <= hi for lo, hi in _SCRIPT_RANGES)


def is_valid_chat_input_name(name: object) -> bool:
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    return all(_name_char_ok(ch) for ch in name) and name == name.lower()
