"""The learner's progress for one command-line session (no Textual).

Provides :class:`ProgressSession`, used by ``quiz --plain``, ``lesson --plain`` and
``exercise``: it claims the data directory as the TUI does (a second tutor runs
read-only, and says so), loads the progress, prints what the learner must know
about it on stderr, saves, and releases the directory when the ``with`` block ends.

A save that fails (disk full, a read-only file system, a quota) is said at once, as
"not saved", and the progress is kept in memory and written again at the next
change; if it still fails when the session ends, that is said again and
:attr:`ProgressSession.exit_status` is 1.  Nothing is called saved unless
:func:`~tutor.store.atomic.write_atomically` has synced it to disk.
"""

from __future__ import annotations

import sys
from types import TracebackType

from tutor.present.saving import SAVED_AGAIN, lost, not_saved
from tutor.store.locations import data_dir
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore


class ProgressSession:
    """``with ProgressSession() as session:`` then read ``session.progress`` and call ``save()``."""

    def __init__(self) -> None:
        self.store = ProgressStore(data_dir())
        self.progress = Progress()
        self.unsaved: str | None = None
        """Why the last save failed (the progress on disk is older than in memory), or None."""

    def __enter__(self) -> ProgressSession:
        self.store.claim()
        self.progress = self.store.load()
        for message in dict.fromkeys((self.store.read_only, self.store.notice)):
            if message:
                print(message, file=sys.stderr)
        return self

    def save(self) -> bool:
        """Write the progress; whether it is on disk now (False in a read-only session).

        A failure is said once, until a save works again (which is said too).
        """
        if self.store.read_only is not None:
            return False
        try:
            self.store.save(self.progress)
        except OSError as exc:
            if self.unsaved is None:
                print(not_saved(exc.strerror or str(exc)), file=sys.stderr, flush=True)
            self.unsaved = exc.strerror or str(exc)
            return False
        if self.unsaved is not None:
            print(SAVED_AGAIN, file=sys.stderr, flush=True)
        self.unsaved = None
        return True

    @property
    def exit_status(self) -> int:
        """1 if the session ends with progress that could not be saved, else 0."""
        return 1 if self.unsaved is not None else 0

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.unsaved is not None and not self.save():
            print(lost(self.unsaved, self.store.directory), file=sys.stderr)
        self.store.release()
