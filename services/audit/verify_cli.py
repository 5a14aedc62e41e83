"""`parley-audit`: the auditors' offline verifier. No server, no network.

    parley-audit pin VKEY_FILE
    parley-audit verify BUNDLE [--vkey FILE] [--list]
    parley-audit consistency OLD_CHECKPOINT NEW_CHECKPOINT PROOF [--vkey FILE]
    parley-audit receipt RECEIPT ENTRY [--vkey FILE]

Every check needs the log's verifier key pinned by the auditor: `--vkey FILE`, or the key saved
once with `parley-audit pin` (in `$PARLEY_AUDIT_HOME`, default `~/.config/parley-audit`). A
bundle names its own key, but that key proves nothing: whoever rewrites a log can sign it with a
key of their own. With no pinned key the command refuses (exit 2) instead of "verifying".

Exit status: 0 verified, 1 verification failed, 2 usage, unreadable input or no pinned key. A
failure is told on stderr as a sentence the auditor can act on (what it means for the evidence,
and what to do), then the technical detail: the first check that failed (`explain`).
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from parley.instants import instant
from proto.auditlog import ConsistencyProof
from services.audit.bundle_verify import BundleReport, verify_bundle
from services.audit.checkpoint import Checkpoint, open_checkpoint
from services.audit.errors import (
    AuditError,
    BadSignatureError,
    BundleFormatError,
    CheckpointFormatError,
    EntryOrderError,
    InvalidProofError,
    KeyMismatchError,
    NoteFormatError,
    ReceiptFormatError,
    RootMismatchError,
    UntrustedNoteError,
)
from services.audit.hasher import RFC6962
from services.audit.keys import NoteVerifier, b64decode_strict, parse_vkey
from services.audit.receipt import verify_receipt
from services.audit.verify import verify_consistency

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unreadable files (exit 2), as opposed to evidence that fails (exit 1)."""


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def pin_path() -> Path:
    """Where `parley-audit pin` saves the auditor's trusted verifier key."""
    home = os.environ.get("PARLEY_AUDIT_HOME")
    base = Path(home) if home else Path.home() / ".config" / "parley-audit"
    return base / "pinned.vkey"


def _vkey(path: str | None) -> NoteVerifier:
    """The pinned key: `--vkey FILE`, else the saved pin; neither is a usage error."""
    if path is None:
        saved = pin_path()
        if not saved.exists():
            raise UsageError(
                "no pinned verifier key: pass --vkey FILE (the key you obtained from the "
                f"institution out of band) or save it once with `parley-audit pin FILE` ({saved})")
        path = str(saved)
    return parse_vkey(_read(path).decode("utf-8", "replace"))


def _when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return instant(ms).isoformat(timespec="milliseconds")


