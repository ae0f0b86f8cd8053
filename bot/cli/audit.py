"""`audit verify` and `audit anchor`: the hash chain over every event and later translation."""

from __future__ import annotations

import argparse
from typing import Any

from bot.domain import InvalidInput
from bot.services.audit import AuditService, check_hash, parse_anchor
from bot.store import Database

COMMAND = "audit"


class CheckFailed(Exception):
    """A check that ran and found a problem: its text goes to stdout, and the exit code is 1."""


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser(COMMAND, help="check the tamper-evident chain of events")
    what = audit.add_subparsers(dest="audit_command", required=True, parser_class=parser_class)
    verify = what.add_parser("verify", help="recompute the chain; exit 1 at the first mismatch")
    verify.add_argument(
        "--from-event",
        type=int,
        default=1,
        metavar="N",
        help="start at event N, trusting the hash stored before it",
    )
    verify.add_argument("--head", metavar="HASH", help="a head saved earlier (with --at-event)")
    verify.add_argument("--at-event", type=int, metavar="N", help="the event count HASH was at")
    verify.add_argument("--anchor", metavar="LINE", help="a line printed by `audit anchor`")
    what.add_parser("anchor", help="a line to publish, which a later verify checks")


async def run(db: Database, args: argparse.Namespace) -> str:
    service = AuditService(db)
    if args.audit_command == "anchor":
        return await service.anchor()
    head, at_event = args.head, args.at_event
    if args.anchor is not None:
        if head is not None or at_event is not None:
            raise InvalidInput("audit_args", "give --anchor, or --head with --at-event, not both")
        at_event, head = parse_anchor(args.anchor)
    elif (head is None) != (at_event is None):
        raise InvalidInput("audit_args", "--head and --at-event go together")
    verdict = await service.verify(
        from_event=args.from_event,
        head=check_hash(head) if head is not None else None,
        at_event=at_event,
    )
    if not verdict.intact:
        raise CheckFailed(verdict.text())
    if at_event is not None:
        return f"{verdict.text()}; matches the head saved at event {at_event}"
    return verdict.text()
