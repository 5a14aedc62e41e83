"""Signed notes, vkeys, key files and checkpoints: round trips and strict rejections."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from pathlib import Path

import pytest

from proto.auditlog import MAX_NOTE_SIGNATURE_BYTES
from services.audit.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint, sign_checkpoint
from services.audit.errors import (
    BadSignatureError,
    CheckpointFormatError,
    KeyFileError,
    NoteFormatError,
    WrongKeyIdError,
    WrongKeyNameError,
)
from services.audit.keys import (
    NoteSigner,
    NoteVerifier,
    derive_origin,
    load_or_create_signer,
    parse_vkey,
)
from services.audit.note import open_note, parse_note, sign_note

ORIGIN = "parley.example.org/audit"
SEED = bytes(range(32))


@pytest.fixture
def signer() -> NoteSigner:
    return NoteSigner(ORIGIN, SEED)


def test_key_id_and_vkey_form(signer: NoteSigner) -> None:
    pub = signer.verifier.public_key
    want = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + pub).digest()[:4]
    assert signer.key_id == int.from_bytes(want, "big")
    vkey = signer.verifier.vkey
    name, hex_id, blob = vkey.split("+", 2)
    assert (name, hex_id) == (ORIGIN, want.hex())
    assert base64.b64decode(blob) == b"\x01" + pub
    assert parse_vkey(vkey) == signer.verifier


def test_round_trip(signer: NoteSigner) -> None:
    note = sign_note("hello\nworld\n", signer)
    text, sigline = note.split("\n\n")
    assert text == "hello\nworld"
    assert sigline.startswith(f"\u2014 {ORIGIN} ")
    raw = base64.b64decode(sigline.split(" ")[2])
    assert int.from_bytes(raw[:4], "big") == signer.key_id and len(raw) == 68
    assert open_note(note, signer.verifier).text == "hello\nworld\n"


def test_rejects_bad_signature(signer: NoteSigner) -> None:
    note = sign_note("hello\n", signer)
    with pytest.raises(BadSignatureError):
        open_note(note.replace("hello", "hellO"), signer.verifier)
    head, blob = note.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[10] ^= 1
    with pytest.raises(BadSignatureError):
        open_note(f"{head} {base64.b64encode(bytes(raw)).decode()}\n", signer.verifier)


def test_rejects_wrong_key_name_and_id(signer: NoteSigner) -> None:
    other_name = NoteSigner("other.example/log", SEED)
    with pytest.raises(WrongKeyNameError):
        open_note(sign_note("hello\n", other_name), signer.verifier)
    other_key = NoteSigner(ORIGIN, bytes(32))
    with pytest.raises(WrongKeyIdError):
        open_note(sign_note("hello\n", other_key), signer.verifier)
    # right name, right key ID, but signed by another key: the ID matches, so it must verify
    forged = sign_note("hello\n", other_key)
    head, blob = forged.rsplit(" ", 1)
    raw = signer.key_id.to_bytes(4, "big") + base64.b64decode(blob)[4:]
    with pytest.raises(BadSignatureError):
        open_note(f"{head} {base64.b64encode(raw).decode()}\n", signer.verifier)


def test_unknown_cosignatures_are_ignored(signer: NoteSigner) -> None:
    note = sign_note("hello\n", signer)
    extra = sign_note("hello\n", NoteSigner("witness.example/w", bytes(32))).split("\n\n")[1]
    assert open_note(note + extra, signer.verifier).text == "hello\n"


def test_sixteen_largest_cosignatures_are_accepted(signer: NoteSigner) -> None:
    """C2SP signed-note: verifiers MUST accept at least 16 signatures. A real checkpoint with
    16 witness cosignatures of the largest supported size (ML-DSA-87 + key ID, ~105 kB in all)
    opens; one byte more per signature, or a 17th such line past the bound, is refused."""
    note = sign_checkpoint(Checkpoint(ORIGIN, 7, bytes(32)), signer)
    big = bytes(MAX_NOTE_SIGNATURE_BYTES)
    witnesses = "".join(f"\u2014 witness{n}.example.org/w{'x' * 200} {base64.b64encode(big).decode()}\n"
                        for n in range(16))
    assert len((note + witnesses).encode()) > 100_000
    assert open_checkpoint(note + witnesses, signer.verifier).size == 7
    with pytest.raises(NoteFormatError, match="signature of"):
        parse_note(note + f"\u2014 w.example {base64.b64encode(big + b'x').decode()}\n")
    with pytest.raises(NoteFormatError, match="larger than"):
        parse_note(note + witnesses * 2)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda n: n.replace("\n\n", "\n"),  # missing blank line
        lambda n: n[:-1],  # truncated: no final newline
        lambda n: n.split("\n\n")[0] + "\n\n",  # signatures removed
        lambda n: n + "extra line\n",  # extra line after the signatures
        lambda n: n + "\n",  # trailing blank line
        lambda n: n.replace("\u2014", "-"),  # not an em dash
        lambda n: n.replace("hello", "hel\x07lo"),  # control character
        lambda n: n.replace(ORIGIN + " ", ORIGIN + "  "),  # double space
        lambda n: n + n.split("\n\n")[1],  # the trusted key twice
    ],
)
def test_strict_rejections(signer: NoteSigner, mangle: object) -> None:
    assert callable(mangle)
    note = sign_note("hello\n", signer)
    with pytest.raises((NoteFormatError, BadSignatureError)):
        open_note(mangle(note), signer.verifier)


def test_parse_rejects_invalid_utf8_and_key_names() -> None:
    with pytest.raises(NoteFormatError):
        parse_note(b"hello \xff\n\n\xe2\x80\x94 a AAAAAAA=\n")
    for bad in ("", "a b", "a+b"):
        with pytest.raises(NoteFormatError):
            NoteVerifier(bad, bytes(32))
    with pytest.raises(NoteFormatError):
        parse_vkey("name+00000000+" + base64.b64encode(b"\x01" + bytes(32)).decode())


def test_checkpoint_round_trip_and_origin(signer: NoteSigner) -> None:
    cp = Checkpoint(ORIGIN, 42, hashlib.sha256(b"x").digest())
    note = sign_checkpoint(cp, signer)
    assert note.startswith(f"{ORIGIN}\n42\n{base64.b64encode(cp.root).decode()}\n\n")
    assert open_checkpoint(note, signer.verifier) == cp
    # a note signed by the right key whose body names another origin is refused
    other = sign_note(Checkpoint("evil.example/log", 42, cp.root).text(), signer)
    with pytest.raises(WrongKeyNameError):
        open_checkpoint(other, signer.verifier)


@pytest.mark.parametrize(
    "text",
    [
        "o\n042\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n1\nAAAA\n",
        "o\n1\n",
        "\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",
        "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ],
)
def test_checkpoint_strict_parse(text: str) -> None:
    with pytest.raises(CheckpointFormatError):
        parse_checkpoint(text)


def test_checkpoint_extension_lines() -> None:
    cp = parse_checkpoint("o\n1\n" + "A" * 43 + "=\next one\n")
    assert cp.extensions == ("ext one",)


def test_key_file_created_private_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    first = load_or_create_signer(path, ORIGIN)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith(f"PRIVATE+KEY+{ORIGIN}+{first.key_id:08x}+")
    again = load_or_create_signer(path, ORIGIN)
    assert again.verifier == first.verifier
    assert not [p for p in tmp_path.iterdir() if p.name != "audit.key"]
    with pytest.raises(KeyFileError):
        load_or_create_signer(path, "another.example/log")
    os.chmod(path, 0o644)
    with pytest.raises(KeyFileError):
        load_or_create_signer(path, ORIGIN)
    os.chmod(path, 0o600)
    path.write_text("garbage\n")
    with pytest.raises(KeyFileError):
        load_or_create_signer(path, ORIGIN)


def test_first_start_derives_a_unique_origin_and_keeps_it(tmp_path: Path) -> None:
    """No origin configured: the first start names the log from the public URL and a random
    suffix; later starts read the name back from the key file."""
    made = derive_origin("https://hearings.example.hk:8443/", "fallback.local")
    assert re.fullmatch(r"hearings\.example\.hk:8443/audit/[0-9a-f]{8}", made)
    assert derive_origin("", "box.local").startswith("box.local/audit/")
    assert derive_origin("", "box.local") != derive_origin("", "box.local")
    path = tmp_path / "audit.key"
    first = load_or_create_signer(path, "", derive=lambda: made)
    assert first.name == made
    again = load_or_create_signer(path, "", derive=lambda: "other.example/audit/ffffffff")
    assert again.verifier == first.verifier
    with pytest.raises(KeyFileError):
        load_or_create_signer(path, "parley.example/audit")
