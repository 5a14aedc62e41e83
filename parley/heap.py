"""Keeping freed large buffers in the process heap instead of returning them to the kernel.

A process that streams documents allocates a buffer of about a megabyte for every read, every
sealed or opened batch, and frees it soon after. glibc serves such sizes with `mmap` (or trims
the heap top as soon as they are freed), so every new buffer is fresh memory: the kernel maps
and zeroes it page by page, about one page fault per 4 KiB moved. Measured on the evidence
upload path: some 50 000 faults per GiB, and more CPU than the cipher itself. Raising glibc's
mmap and trim thresholds (`mallopt`) lets a freed buffer be reused by the next allocation.

The memory kept is what the process had in use at its peak (at most `trim_bytes` of it free),
so the bound on a stream's memory still holds; RSS just stops going down between streams.
Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("parley.heap")

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_large_buffers(*, mmap_bytes: int = 16 << 20, trim_bytes: int = 32 << 20) -> bool:
    """Serve allocations below `mmap_bytes` from the heap, and keep up to `trim_bytes` of free
    heap top. True if the C library took both settings."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, mmap_bytes)) and bool(
        mallopt(_M_TRIM_THRESHOLD, trim_bytes))
    log.debug("large buffers kept in the heap: %s", done)
    return done
