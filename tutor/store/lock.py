"""One tutor at a time saves into a data directory: an advisory lock on ``progress.lock``.

Provides :class:`DataDirLock`.  The first tutor started on a data directory holds
the lock (``flock``, released by the kernel when the process ends, even when it
is killed) for as long as it runs, and saves as usual.  A second one started
meanwhile (another terminal tab, say) finds the lock taken and runs read-only:
it shows the saved progress and says, in a banner, that it saves nothing.

Why read-only and not merge-on-save: both instances would change the same
items (the lesson being worked on, the same quiz families' counters and Leitner
boxes), and no merge of two step positions or two streaks is right; it would
lose one side's work silently.  A read-only second instance loses nothing it
has not said it will not keep, and the learner knows which window counts.  It
stays read-only after the first one exits, since its progress in memory is older
than what the first one saved.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # no flock (Windows): every instance saves, as before
    fcntl = None  # type: ignore[assignment]  # None stands for the module Windows lacks

LOCK_NAME = "progress.lock"


class DataDirLock:
    """The advisory lock of one data directory, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / LOCK_NAME
        self._file: BinaryIO | None = None  # a file object: dropping it releases the lock too

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._file is not None

    def acquire(self) -> bool:
        """Take the lock if no other process holds it; True if this object holds it now.

        Raises ``OSError`` when the lock file cannot be created or opened.
        """
        if self._file is not None:
            return True
        file = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), "r+b", buffering=0)
        if fcntl is not None:
            try:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                file.close()
                return False
            file.truncate(0)
            file.write(f"{os.getpid()}\n".encode())
        self._file = file
        return True

    def holder(self) -> str:
        """Who holds the lock, in words: "process 1234", or "another process"."""
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        return f"process {pid}" if pid.isdigit() else "another process"

    def release(self) -> None:
        """Let another tutor take the lock (closing the file releases it)."""
        if self._file is not None:
            self._file.close()
            self._file = None
