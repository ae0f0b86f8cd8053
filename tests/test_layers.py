"""The layers hold in the source itself: every import in bot/ is read, wherever it stands
(module level, functions, `if TYPE_CHECKING:` blocks), and checked against the house rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot

BOT = Path(bot.__file__).parent
SOURCES = sorted(BOT.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module `module` imports; `from a import b` counts as both `a` and `a.b`."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            anchor = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*anchor, *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def imports_of(path: Path) -> set[str]:
    return imported(path.read_text(encoding="utf-8"), module_name(path), path.stem == "__init__")


def within(name: str, module: str) -> bool:
    return name == module or name.startswith(f"{module}.")


def offenders(module: str, allowed: set[str]) -> list[str]:
    """The modules of bot/ outside `allowed` (names or packages) that import `module`."""
    found = []
    for path in SOURCES:
        name = module_name(path)
        if any(within(name, ok) for ok in allowed):
            continue
        if any(within(target, module) for target in imports_of(path)):
            found.append(name)
    return found


def test_only_the_entry_point_imports_the_wiring() -> None:
    # Front ends are handed what they use (the services, a narrow view of the running service),
    # so the wiring can change without them.
    assert offenders("bot.app", {"bot.app", "bot.__main__"}) == []


def test_only_the_chat_front_end_and_its_transport_import_discord() -> None:
    allowed = {"bot.chat", "bot.delivery.discord_transport"}
    assert offenders("discord", allowed) == []


def test_the_walk_sees_the_modules_that_do_import() -> None:
    assert "bot.app" in imports_of(BOT / "__main__.py")
    assert "discord" in imports_of(BOT / "chat" / "client.py")
    assert offenders("bot.app", {"bot.app"}) == ["bot.__main__"]


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("import bot.app", "bot.web.server"),
        ("from bot.app import Services", "bot.web.server"),
        ("from bot import app", "bot.web.server"),
        ("from .. import app", "bot.web.server"),
        ("from ..app import Application", "bot.chat.client"),
        ("from .app import serve", "bot.cli_helper"),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.app import X", "bot.x"),
        ("def run() -> None:\n    from bot.app import serve", "bot.cli.run"),
        ("import importlib\nimportlib.import_module('bot.app')", "bot.x"),
    ],
)
def test_each_way_of_importing_the_wiring_is_seen(source: str, module: str) -> None:
    assert any(within(name, "bot.app") for name in imported(source, module))


def test_a_package_imports_relative_to_itself() -> None:
    assert "bot.app" in imported("from .. import app", "bot.cli", is_package=True)
    assert "bot.app" not in imported("from . import app", "bot.cli", is_package=True)
    assert "bot.cli.app" in imported("from . import app", "bot.cli", is_package=True)


def test_front_ends_reach_the_store_only_through_services() -> None:
    # The web, the chat, the feed watcher and the scheduler's jobs are handed services; the
    # models they share with the store live in bot.domain.
    for front in ("bot.chat", "bot.web", "bot.feeds", "bot.jobs"):
        found = [m for m in offenders("bot.store", {"bot.store"}) if within(m, front)]
        assert found == [], front


def store_graph() -> dict[str, set[str]]:
    """Each module of bot.store and the modules of bot.store it imports, wherever it imports
    them (a function-level import closes a circle just the same)."""
    modules = {module_name(p): p for p in SOURCES if within(module_name(p), "bot.store")}
    return {
        name: {t for t in imports_of(path) if t in modules and t != name}
        for name, path in modules.items()
    }


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the modules along it; empty when there is none."""
    done: set[str] = set()

    def walk(node: str, path: list[str]) -> list[str]:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return []
        for target in sorted(graph.get(node, ())):
            found = walk(target, [*path, node])
            if found:
                return found
        done.add(node)
        return []

    for start in sorted(graph):
        found = walk(start, [])
        if found:
            return found
    return []


def test_the_store_imports_in_no_circle() -> None:
    graph = store_graph()
    assert {"bot.store.db", "bot.store.sqlite", "bot.store.engines"} <= set(graph)
    assert cycle_in(graph) == []


def test_a_cycle_is_found() -> None:
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) == []


MAX_LINES = 400


def test_no_module_in_bot_is_over_400_lines() -> None:
    # A module that outgrows this holds more than one thing: split it by area, as bot/domain/.
    long = {
        module_name(p): n for p in SOURCES if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_lanes_know_only_the_domain() -> None:
    # A row's lane is decided in the store, from `bot.domain.lanes`, which knows only the domain.
    lanes = {name for name in imports_of(BOT / "domain" / "lanes.py") if within(name, "bot")}
    assert lanes and all(within(name, "bot.domain") for name in lanes)


def test_front_ends_reach_tokens_and_idempotency_keys_through_their_services() -> None:
    # Only the services read the token and key tables: a front end never sees a token's hash.
    for module in ("bot.store.tokens", "bot.store.idempotency"):
        assert offenders(module, {"bot.store", "bot.services"}) == []


def test_the_store_imports_nothing_above_it() -> None:
    # The store's models (a shared budget's state among them) live in the store or the domain;
    # the policies that decide over them import the store, never the other way round.
    above = ("bot.services", "bot.delivery", "bot.chat", "bot.web", "bot.cli", "bot.feeds")
    found = [
        (module_name(path), target)
        for path in SOURCES
        if within(module_name(path), "bot.store")
        for target in imports_of(path)
        if any(within(target, layer) for layer in (*above, "bot.jobs", "bot.app"))
    ]
    assert found == []


def test_the_chat_front_end_reaches_the_store_only_through_the_services() -> None:
    # Welcomes, role pings and their budgets live in delivery and the store; a cog asks a service.
    found = [
        (module_name(path), target)
        for path in SOURCES
        if within(module_name(path), "bot.chat")
        for target in imports_of(path)
        if within(target, "bot.store") or within(target, "bot.delivery")
    ]
    assert found == []
    assert offenders("bot.delivery", {"bot.delivery", "bot.app"}) == []
