"""`parley account create --role ROLE --username NAME [--display-name NAME]`: an operator
command on the suite's machine.

It writes the account straight into `parley_accounts` with the supervisor's NATS credentials from
the data directory (file mode 0600: whoever can read them already owns the deployment), audits
`account.create` as the operator, and retires the first-run bootstrap secret. The password is read
from standard input (one line; a prompt without echo on a terminal), never from the command line,
where other users could see it in the process list. The account enrols TOTP at its first sign-in.

`parley account resolve-address PSEUDONYM ADDRESS` tells whether ADDRESS is the client address
behind an `addr:` pseudonym of the audit log (while that period's key exists), and `parley account
forget-addresses --before YYYY-MM` destroys older keys under the retention policy (pseudonym.py).
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
from gateway.identity.pseudonym import AddressPseudonyms
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


async def create_account(config: SuiteConfig, role: Role, username: str, password: str,
                         display_name: str = "") -> str:
    creds = load_credentials(credentials_file(data_path(config.data_dir), "supervisor"))
    nc = await connect(config, "parley-operator", creds, max_reconnect_attempts=0,
                       allow_reconnect=False)
    try:
        js = nc.jetstream()
        store = await AccountStore.open(js)
        now = int(time.time() * 1000)
        account = acc.create_account(account_id=new_ulid(now), username=username, role=role,
                                     password=password, hasher=PasswordHasher(), now_ms=now,
                                     display_name=display_name,
                                     # typed by the operator, usually for themselves
                                     must_change_password=False)
        await store.create(account)
        try:
            await AuditPublisher(js, "supervisor").record(
                actor=Actor(id="operator", kind="system"), action="account.create",
                resource_type="account", resource_id=account.id,
                outcome=Outcome.ALLOWED, details={"role": role.value, "via": "cli",
                                                  "display_name": account.display_name})
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
    create.add_argument("--display-name", default="",
                        help='the name people see, e.g. "Ms Anna Lee" (default: none, the role)')
    resolve = commands.add_parser("resolve-address",
                                  help="is ADDRESS the one behind an audit log address pseudonym?")
    resolve.add_argument("pseudonym")
    resolve.add_argument("address")
    forget = commands.add_parser("forget-addresses",
                                 help="destroy the address pseudonym keys of periods before one")
    forget.add_argument("--before", required=True, help="period label, YYYY-MM (or YYYY-MM-DD)")
    args = parser.parse_args(argv)
    if args.command in ("resolve-address", "forget-addresses"):
        return _addresses(args)
    try:
        config = load_config(SuiteConfig)
        password = read_password()
        account_id = asyncio.run(create_account(config, Role(args.role), args.username, password,
                                                args.display_name))
    except IdentityError as exc:
        print(f"parley account: {exc.message}", file=sys.stderr)
        return 1
    except (ParleyError, OSError) as exc:
        print(f"parley account: {exc}", file=sys.stderr)
        return 1
    print(f"created {args.role} {args.username} ({account_id}); it enrols TOTP at first sign-in")
    return 0


def _addresses(args: argparse.Namespace) -> int:
    config = load_config(SuiteConfig)
    names = AddressPseudonyms(data_path(config.data_dir) / "gateway" / "address-keys")
    try:
        if args.command == "forget-addresses":
            gone = names.destroy_keys_before(args.before)
            print(f"destroyed {len(gone)} period key(s): {', '.join(gone) or '-'}")
            return 0
        found = names.resolves_to(args.pseudonym, args.address)
    except ValueError as exc:
        print(f"parley account: {exc}", file=sys.stderr)
        return 2
    if found is None:
        print("that period's key was destroyed: the pseudonym cannot be resolved any more")
        return 1
    print("yes: that address" if found else "no: another address")
    return 0 if found else 1
if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
