"""`pip install .` into a fresh virtual environment works, and the CLI runs from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with the project installed from a plain `pip install <checkout>`."""
    where = tmp_path_factory.mktemp("fresh-venv")
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    return where


def test_installed_cli_runs_from_another_directory(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "PYTHON"))}
    env["BOT_DATABASE__PATH"] = str(tmp_path / "db" / "bot.sqlite3")
    script = installed / "bin" / "exchange-status-bot"
    result = subprocess.run(
        [str(script), "status"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2 + 11
    assert "pepecash" in result.stdout
    # It ran the installed copy, with config/ and migrations/ from inside the wheel.
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import bot.paths as p; print(p.config_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(installed)), where
    assert Path(where).joinpath("assets.toml").is_file()


def test_module_entry_point_matches_script(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "PYTHON"))}
    env["BOT_DATABASE__PATH"] = str(tmp_path / "bot.sqlite3")
    result = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "bot", "history", "PEPECASH"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "seed" in result.stdout
    assert sys.executable != str(installed / "bin" / "python")
