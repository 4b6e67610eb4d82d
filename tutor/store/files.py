"""Reading a file without trusting it: only a regular file, never more than a limit.

Provides :func:`read_regular_file`, and for scanning folders that may hold anything
(a link loop, an unreadable entry, a dangling link) :func:`list_directory`,
:func:`is_directory` and :func:`real_path`, none of which hangs or raises on such an
entry except where it says so.  The file is opened without blocking and
checked with ``fstat`` on the open descriptor, so a FIFO, a device, a socket or a
directory is refused at once (opening a FIFO for reading would otherwise wait
forever for a writer), and no race can swap the file between check and read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path exists but is no regular file; ``kind`` says what it is."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.kind = kind


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_regular_file(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` (more than ``limit`` means: too large).

    Raises :class:`NotRegularFile` for anything but a regular file, and ``OSError``
    (``FileNotFoundError``, ``PermissionError``, …) when it cannot be opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(Path(path), _kind(mode))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def real_path(path: Path) -> Path:
    """``path`` with its links resolved as far as they go: a link loop never raises.

    (``Path.resolve`` raises ``RuntimeError`` on a loop in Python 3.11.)
    """
    return Path(os.path.realpath(path))


def list_directory(directory: Path) -> list[Path]:
    """The entries of ``directory``, sorted by name.

    Raises ``OSError`` when it cannot be listed (unreadable, a link loop, gone).
    """
    with os.scandir(directory) as entries:
        return sorted(Path(entry.path) for entry in entries)


def is_directory(path: Path) -> bool:
    """Whether ``path`` is a directory (after links); False for a loop or an unreadable entry."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
