"""`python -m bot ...` and the `exchange-status-bot` script: the command line (see bot.cli).

The one module that imports the wiring (bot.app), and only to run the service: front ends are
handed what they use and never reach back into it.
"""

import sys
from collections.abc import Sequence

from bot import cli
from bot.settings import Settings


async def serve(settings: Settings) -> None:
    from bot.app import serve  # here, not above: the other commands start faster without it

    await serve(settings)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, serve=serve)


if __name__ == "__main__":
    sys.exit(main())
