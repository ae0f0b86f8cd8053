"""Every refusal raised in bot/ has its own Japanese and English text.

The codes are found in the code itself: every call of `DomainError` or one of its subclasses in
bot/ is read, and built again with its literal arguments (placeholders for the rest) to learn
its code and params. A refusal added later without texts fails here.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import bot
from bot import i18n
from bot.chat.errors import describe
from bot.domain import DomainError
from bot.i18n import Lang

BOT = Path(bot.__file__).parent
JAPANESE = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u4e00-\u9fff]")
PLACEHOLDER = "x"


@dataclass(frozen=True)
class Raised:
    where: str
    error: DomainError


def _refusal_classes() -> dict[str, type[DomainError]]:
    for module in pkgutil.walk_packages([str(BOT)], "bot."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: dict[str, type[DomainError]] = {}
    todo: list[type[DomainError]] = [DomainError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _argument(node: ast.expr) -> Any:
    return node.value if isinstance(node, ast.Constant) else PLACEHOLDER


def _raised() -> list[Raised]:
    classes = _refusal_classes()
    raised: list[Raised] = []
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node) not in classes:
                continue
            where = f"{path.relative_to(BOT.parent)}:{node.lineno}"
            # A subclass's own super().__init__ call is not a refusal of its own.
            if isinstance(node.func, ast.Attribute) and node.func.attr == "__init__":
                continue
            assert all(not isinstance(a, ast.Starred) for a in node.args), where
            args = [_argument(a) for a in node.args]
            kwargs = {k.arg: PLACEHOLDER for k in node.keywords if k.arg is not None}
            raised.append(Raised(where, classes[str(_name(node))](*args, **kwargs)))
    return raised


RAISED = _raised()


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_the_walk_finds_the_refusals_it_should() -> None:
    codes = {r.error.code for r in RAISED}
    assert {
        "order_url_not_https",
        "issuer_length",
        "summary_too_long",
        "report_due_before_issued",
        "order_not_found",
        "bad_date",
        "bad_moment",
        "unknown_asset",
        "status_set_needs_state",
    } <= codes


@pytest.mark.parametrize("raised", RAISED, ids=[f"{r.where}:{r.error.code}" for r in RAISED])
def test_each_refusal_has_both_texts_and_the_japanese_is_japanese(raised: Raised) -> None:
    key = f"error.{raised.error.code}"
    texts = {}
    for language in Lang:
        try:
            texts[language] = i18n.t(language, key)
        except KeyError:
            pytest.fail(f"{raised.where}: no {language.value} text for {key}")
        assert texts[language].strip(), f"{raised.where}: {key} is empty in {language.value}"
        missing = _fields(texts[language]) - raised.error.params.keys()
        assert not missing, f"{raised.where}: {key} needs {missing} that the refusal lacks"
    assert JAPANESE.search(texts[Lang.JA]), f"{raised.where}: {key} is not Japanese"
    assert not JAPANESE.search(texts[Lang.EN]), f"{raised.where}: {key} is not English"
    # Discord shows the refusal's own text, not the catch-all.
    shown = describe(raised.error, Lang.JA)
    assert shown is not None and JAPANESE.search(shown)
    assert shown != i18n.t(Lang.JA, "error.refused")
