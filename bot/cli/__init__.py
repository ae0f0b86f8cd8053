"""The command line: `python -m bot ...` and the `exchange-status-bot` script.

Bad input gets one line on stderr and exit code 2, and writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import NoReturn

from bot.domain import DomainError, InvalidInput, Reason, State
from bot.logs import setup_logging
from bot.settings import Settings, SettingsProblem, load_settings
from bot.store import StoreError

from . import commands, port_db
from . import deliveries as delivery_commands
from . import heartbeats as heartbeat_commands
from . import incidents as incident_commands
from . import maintenance as maintenance_commands
from . import orders as order_commands
from . import subscriptions as subscription_commands
from . import tokens as token_commands
from . import translations as translation_commands

log = logging.getLogger(__name__)

EXIT_BAD_INPUT = 2

# Runs the service until it is told to stop; handed in by the entry point (bot.__main__).
Serve = Callable[[Settings], Awaitable[None]]


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line (no usage dump) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="exchange-status-bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("run", help="run the service (Discord, alerts, feeds, status page)")

    status = sub.add_parser("status", help="the status table, or `status set ...` to change it")
    status_sub = status.add_subparsers(dest="status_command", parser_class=_Parser)
    change = status_sub.add_parser("set", help="change an asset's (or all assets') status")
    change.add_argument("asset", help="asset code in any case, or `all`")
    change.add_argument("--deposit", choices=[s.value for s in State])
    change.add_argument("--withdrawal", choices=[s.value for s in State])
    change.add_argument("--reason", required=True, choices=[r.value for r in Reason])
    change.add_argument("--note", default="", help="shown to customers (Japanese)")
    change.add_argument("--note-en", default="", help="the same in English")
    change.add_argument("--expected-reopen", help="YYYY-MM-DD[ HH:MM], in the display zone")
    change.add_argument("--actor", help="who makes the change (default cli:$USER)")

    history = sub.add_parser("history", help="an asset's status changes, newest first")
    history.add_argument("asset")
    history.add_argument("--limit", type=int, default=20)

    order_commands.add_parsers(sub, _Parser)
    subscription_commands.add_parser(sub, _Parser)
    incident_commands.add_parser(sub, _Parser)
    maintenance_commands.add_parser(sub, _Parser)
    translation_commands.add_parsers(sub, _Parser)
    delivery_commands.add_parser(sub, _Parser)
    backup = sub.add_parser("backup", help="an online copy of the database")
    backup.add_argument("path", type=Path)
    port_db.add_parser(sub, _Parser)
    token_commands.add_parser(sub, _Parser)
    heartbeat_commands.add_parser(sub, _Parser)
    return parser


async def _dispatch(args: argparse.Namespace, settings: Settings, serve: Serve | None) -> str:
    if args.command == "run":
        if serve is None:
            raise RuntimeError("`run` needs the service: start it with `python -m bot run`")
        await serve(settings)
        return ""
    if args.command == port_db.COMMAND:
        return await port_db.run(args, settings)
    zone = settings.zone
    db = await commands.open_seeded(settings.database)
    try:
        if args.command == "status":
            if args.status_command == "set":
                if args.deposit is None and args.withdrawal is None:
                    raise InvalidInput(
                        "status_set_needs_state", "give --deposit STATE, --withdrawal STATE or both"
                    )
                return await commands.status_set(db, args, zone)
            return await commands.status_table(db, zone)
        if args.command == "history":
            return await commands.history(db, args.asset, args.limit, zone)
        if args.command in order_commands.COMMANDS:
            return await order_commands.run(db, args, settings)
        if args.command == incident_commands.COMMAND:
            return await incident_commands.run(db, args, zone)
        if args.command == maintenance_commands.COMMAND:
            return await maintenance_commands.run(db, args, settings)
        if args.command in translation_commands.COMMANDS:
            return await translation_commands.run(db, args, zone)
        if args.command == delivery_commands.COMMAND:
            return await delivery_commands.run(db, args)
        if args.command == "subscriptions":
            return await subscription_commands.run(db, args, zone)
        if args.command == token_commands.COMMAND:
            return await token_commands.run(db, args, zone)
        if args.command == heartbeat_commands.COMMAND:
            return await heartbeat_commands.run(db, args, zone)
        if args.command == "backup":
            await db.backup(args.path)
            return f"backed up {db.location} to {args.path}"
        raise AssertionError(args.command)
    finally:
        await db.close()


def main(argv: Sequence[str] | None = None, serve: Serve | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsProblem as exc:
        print(f"exchange-status-bot: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    setup_logging(settings.log_level if args.command == "run" else "WARNING")
    try:
        output = asyncio.run(_dispatch(args, settings, serve))
    except (DomainError, StoreError) as exc:
        print(f"exchange-status-bot: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        # e.g. the status page's port is taken: say so in one line, not a traceback.
        print(f"exchange-status-bot: error: cannot start: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if output:
        print(output)
    return 0
