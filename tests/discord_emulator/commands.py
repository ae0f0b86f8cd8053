"""Application command registration: validation of bulk overwrites and the stored shape."""

from __future__ import annotations

from typing import Any

from .state import JSON, SnowflakeFactory
from .validation import FormErrors, Path, is_valid_chat_input_name

# AvailableLocalesEnum from Discord's OpenAPI spec.
LOCALES = frozenset(
    "ar bg cs da de el en-GB en-US es-419 es-ES fi fr he hi hr hu id it ja ko lt nl no pl "
    "pt-BR ro ru sv-SE th tr uk vi zh-CN zh-TW".split()
)

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
CHOICE_TYPES = (STRING, INTEGER, NUMBER)
OPTIONS_MAX = 25
CHOICES_MAX = 25
COMMANDS_MAX = 100


def _check_name(errors: FormErrors, path: Path, name: object, chat_input: bool) -> None:
    if chat_input:
        if not is_valid_chat_input_name(name):
            errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    else:
        errors.length_between(path, name, 1, 32)


def _check_localizations(
    errors: FormErrors, path: Path, value: object, low: int, high: int, chat_name: bool
) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for locale, text in value.items():
        if locale not in LOCALES:
            errors.add(
                (*path, locale), "ENUM_TYPE_COERCE", f'Value "{locale}" is not a valid enum value.'
            )
        elif chat_name:
            _check_name(errors, (*path, locale), text, True)
        else:
            errors.length_between((*path, locale), text, low, high)


def _check_choices(errors: FormErrors, path: Path, option: JSON) -> None:
    choices = option.get("choices")
    if choices is None:
        return
    if option.get("type") not in CHOICE_TYPES:
        errors.add(path, "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "Choices are not allowed")
    if option.get("autocomplete") and choices:
        errors.add(
            (*path, "autocomplete"),
            "APPLICATION_COMMAND_OPTIONS_AUTOCOMPLETE_CHOICES",
            "Autocomplete cannot be set on options with choices",
        )
    errors.max_items((*path, "choices"), choices, CHOICES_MAX)
    for i, choice in enumerate(choices):
        cpath: Path = (*path, "choices", i)
        errors.length_between((*cpath, "name"), choice.get("name"), 1, 100)
        _check_localizations(
            errors, (*cpath, "name_localizations"), choice.get("name_localizations"), 1, 100, False
        )
        if option.get("type") == STRING:
            errors.max_length((*cpath, "value"), choice.get("value"), 6000)


def _check_options(errors: FormErrors, path: Path, options: object, depth: int) -> None:
    """depth 0: command level; 1: inside a group or subcommand; 2: inside a grouped subcommand."""
    if options is None:
        return
    if not isinstance(options, list):
        errors.add(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    errors.max_items(path, options, OPTIONS_MAX)
    kinds = [o.get("type") for o in options if isinstance(o, dict)]
    subs = [k for k in kinds if k in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if subs and len(subs) != len(kinds):
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all "
            "other types",
        )
    seen: set[str] = set()
    optional_seen = False
    for i, option in enumerate(options):
        opath: Path = (*path, i)
        if not isinstance(option, dict):
            errors.add(opath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        kind = option.get("type")
        name = option.get("name")
        _check_name(errors, (*opath, "name"), name, True)
        if isinstance(name, str):
            if name in seen:
                errors.add(
                    (*opath, "name"),
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    "Option name already exists",
                )
            seen.add(name)
        errors.length_between((*opath, "description"), option.get("description"), 1, 100)
        _check_localizations(
            errors, (*opath, "name_localizations"), option.get("name_localizations"), 1, 32, True
        )
        _check_localizations(
            errors,
            (*opath, "description_localizations"),
            option.get("description_localizations"),
            1,
            100,
            False,
        )
        if kind == SUB_COMMAND_GROUP:
            if depth != 0:
                errors.add(
                    (*opath, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-command groups can only be nested at the top level",
                )
            nested = option.get("options") or []
            if any(isinstance(o, dict) and o.get("type") != SUB_COMMAND for o in nested):
                errors.add(
                    (*opath, "options"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-command groups may only contain sub-commands",
                )
            _check_options(errors, (*opath, "options"), nested, 1)
        elif kind == SUB_COMMAND:
            if depth == 2:
                errors.add(
                    (*opath, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-commands cannot be nested here",
                )
            _check_options(errors, (*opath, "options"), option.get("options"), 2)
        elif kind in range(STRING, ATTACHMENT + 1):
            if option.get("required"):
                if optional_seen:
                    errors.add(
                        (*opath, "required"),
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                optional_seen = True
            _check_choices(errors, opath, option)
            if option.get("options"):
                errors.add(
                    (*opath, "options"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Only sub-commands may have options",
                )
        else:
            errors.add(
                (*opath, "type"), "BASE_TYPE_CHOICES", f"Value must be one of {list(range(1, 12))}."
            )


def validate_commands(payload: object) -> JSON | None:
    errors = FormErrors()
    if not isinstance(payload, list):
        errors.add((), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return errors.body()
    errors.max_items((), payload, COMMANDS_MAX)
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(payload):
        if not isinstance(command, dict):
            errors.add((i,), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        kind = command.get("type") or CHAT_INPUT
        chat = kind == CHAT_INPUT
        name = command.get("name")
        _check_name(errors, (i, "name"), name, chat)
        if isinstance(name, str):
            if (kind, name) in seen:
                errors.add(
                    (i, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique: {name}",
                )
            seen.add((kind, name))
        description = command.get("description")
        if chat:
            errors.length_between((i, "description"), description, 1, 100)
        elif description:
            errors.add(
                (i, "description"),
                "APPLICATION_COMMAND_DESCRIPTION_INVALID",
                "Context menu commands cannot have a description",
            )
        _check_localizations(
            errors, (i, "name_localizations"), command.get("name_localizations"), 1, 32, chat
        )
        _check_localizations(
            errors,
            (i, "description_localizations"),
            command.get("description_localizations"),
            1,
            100,
            False,
        )
        if chat:
            _check_options(errors, (i, "options"), command.get("options"), 0)
        elif command.get("options"):
            errors.add(
                (i, "options"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "Context menu commands cannot have options",
            )
    return errors.body()


def stored_commands(
    payload: list[JSON],
    previous: list[JSON],
    *,
    application_id: int,
    guild_id: int | None,
    ids: SnowflakeFactory,
) -> list[JSON]:
    """The registered form of a bulk overwrite; a command keeps its id across overwrites."""
    old = {(c["type"], c["name"]): c for c in previous}
    result: list[JSON] = []
    for command in payload:
        kind = command.get("type") or CHAT_INPUT
        before = old.get((kind, command["name"]))
        stored: dict[str, Any] = {
            "id": before["id"] if before else str(ids.next()),
            "application_id": str(application_id),
            "version": str(ids.next()),
            "type": kind,
            "name": command["name"],
            "name_localizations": command.get("name_localizations"),
            "description": command.get("description") or "",
            "description_localizations": command.get("description_localizations"),
            "options": command.get("options") or [],
            "default_member_permissions": command.get("default_member_permissions"),
            "dm_permission": command.get("dm_permission", True),
            "nsfw": bool(command.get("nsfw", False)),
            "contexts": command.get("contexts"),
            "integration_types": command.get("integration_types") or [0],
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        result.append(stored)
    return result
