"""`parley account create --role ROLE --username NAME`: an operator command on the suite's machine.

It writes the account straight into `parley_accounts` with the supervisor's NATS credentials from
the data directory (file mode 0600: whoever can read them already owns the deployment), audits
`account.create` as the operator, and retires the first-run bootstrap secret. The password is read
from standard input (one line; a prompt without echo on a terminal), never from the command line,
where other users could see it in the process list. The account enrols TOTP at its first sign-in.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import time

from gateway.identity import accounts as acc
from gateway.identity.account_store import AccountStore
from gateway.identity.errors import IdentityError
from gateway.identity.passwords import PasswordHasher
from parley.auditpub import AuditPublisher
from parley.config import load_config
from parley.credentials import credentials_file, load_credentials
from parley.errors import ParleyError
from parley.ids import new_ulid
from parley.natsconn import connect
from parley.suite import SuiteConfig
from parley.supervisor import data_path
from proto.audit import Actor, Outcome
from proto.common import Role


def read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


async def create_account(config: SuiteConfig, role: Role, username: str, password: str) -> str:
    creds = load_credentials(credentials_file(data_path(config.data_dir), "supervisor"))
    nc = await connect(config, "parley-operator", creds, max_reconnect_attempts=0,
                       allow_reconnect=False)
    try:
        js = nc.jetstream()
        store = await AccountStore.open(js)
        now = int(time.time() * 1000)
        account = acc.create_account(account_id=new_ulid(now), username=username, role=role,
                                     password=password, hasher=PasswordHasher(), now_ms=now)
        await store.create(account)
        try:
            await AuditPublisher(js, "supervisor").record(
                actor=Actor(id="operator", kind="system"), action="account.create",
                resource_type="account", resource_id=account.id,
                outcome=Outcome.ALLOWED, details={"role": role.value, "via": "cli"})
        except ParleyError:
            await store.kv.delete(acc.account_key(account.id))
            await store.kv.delete(acc.username_key(account.username))
            raise
        await store.drop_bootstrap()
        return account.id
    finally:
        await nc.drain()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="parley account",
                                     description="staff accounts of the running suite")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a staff account (password on stdin)")
    create.add_argument("--role", required=True, choices=["admin", "mediator", "auditor"])
    create.add_argument("--username", required=True)
    args = parser.parse_args(argv)
    try:
        config = load_config(SuiteConfig)
        password = read_password()
        account_id = asyncio.run(create_account(config, Role(args.role), args.username, password))
    except IdentityError as exc:
        print(f"parley account: {exc.message}", file=sys.stderr)
        return 1
    except (ParleyError, OSError) as exc:
        print(f"parley account: {exc}", file=sys.stderr)
        return 1
    print(f"created {args.role} {args.username} ({account_id}); it enrols TOTP at first sign-in")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
