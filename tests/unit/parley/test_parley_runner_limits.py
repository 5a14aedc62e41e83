"""Every process raises its soft open-files limit to the hard one at start (parley/runner.py):
each WebSocket is a descriptor, and a soft limit of 1,024 would refuse sockets long before
memory or CPU ran out."""

from __future__ import annotations

import resource
import subprocess
import sys


def test_the_soft_limit_is_raised_to_the_hard_one() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    low = min(soft, hard, 256)
    # In a child started with a low soft limit, so this process's own limit is left alone.
    script = ("import resource; from parley.runner import raise_open_files_limit; "
              f"resource.setrlimit(resource.RLIMIT_NOFILE, ({low}, {hard})); "
              "print(raise_open_files_limit(), resource.getrlimit(resource.RLIMIT_NOFILE)[0])")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout.split()
    assert out == [str(hard), str(hard)]
