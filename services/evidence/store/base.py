"""The one object-store interface evidence is written against, and its shared rules.

Semantics every backend keeps (checked by the contract suite in tests/integration/evidence):
- `put` consumes an async iterator of bytes. If the iterator ends normally the object becomes
  visible atomically (commit); if it raises (or the store fails, or the task is cancelled)
  nothing becomes visible and staged bytes are discarded (abort), and the error propagates.
- `put(if_absent=True)` commits only if no object has the key (`ObjectExistsError` otherwise).
- `put(retain=True)` asks the backend to put the object under its retention (WORM) policy,
  where it has one; key records are never retained, so shredding keeps working.
- `get` yields the bytes of `[start, end)` (end exclusive, None = to the end) in chunks.
- Versions: on a versioned store (an S3 bucket with versioning or object lock) `put` returns the
  new object's `version_id`, and `get`/`stat` given a `version_id` read that version, whatever
  was written over it since. An unversioned store returns `version_id=None` (and reads are
  made without one).
- `delete` removes every version of an object; deleting a missing object is not an error.
- `prune` removes every version of an object but the current one (and any delete markers), so
  an overwritten key record leaves no old copy behind; `versions` lists the versions still
  stored (current first). Both are trivial on an unversioned store.
- `list` returns the objects under a prefix, sorted by key; `stat` raises ObjectNotFoundError.
- `sweep` removes staged leftovers (temp files, incomplete multipart uploads) at least an age
  old, as far as this host can tell (`sweep` says how).

Times are instants for machines: integer epoch milliseconds (an object's `modified_ms`),
compared with the injected clock (`now_ms`). A file's mtime is read as an
integer (`st_mtime_ns`), never through `datetime.fromtimestamp`/`datetime.now`: those go through
the C library's zone rules (`gmtime` too), and on a host whose zone counts leap seconds
(`right/…`) they are 27 s off the kernel's clock, so an upload would expire 27 s early. The
few `datetime`s a server speaks (S3's times) are turned with plain arithmetic
(`parley.instants`), which involves no zone.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from services.evidence.errors import InvalidKeyNameError

_KEY_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
MAX_KEY_LEN = 512
@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified_ms: int  # when the object was last written, epoch milliseconds
    version_id: str | None = None


def validate_key(key: str) -> str:
    """Object keys are built by evidence from ids; anything else is a bug or an attack."""
    if len(key) > MAX_KEY_LEN or not _KEY_RE.match(key) or ".." in key:
        raise InvalidKeyNameError("invalid object key")
    return key


class ObjectStore(Protocol):
    async def put(self, key: str, chunks: AsyncIterable[bytes], *, if_absent: bool = False,
                  retain: bool = False) -> ObjectInfo: ...

    def get(self, key: str, start: int = 0, end: int | None = None, *,
            version_id: str | None = None) -> AsyncGenerator[bytes, None]:
        """The bytes [start, end) (end None: to the end); close it (`aclose`) when done early:
        it holds a file or a connection."""
        ...

    async def read(self, key: str, *, max_size: int | None = None) -> bytes:
        """The whole (small) object: manifests and key records. With `max_size`, an object
        larger than that raises ObjectTooLargeError without being read whole."""
        ...

    async def delete(self, key: str) -> None: ...

    async def prune(self, key: str) -> None:
        """Delete every stored version of `key` but the current one; StoreError if one stays."""
        ...

    async def versions(self, key: str) -> list[ObjectInfo]:
        """Every stored version of `key` (delete markers excluded), the current one first."""
        ...

    async def list(self, prefix: str) -> list[ObjectInfo]: ...

    async def stat(self, key: str, *, version_id: str | None = None) -> ObjectInfo: ...

    async def sweep(self, max_age_ms: int) -> int:
        """Remove staged leftovers at least `max_age_ms` old; return how many. The age is this
        host's to measure: a temp file's since its last write (its mtime: this host wrote it),
        a server's multipart upload's since this store first saw it (sightings.py: a server's
        date is another machine's clock), and a multipart upload this store is writing is no
        leftover. With 0, every staged leftover there is goes."""
        ...

    async def close(self) -> None: ...


@runtime_checkable
class FileBacked(Protocol):
    """A store whose objects are files on this host, so a worker thread may read one with plain
    positioned reads (evidence's download pump: range_pump.py) instead of an async iterator."""

    async def open_file(self, key: str, *, version_id: str | None = None) -> int:
        """A read-only descriptor of the object, the caller's to close; ObjectNotFoundError."""
        ...


@runtime_checkable
class Drafting(Protocol):
    """A store that can write an object in place, range by range, and then commit it under its
    final key without copying it: resumable uploads assemble their content in one draft
    (staging.py). A draft is an object like any other (listed, read, deleted), except that it
    changes; nothing makes a draft's bytes authentic but what its writer checks."""

    async def write_draft(self, key: str, offset: int, chunks: AsyncIterable[bytes]) -> int:
        """Write `chunks` at `offset` of draft `key` (created if missing) and make them durable
        before returning how many bytes were written. If `chunks` raises, the bytes written so
        far stay, not made durable (the caller records no range of them)."""
        ...

    async def commit_draft(self, key: str, final: str, size: int,
                           check: Callable[[int], None]) -> ObjectInfo:
        """Cut draft `key` to `size` bytes and make it object `final` as well (another object
        there: ObjectExistsError), durably. `check(fd)` runs first, in a worker thread, with
        the draft's bytes held still (no draft write runs meanwhile), on a descriptor to read
        them: what it raises keeps the draft uncommitted. The draft keeps its key and takes no
        write while `final` exists, so if the commit that follows fails and deletes `final`,
        the draft can be committed again; its owner deletes it once the object is for good."""
        ...


async def one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def prepended(first: bytes, stream: AsyncIterable[bytes]) -> AsyncGenerator[bytes, None]:
    """`first` (unless empty), then `stream`'s chunks; `stream` is closed at the end, however
    the reading ends (a store's stream holds a file or a connection)."""
    try:
        if first:
            yield first
        async for chunk in stream:
            yield chunk
    finally:
        if isinstance(stream, AsyncGenerator):
            await stream.aclose()
