"""Noticing each save of the learner's file, with ``watchfiles``.

The folder is watched rather than the file, so editors that save by writing a
new file and renaming it over the old one are noticed too.  Provides
:func:`saves`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path


def saves(path: Path, stop: threading.Event | None = None) -> Iterator[None]:
    """Yield once after each save of ``path`` until ``stop`` is set (or Ctrl-C is pressed)."""
    from watchfiles import Change, watch

    target = Path(path).resolve()

    def relevant(change: Change, changed: str) -> bool:
        return change != Change.deleted and Path(changed) == target

    for _ in watch(target.parent, watch_filter=relevant, stop_event=stop, recursive=False):
        yield
