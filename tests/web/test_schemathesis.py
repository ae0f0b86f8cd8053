"""The OpenAPI document fuzzed against the running service (`python -m bot run` on a scratch
SQLite file) with a token holding every scope: no answer is a 5xx, and every answer has a
documented status, content type and a body matching its schema. Examples are bounded so that the
whole run takes well under a minute."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bot.services.tokens import Scope

EXAMPLES_PER_OPERATION = 12
START_SECONDS = 30


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The service's URL and a token with every scope."""
    folder = tmp_path_factory.mktemp("schemathesis")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env |= {
        "BOT_DATABASE__PATH": str(folder / "bot.sqlite3"),
        "BOT_WEB__PORT": "0",
        "BOT_FEEDS__SOURCES": "[]",
        "BOT_LOG_LEVEL": "INFO",
        "BOT_API__RATE_PER_SECOND": "100000",
        "BOT_API__BURST": "100000",
    }
    scopes = ",".join(s.value for s in Scope)
    created = subprocess.run(
        [sys.executable, "-m", "bot", "tokens", "create", "fuzz", "--scopes", scopes],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    token = created.stdout.split("token (shown only now): ")[1].split()[0]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    url = ""
    for line in process.stderr:
        if found := re.search(r"status page at (http://\S+/)", line):
            url = found.group(1)
            break
    assert url, "the service did not start"
    try:
        yield url, token
    finally:
        process.terminate()
        process.wait(START_SECONDS)
        process.stderr.close()


@pytest.fixture(scope="module")
def api(service: tuple[str, str]) -> Any:
    return schemathesis.openapi.from_url(service[0] + "api/v1/openapi.json")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_every_operation_keeps_to_the_document(api: Any, service: tuple[str, str]) -> None:
    url, token = service
    for found in api.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def keeps(case: Any) -> None:
            case.call_and_validate(
                base_url=url.rstrip("/"),
                headers={"Authorization": f"Bearer {token}"},
                checks=CHECKS,
            )

        keeps()


def test_the_fuzzing_reaches_every_write(api: Any) -> None:
    operations = {(op.ok().method.upper(), op.ok().path) for op in api.get_all_operations()}
    assert ("POST", "/api/v1/status/changes") in operations
    assert ("POST", "/api/v1/heartbeats/{name}") in operations
    assert len([m for m, _ in operations if m != "GET"]) == 10
