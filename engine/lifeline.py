"""Child processes that die with the process that started them.

``toantrinh serve`` starts the sandbox registries, the payment and portal sandboxes and
the scheduler as child processes, and gunicorn forks its workers. If ``serve`` is killed
outright (``kill -9``, the OOM killer) it cannot stop them, and a sandbox left running
keeps its port: the next ``serve`` cannot start. On Linux each child asks the kernel for a
*parent-death signal* (``prctl(PR_SET_PDEATHSIG)``): SIGTERM as soon as its parent is
gone, whatever the way it went. Elsewhere this does nothing (the orderly stop still
terminates the children).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(sig: int = signal.SIGTERM, parent: int | None = None) -> bool:
    """Have the kernel send ``sig`` to this process when its parent dies; if the parent
    (``parent``, its pid when the child was forked) is already gone, go now. Returns
    whether the signal is armed (only on Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    if parent is not None and os.getppid() != parent:  # died before the signal was armed
        os.kill(os.getpid(), sig)
    return True


def child_setup(sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A ``preexec_fn`` for :class:`subprocess.Popen` that arms the parent-death signal
    in the child, before it runs its program."""
    parent = os.getpid()
    return lambda: die_with_parent(sig, parent)
