"""Noticing each save of the learner's file, with ``watchfiles``.

The folder is watched rather than the file, so editors that save by writing a
new file and renaming it over the old one are noticed too.  A save counts once
the file's modification time or size differs from the version last checked,
and that is also compared every second, so a save made while the watcher was
still starting (or while a check was running) is never missed.  Provides
:func:`signature`, :func:`saves` (a generator, for the command line) and
:class:`SaveWatcher` (a daemon thread that calls back at the start and after
every save, for the tutor's screens; like toolong's watcher, it runs as long
as the file is shown).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

Signature = tuple[int, int] | None
RECHECK_MS = 1000


def signature(path: Path) -> Signature:
    """The file's modification time and size, or None if it cannot be read."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def saves(
    path: Path, stop: threading.Event | None = None, since: Signature = None
) -> Iterator[None]:
    """Yield once after each save of ``path`` (the version ``since`` was already seen).

    Ends when ``stop`` is set (or Ctrl-C is pressed).
    """
    from watchfiles import watch

    target = Path(path).resolve()
    last = since if since is not None else signature(target)
    for _ in watch(
        target.parent,
        watch_filter=lambda _change, changed: Path(changed) == target,
        stop_event=stop,
        recursive=False,
        rust_timeout=RECHECK_MS,
        yield_on_timeout=True,
    ):
        now = signature(target)
        if now is not None and now != last:
            last = now
            yield


class SaveWatcher(threading.Thread):
    """Calls ``on_save`` now and after every save of ``path``, in this thread, until stopped.

    A failure (of a check, or of watching itself) goes to ``on_error`` and the
    watcher goes on: later saves are still checked.
    """

    def __init__(
        self,
        path: Path,
        on_save: Callable[[], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        super().__init__(name=f"watch {Path(path).name}", daemon=True)
        self.path = Path(path)
        self.on_save = on_save
        self.on_error = on_error
        self.stopped = threading.Event()

    def run(self) -> None:
        seen = signature(self.path)
        self._call(self.on_save)
        while not self.stopped.is_set():
            try:
                for _ in saves(self.path, self.stopped, since=seen):
                    seen = signature(self.path)
                    self._call(self.on_save)
            except Exception as exc:  # watching failed (e.g. the folder went away): say so
                self._report(exc)
                self.stopped.wait(RECHECK_MS / 1000)

    def _call(self, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as exc:  # one failed check must not end the watching
            self._report(exc)

    def _report(self, exc: Exception) -> None:
        if self.on_error is not None:
            with contextlib.suppress(Exception):  # nowhere left to report to; keep watching
                self.on_error(exc)

    def stop(self) -> None:
        """Stop watching (the thread ends within a moment)."""
        self.stopped.set()
