"""The download hand-off between a gateway and a co-located evidence instance (DESIGN §6).

Where evidence serves its byte port on a Unix socket (`http+unix://…`, the gateway on the same
host) it also listens on `handoff_socket(<that path>)`. A gateway whose client is on plain TCP
may then, instead of relaying a download, lend the client's socket to evidence:

    gateway → evidence   HandoffRequest + the client's socket (SCM_RIGHTS, parley/fdpass.py)
    evidence → gateway   HandoffReply(state="ready")  ticket redeemed, first segments authentic
                         HandoffReply(state="refused", error=…)  nothing was written
    gateway → evidence   HandoffGo()  once the response head is on the socket
    evidence → gateway   HandoffReply(state="done", sent=n, complete=…)  its copy is closed

Evidence only ever writes the body's bytes onto the socket; it never reads from it, never shuts
it down and never changes its options. The gateway keeps the connection: it resumes it (keep-
alive) on a complete delivery of exactly the expected bytes and cuts it on anything else.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from proto.errors import Error
from proto.evidence import Ticket

#: What the hand-off socket's path adds to the byte port's socket path.
SUFFIX = ".handoff"
#: The largest frame either side sends (a request holds a path, a ticket and a principal).
MAX_FRAME = 8 * 1024

DownloadPath = Annotated[str, msgspec.Meta(pattern=r"^/downloads/[A-Za-z0-9_-]{1,128}$")]


def handoff_socket(byte_port_socket: str) -> str:
    return byte_port_socket + SUFFIX


class HandoffRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`path` is the download URL's path, `ticket` and `principal` what its headers carry."""

    path: DownloadPath
    ticket: Ticket
    principal: Annotated[str, msgspec.Meta(max_length=4096)]


class HandoffGo(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The response head is on the socket: the body may follow."""


class HandoffReply(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    state: Literal["ready", "refused", "done"]
    error: Error | None = None
    #: Body bytes handed to the socket (state "done").
    sent: Annotated[int, msgspec.Meta(ge=0, le=1 << 44)] = 0
    #: Every byte of the granted range was sent, all authenticated (state "done").
    complete: bool = False
