"""The audit chain's head is public: /api/v1/status and every feed entry carry the head that
`audit verify` computes, and it moves with each change."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from bot.web.context import WebContext
from bot.web.feed import AUDIT
from tests.cli.conftest import cli_env
from tests.web.helpers import Client, reopen


def verify(db_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "audit", "verify"],
        capture_output=True, text=True, env=cli_env(db_path), timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def test_status_and_feed_publish_the_head_verify_computes(
    client: Client, context: WebContext, db_path: Path
) -> None:
    before = (await (await client.get("/api/v1/status")).json())["audit"]
    await context.status.change(reopen("BCH", note="node resynced"))
    await context.status.change(reopen("MONA"))
    status = await (await client.get("/api/v1/status")).json()
    audit = status["audit"]
    assert audit["events"] == before["events"] + 2 and audit["head"] != before["head"]
    assert verify(db_path) == f"{audit['events']} events, chain intact, head {audit['head']}"
    feed = ET.fromstring(await (await client.get("/feed.atom")).read())
    heads = feed.findall(f".//{{http://www.w3.org/2005/Atom}}entry/{{{AUDIT}}}head")
    entries = feed.findall(".//{http://www.w3.org/2005/Atom}entry")
    assert len(heads) == len(entries) > 0
    assert {(h.get("events"), h.text) for h in heads} == {(str(audit["events"]), audit["head"])}
