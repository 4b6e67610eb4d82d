"""The learner's progress for one command-line session (no Textual).

Provides :class:`ProgressSession`, used by ``quiz --plain``, ``lesson --plain`` and
``exercise``: it claims the data directory as the TUI does (a second tutor runs
read-only, and says so), loads the progress, prints what the learner must know
about it on stderr, saves with a failure reported once, and releases the
directory when the ``with`` block ends.
"""

from __future__ import annotations

import sys
from types import TracebackType

from tutor.store.locations import data_dir
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore


class ProgressSession:
    """``with ProgressSession() as session:`` then read ``session.progress`` and call ``save()``."""

    def __init__(self) -> None:
        self.store = ProgressStore(data_dir())
        self.progress = Progress()
        self._save_failed = False

    def __enter__(self) -> ProgressSession:
        self.store.claim()
        self.progress = self.store.load()
        for message in dict.fromkeys((self.store.read_only, self.store.notice)):
            if message:
                print(message, file=sys.stderr)
        return self

    def save(self) -> None:
        """Write the progress; a failure is reported once, and the session goes on."""
        try:
            self.store.save(self.progress)
        except OSError as exc:
            if not self._save_failed:
                print(f"Could not save your progress: {exc}", file=sys.stderr)
            self._save_failed = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.store.release()