def _lines(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    raise BundleFormatError("bundle truncated: last line has no newline")
                yield raw
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _print_checkpoint(cp: Checkpoint, label: str = "checkpoint") -> None:
    print(f"{label + ':':12}size {cp.size}, root {base64.b64encode(cp.root).decode()}")


def _report(report: BundleReport, listing: bool) -> None:
    cp = report.checkpoint
    print("OK: the bundle verifies")
    print(f"{'log:':12}{cp.origin}")
    print(f"{'key:':12}{report.vkey} (pinned by you)")
    _print_checkpoint(cp)
    if report.kind == "range":
        print(f"{'entries:':12}{report.count}, indices [{report.begin}, {report.end}) of {cp.size}")
        print(f"{'proves:':12}these are exactly the log's entries at those indices: none changed,"
              " removed, inserted or reordered")
    else:
        print(f"{'entries:':12}{report.count} selected entries of {cp.size}")
        print(f"{'proves:':12}each entry is in the log at its index, unchanged; a selection does"
              " not prove that no other entry matches")
    print(f"{'times:':12}{_when(report.first_time)} .. {_when(report.last_time)}")
    if report.filter is not None:
        asked = msgspec.json.encode(report.filter).decode()
        print(f"{'filter:':12}{asked} (as exported; {report.filter_matches} entries match it)")
    if listing:
        for index, ev in report.events:
            side = f" side={ev.actor.side}" if ev.actor.side else ""
            print(f"  #{index} {_when(ev.time)} {ev.actor.id}({ev.actor.role}{side}) {ev.action} "
                  f"{ev.resource.type}/{ev.resource.id} {ev.outcome} hearing={ev.hearing or '-'}")


def _proof_hashes(raw: bytes) -> tuple[list[bytes], ConsistencyProof | None]:
    """A consistency proof file: the API's JSON reply, or one base64 hash per line."""
    text = raw.decode("utf-8", "replace")
    if text.lstrip().startswith("{"):
        try:
            proof = msgspec.json.decode(raw, type=ConsistencyProof)
        except msgspec.DecodeError as exc:
            raise InvalidProofError(f"proof file: {exc}") from exc
        return [b64decode_strict(h, "proof hash") for h in proof.hashes], proof
    return [b64decode_strict(line.strip(), "proof hash") for line in text.splitlines()
            if line.strip()], None


def cmd_verify(args: argparse.Namespace) -> int:
    report = verify_bundle(_lines(args.bundle), _vkey(args.vkey), keep_events=args.list)
    _report(report, args.list)
    return EXIT_OK


def cmd_pin(args: argparse.Namespace) -> int:
    key = parse_vkey(_read(args.vkey_file).decode("utf-8", "replace"))
    target = pin_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(key.vkey + "\n", encoding="utf-8")
    print(f"pinned {key.vkey}")
    print(f"{'key id:':12}{key.key_id:08x}")
    print(f"{'saved in:':12}{target}")
    return EXIT_OK


def cmd_consistency(args: argparse.Namespace) -> int:
    key = _vkey(args.vkey)
    old = open_checkpoint(_read(args.old), key)
    new = open_checkpoint(_read(args.new), key)
    hashes, proof = _proof_hashes(_read(args.proof))
    if proof is not None and (proof.first, proof.second) != (old.size, new.size):
        raise InvalidProofError(
            f"proof is for sizes {proof.first} -> {proof.second}, checkpoints are "
            f"{old.size} -> {new.size}"
        )
    verify_consistency(RFC6962, old.size, new.size, old.root, new.root, hashes)
    print("OK: the new checkpoint extends the old one (append-only)")
    print(f"{'log:':12}{old.origin}")
    print(f"{'key:':12}{key.vkey}")
    _print_checkpoint(old, "old")
    _print_checkpoint(new, "new")
    return EXIT_OK


def cmd_receipt(args: argparse.Namespace) -> int:
    key = _vkey(args.vkey)
    receipt_text = _read(args.receipt).decode("utf-8", "replace")
    receipt, cp = verify_receipt(RFC6962, receipt_text, _read(args.entry), key)
    print(f"OK: the entry is at index {receipt.index} of the log")
    print(f"{'log:':12}{cp.origin}")
    print(f"{'key:':12}{key.vkey}")
    _print_checkpoint(cp)
    return EXIT_OK


# What a failure means, per command: what was presented as evidence, and what to do instead.
_AGAIN = {"verify": "Do not rely on it; export it again from the server.",
          "receipt": "Do not rely on it; fetch the entry and its receipt again from the server.",
          "consistency": "Do not rely on either checkpoint until the institution explains it."}
_WHAT = {"verify": "This bundle", "receipt": "This receipt", "consistency": "This proof"}


def _root_mismatch(exc: RootMismatchError, command: str) -> str:
    if exc.entry is not None:
        return (f"This bundle does not match its signed checkpoint: entry {exc.entry} or its proof "
                "was changed or removed after export.")
    if exc.entries is not None:
        begin, end = exc.entries
        return ("This bundle does not match its signed checkpoint: one of its entries "
                f"({begin} to {end - 1}) or the range proof was changed or removed after export.")
    if command == "consistency":
        return ("The newer checkpoint does not extend the older one by this proof: the proof is "
                "not the server's, or the log was rewritten between the two.")
    return f"{_WHAT[command]} does not match its signed checkpoint: the entry or its proof was changed."


def explain(exc: AuditError, command: str) -> str:
    """The sentence an auditor reads first when `command` fails with `exc`: what it means for
    the evidence, and what to do. The caller prints the technical detail after it."""
    what = _WHAT.get(command, "This evidence")
    if isinstance(exc, RootMismatchError):
        said = _root_mismatch(exc, command)
    elif isinstance(exc, EntryOrderError):
        said = (f"{what} does not hold the entries that were exported: an entry was removed, added "
                "or moved after export.")
    elif isinstance(exc, InvalidProofError):
        said = (f"{what} does not hold a proof that fits its entries: an entry or a proof was "
                "removed or changed after export.")
    elif isinstance(exc, KeyMismatchError):
        said = (f"{what} was signed with another key than the one you pinned: it comes from "
                "another log, or was re-signed after export.")
    elif isinstance(exc, BadSignatureError | UntrustedNoteError):
        said = (f"{what} is not signed by the key you pinned: its checkpoint was changed after "
                "export, or it comes from another log.")
    elif isinstance(exc, BundleFormatError | ReceiptFormatError):
        said = f"{what} is not whole: it was cut short or damaged after export (or is another file)."
    elif isinstance(exc, NoteFormatError | CheckpointFormatError):
        said = ("A checkpoint or key is not in the form Parley writes: the file is damaged, or is "
                "not the one it should be.")
    else:
        said = f"{what} does not verify."
    return f"{said} {_AGAIN.get(command, _AGAIN['verify'])}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley-audit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    pin = sub.add_parser("pin", help="save the log's verifier key as the one you trust")
    pin.add_argument("vkey_file")
    pin.set_defaults(run=cmd_pin)
    verify = sub.add_parser("verify", help="verify an export bundle")
    verify.add_argument("bundle")
    verify.add_argument("--vkey", help="file holding the log's verifier key (default: the pin)")
    verify.add_argument("--list", action="store_true", help="print every verified entry")
    verify.set_defaults(run=cmd_verify)
    cons = sub.add_parser("consistency", help="check a newer checkpoint extends an older one")
    cons.add_argument("old")
    cons.add_argument("new")
    cons.add_argument("proof", help="JSON proof from /api/v1/audit/proofs/consistency, or base64 lines")
    cons.add_argument("--vkey")
    cons.set_defaults(run=cmd_consistency)
    rec = sub.add_parser("receipt", help="verify a tlog-proof receipt for one entry")
    rec.add_argument("receipt")
    rec.add_argument("entry", help="file holding the exact entry bytes")
    rec.add_argument("--vkey")
    rec.set_defaults(run=cmd_receipt)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.run(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AuditError as exc:
        print(f"FAIL: {explain(exc, args.command)}", file=sys.stderr)
        print(f"detail: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return result


if __name__ == "__main__":
    sys.exit(main())
