"""`tokens` (the list), `tokens create NAME --scopes ...` and `tokens revoke NAME`."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.services.tokens import Scope, TokenService
from bot.store import Database

from .table import render

COMMAND = "tokens"


def add_parser(
    sub: argparse._SubParsersAction[Any], parser_class: type[argparse.ArgumentParser]
) -> None:
    parser = sub.add_parser(COMMAND, help="the back office's API tokens (never shown again)")
    actions: argparse._SubParsersAction[Any] = parser.add_subparsers(
        dest="tokens_command", parser_class=parser_class
    )
    create = actions.add_parser("create", help="issue a token; prints it once")
    create.add_argument("name", help="a-z, 0-9, '_', '.', '-'; the actor is api:NAME")
    create.add_argument(
        "--scopes", required=True, help=f"comma-separated: {','.join(s.value for s in Scope)}"
    )
    revoke = actions.add_parser("revoke", help="revoke a token at once, on every replica")
    revoke.add_argument("name")


async def run(db: Database, args: argparse.Namespace, zone: ZoneInfo) -> str:
    service = TokenService(db)
    if args.tokens_command == "create":
        token, secret = await service.create(args.name, args.scopes)
        return (
            f"token {token.name} created with scopes {','.join(sorted(token.scopes))}\n"
            f"token (shown only now): {secret}\n"
            "send it as Authorization: Bearer <token>"
        )
    if args.tokens_command == "revoke":
        revoked = await service.revoke(args.name)
        return f"token {revoked.name} revoked"
    rows = [
        [
            t.name,
            ",".join(sorted(t.scopes)),
            show(t.created_at, zone),
            show(t.last_used_at, zone),
            "revoked " + show(t.revoked_at, zone) if t.revoked_at else "live",
        ]
        for t in await service.list()
    ]
    return render(["name", "scopes", "created", "last used", "state"], rows)
