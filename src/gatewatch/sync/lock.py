"""One sync per record: an exclusive lock on a file in the site's data directory.

``gatewatch sync`` and the server's head-office worker both take it before they start, so that
two of them never ship the same record or take the same inbox at once. The lock is the kernel's
(``flock``): it goes with the process, so a killed sync never leaves it held.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

LOCK_FILE = "sync.lock"


class SyncLocked(RuntimeError):
    """Another sync holds the record's lock: names the file and, when it can, who holds it."""


class SyncLock:
    """The lock file ``DATA/sync.lock``, held from ``acquire`` until ``release`` (or the process ends)."""

    def __init__(self, data: Path) -> None:
        self.path = data / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock without waiting; ``SyncLocked`` when another process holds it."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise SyncLocked(
                f"another sync of this record is running{holder}: it holds the lock file {self.path} "
                "(one sync per record; stop it first, or sync from the server only)"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


def _holder(fd: int) -> str:
    """`` (process N)`` as the holder wrote it in the file, or nothing."""
    try:
        written = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (process {written})" if written.isdigit() else ""
