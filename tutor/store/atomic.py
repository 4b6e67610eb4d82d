"""Writing a file so that a reader, or a crash, finds the old contents or the new, never part.

Provides :func:`write_atomically`: the text goes to a temporary file beside the target,
is flushed and synced to disk, renamed over the target in one step, and then the folder
is synced so the rename itself outlives a crash.  On any failure the temporary file is
removed and the target is left as it was.  The only file writer for learner data
(progress, the lesson catalog cache, an exercise file saved from the editor).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, *, temp_prefix: str | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step; raises ``OSError`` on failure.

    The temporary file is named ``temp_prefix`` (default ``.NAME.``) plus a random part,
    in the target's folder, which must exist.  A file that is replaced keeps its
    permissions; a new one is readable by its owner only.
    """
    directory = path.parent
    prefix = f".{path.name}." if temp_prefix is None else temp_prefix
    fd, temp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
