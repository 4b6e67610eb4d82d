"""Saving progress off the UI thread: a snapshot now, the write a moment later.

Provides :class:`LatestWriter`: :meth:`~LatestWriter.offer` takes a snapshot of the
progress (its text) at once, and :meth:`~LatestWriter.write_latest`, called on any
thread, writes the newest snapshot not yet written (atomically, with
:meth:`ProgressStore.write <tutor.store.progress_file.ProgressStore.write>`).  Writes
never interleave, and an older snapshot never replaces a newer one, so calls that
pile up while the disk is slow collapse into one write of the newest.  A change that may
wait (a reveal) is only noted (:meth:`~LatestWriter.note_changed`); :meth:`~LatestWriter.flush`
takes its snapshot and writes it (the app does so a moment later, and as it closes).
No Textual.
"""

from __future__ import annotations

import threading

from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore


class LatestWriter:
    """The newest snapshot of the progress, and the one lock that writes it."""

    def __init__(self, store: ProgressStore) -> None:
        self.store = store
        self._snapshot: tuple[int, str] | None = None
        self._written = 0
        self._offered = 0
        self._changed = False
        self._slot = threading.Lock()
        self._disk = threading.Lock()

    def offer(self, progress: Progress) -> None:
        """Take a snapshot of ``progress`` to write (later changes to it do not reach it)."""
        with self._slot:
            self._changed = False  # this snapshot holds every change noted so far
        text = self.store.encode(progress)
        with self._slot:
            self._offered += 1
            self._snapshot = (self._offered, text)

    def note_changed(self) -> None:
        """The progress changed and no snapshot was taken: :meth:`flush` takes one."""
        with self._slot:
            self._changed = True

    @property
    def changed(self) -> bool:
        """Whether a change was noted since the last snapshot."""
        with self._slot:
            return self._changed

    def flush(self, progress: Progress) -> bool:
        """Take a snapshot of ``progress`` if a change was noted, and write the newest one;
        whether this call wrote.  Raises ``OSError`` as :meth:`write_latest` does."""
        if self.changed:
            self.offer(progress)
        return self.write_latest()

    @property
    def pending(self) -> bool:
        """Whether a snapshot is waiting to be written."""
        with self._slot:
            return self._offered > self._written

    def write_latest(self) -> bool:
        """Write the newest snapshot unless it is written already; whether this call wrote.

        Raises ``OSError`` if the write fails (the snapshot then stays pending).
        """
        with self._disk:
            with self._slot:
                if self._snapshot is None or self._snapshot[0] <= self._written:
                    return False
                number, text = self._snapshot
            self.store.write(text)
            with self._slot:
                self._written = max(self._written, number)
            return True
