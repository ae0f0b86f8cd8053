"""Where the shipped data lives: in the wheel when installed, beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The folder `config` or `migrations`, wherever this copy of the package was installed from."""
    for candidate in (_PACKAGE / "_shipped" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ folder is not shipped with this installation")


def config_dir() -> Path:
    return shipped("config")


def migrations_dir() -> Path:
    return shipped("migrations")
