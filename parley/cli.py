"""The `parley` command line: `parley up` runs the suite on its embedded defaults."""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from parley.config import load_config
from parley.errors import ConfigError, PortInUseError
from parley.logs import setup_logging
from parley.suite import SuiteConfig, provision_only, run_suite
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
    up = commands.add_parser("up", help="run the whole suite (NATS, services, gateway) in the foreground")
    up.add_argument("--cluster", action="store_true",
                    help="3 nats-servers (JetStream R3, TLS) and 2 of each service, on loopback")
    init = commands.add_parser("compose-init",
                               help="write .env, NATS credentials and TLS certificates for docker-compose")
    init.add_argument("--dir", type=Path, default=Path("."), help="where docker-compose.yml is")
    init.add_argument("--public-host", default="localhost",
                      help="the host name participants use (TURN and the gateway certificate)")
    commands.add_parser("provision", help="create or update the streams and KV buckets (compose)")
    commands.add_parser("account", add_help=False,
                        help="staff accounts of the running suite: account create --role R --username U")
    args, rest = parser.parse_known_args(argv)

    if args.command == "account":
        # The platform kit never imports the gateway: the account commands run as the gateway's
        # own module, in a child with this terminal, whose exit status is ours.
        return subprocess.run([sys.executable, "-m", ACCOUNT_CLI, *rest], check=False).returncode
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    if args.command == "compose-init":
        from parley.compose_init import compose_init

        for line in compose_init(args.dir, args.public_host):
            print(line)
        return 0
    try:
        config = load_config(SuiteConfig)
    except ConfigError as exc:
        print(f"parley: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "provision":
        setup_logging("supervisor", config.log_level)
        asyncio.run(provision_only(config))
        return 0
    if args.command == "up":
        if args.cluster:
            config = replace(config, cluster=True)
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
