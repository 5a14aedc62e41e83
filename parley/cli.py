"""The `parley` command line: `parley up` runs the suite on its embedded defaults."""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys

from parley.config import load_config
from parley.errors import ConfigError, PortInUseError
from parley.logs import setup_logging
from parley.suite import SuiteConfig, run_suite
from parley.supervisor import stop_with_parent

#: The module behind `parley account ...` (staff accounts live in the gateway).
ACCOUNT_CLI = "gateway.identity.admin_cli"


async def _up(config: SuiteConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    # `parley up` is a foreground command: if whatever started it (a terminal, `make`) goes
    # away, stop cleanly instead of leaving the suite running unowned.
    stop_with_parent(signal.SIGTERM)
    await run_suite(config, stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parley", description="Parley mediation hearings suite")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="run the whole suite (NATS, services, gateway) in the foreground")
    commands.add_parser("account", add_help=False,
                        help="staff accounts of the running suite: account create --role R --username U")
    args, rest = parser.parse_known_args(argv)

    if args.command == "account":
        # The platform kit never imports the gateway: the account commands run as the gateway's
        # own module, in a child with this terminal, whose exit status is ours.
        return subprocess.run([sys.executable, "-m", ACCOUNT_CLI, *rest], check=False).returncode
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    if args.command == "up":
        try:
            config = load_config(SuiteConfig)
        except ConfigError as exc:
            print(f"parley: configuration error: {exc}", file=sys.stderr)
            return 2
        setup_logging("supervisor", config.log_level)
        try:
            asyncio.run(_up(config))
        except PortInUseError as exc:
            print(f"parley: {exc}", file=sys.stderr)
            return 1
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
