"""`run` without a Discord token: says Discord is off, keeps running, stops cleanly on a signal."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.conftest import cli_env


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_run_without_token_stops_cleanly(db_path: Path, tmp_path: Path, signum: int) -> None:
    env = cli_env(db_path, BOT_WEB__PORT="0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "running on" in line:
            break
    assert any("Discord is off" in line for line in lines), lines
    time.sleep(0.5)
    assert proc.poll() is None  # still running
    proc.send_signal(signum)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "stopped cleanly" in out
    assert "Traceback" not in out
    # The database was closed properly: no WAL left needing recovery, and it opens again.
    assert db_path.exists()
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0


def test_run_with_the_web_port_taken_is_one_line(db_path: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=cli_env(db_path, BOT_WEB__PORT=str(port), BOT_LOG_LEVEL="ERROR"),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("exchange-status-bot: error: cannot start")
    )
    assert "address already in use" in result.stderr
