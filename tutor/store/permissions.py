"""Words for a file or folder of learner data that cannot be used, and how to fix it.

Provides :func:`why_unreadable` (the reason, in words) and :func:`fix_hint` (the
command that gives the learner their file back, e.g. after ``sudo backprop-tutor``
left a root-owned one).
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from tutor.store.files import NotRegularFile


def why_unreadable(exc: OSError) -> str:
    """ "Permission denied", "it is a FIFO (named pipe)", …"""
    if isinstance(exc, NotRegularFile):
        return f"it is {exc.kind}"
    return exc.strerror or str(exc)


def fix_hint(path: Path, exc: OSError | None = None) -> str:
    """One sentence with the command that makes ``path`` usable again."""
    quoted = shlex.quote(str(path))
    if isinstance(exc, NotRegularFile):
        return f"Move it away (mv {quoted} {shlex.quote(str(path) + '.old')}) and start again."
    try:
        owner = path.stat().st_uid
    except OSError:
        return f"Check the permissions of {quoted} and of the folders above it."
    if hasattr(os, "getuid") and owner != os.getuid():
        return f"It belongs to another user; make it yours with: sudo chown -R $USER {quoted}"
    return f"Give yourself access with: chmod -R u+rwX {quoted}"
