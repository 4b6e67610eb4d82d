"""Reading and writing ``progress.json``: :class:`ProgressStore`, a forgiving load and an
atomic save.

Loading never raises: a file that cannot be read as a progress object is moved
aside, invalid single fields fall back to their defaults
(:mod:`tutor.store.progress_decode`; the original is copied aside first), and
``store.notice`` says what happened in words the UI can show.

Progress is never lost: a file that exists but cannot be read (a root-owned file
left by ``sudo``, say), or a damaged one that cannot be set aside, makes the
session read-only (``store.read_only`` says why and how to fix it) and is never
overwritten.  :meth:`ProgressStore.claim` takes the data directory's advisory
lock (:mod:`tutor.store.lock`; a second tutor runs read-only) and removes temp
files a killed save left behind.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from tutor.store import tries
from tutor.store.atomic import write_atomically
from tutor.store.files import read_regular_file
from tutor.store.lock import DataDirLock
from tutor.store.permissions import fix_hint, why_unreadable
from tutor.store.progress import Progress
from tutor.store.progress_decode import DamagedProgress, progress_from_dict
from tutor.store.served import served, shown_path

FILENAME = "progress.json"
TEMP_PREFIX = ".progress-"
MAX_FILE_BYTES = 50_000_000
SERVED_ELSEWHERE = (
    "Your work is not being saved in this window: the tutor is open for you in another "
    "browser tab or window. Close the other one, then reload this page to save here."
)
SERVED_UNWRITABLE = (
    "Your work cannot be saved on the class server just now. Tell your teacher; "
    "you can go on, but what you do here will not be kept."
)


class ProgressStore:
    """Loads and atomically saves :class:`Progress` as ``progress.json`` in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / FILENAME
        self.notice: str | None = None
        """A message for the learner about the last load (damage found), or None."""
        self.read_only: str | None = None
        """Why this session saves nothing, with how to fix it (for a banner); None: it saves."""
        self._lock = DataDirLock(self.directory)

    def claim(self) -> None:
        """Take the data directory for this session: call once, before :meth:`load`.

        Holding the lock, temp files a killed save left behind are removed.  If
        another tutor holds it, or the directory cannot be written, the session
        is read-only.
        """
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            held = self._lock.acquire()
        except OSError as exc:
            if served():
                self.read_only = SERVED_UNWRITABLE
                return
            self.read_only = (
                f"Progress will not be saved: the data directory {self.directory} cannot be "
                f"written ({exc.strerror or exc}). {fix_hint(self.directory)}"
            )
            return
        if not held and served():
            self.read_only = SERVED_ELSEWHERE
            return
        if not held:
            self.read_only = (
                f"Progress will not be saved: another backprop-tutor ({self._lock.holder()}) "
                f"is using {self.directory}, and only one saves at a time. Close it and start "
                "again to save here."
            )
            return
        for leftover in self.directory.glob(TEMP_PREFIX + "*"):
            leftover.unlink(missing_ok=True)
        tries.open_log(self.directory)

    def release(self) -> None:
        """Give up the data directory's lock (the end of the session)."""
        if self._lock.held:
            tries.close_log()
        self._lock.release()

    def load(self) -> Progress:
        """Read the saved progress; never raises, and sets :attr:`notice` if something was wrong."""
        self.notice = None
        try:
            raw = read_regular_file(self.path, MAX_FILE_BYTES)
        except FileNotFoundError:
            return Progress()
        except OSError as exc:
            self._refuse(exc)
            return Progress()
        problems: list[str] = []
        try:
            if len(raw) > MAX_FILE_BYTES:
                raise DamagedProgress(f"it is larger than {MAX_FILE_BYTES // 1_000_000} MB")
            progress = progress_from_dict(json.loads(raw.decode("utf-8")), problems)
        except (UnicodeDecodeError, ValueError, RecursionError):
            target = self._set_aside(raw, move=True)
            if target is not None:
                self.notice = (
                    f"Your progress file was damaged and has been moved to {shown_path(target)}; "
                    "starting fresh."
                )
            return Progress()
        if problems:
            target = self._set_aside(raw, move=False)
            if target is not None:
                more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
                self.notice = (
                    f"Some of your progress file could not be used and has been reset "
                    f"({problems[0]}{more}); the original is kept at {shown_path(target)}."
                )
                if self._lock.held:  # write the repaired file, so no later start copies it again
                    self.save(progress)
        return progress

    def _refuse(self, exc: OSError) -> None:
        """The file exists but cannot be read: keep it intact and save nothing this session."""
        if served():
            self.read_only = self.notice = SERVED_UNWRITABLE
            return
        self.read_only = self.notice = (
            f"Progress will not be saved: your progress file {self.path} cannot be read "
            f"({why_unreadable(exc)}), and it is kept as it is. {fix_hint(self.path, exc)}"
        )

    def save(self, progress: Progress) -> None:
        """Write ``progress`` atomically (:func:`~tutor.store.atomic.write_atomically`).

        Does nothing in a read-only session (see :attr:`read_only`).
        """
        self.write(self.encode(progress))

    @staticmethod
    def encode(progress: Progress) -> str:
        """``progress`` as the text of the file (a snapshot: later changes do not reach it)."""
        return json.dumps(progress.to_dict(), indent=2, sort_keys=True, allow_nan=False)

    def write(self, text: str) -> None:
        """Write text made by :meth:`encode` atomically; creates the directory.

        Does nothing in a read-only session (see :attr:`read_only`).
        """
        if self.read_only is not None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, text + "\n", temp_prefix=TEMP_PREFIX)

    def keep_copy(self, label: str) -> Path | None:
        """Copy the saved file aside as ``progress.json.LABEL-STAMP``; None if there is none.

        Any other failure to read or write raises ``OSError``, so nothing is lost silently.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        target = self._unique_name(label)
        target.write_bytes(raw)
        return target

    def _unique_name(self, label: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{FILENAME}.{label}-{stamp}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{FILENAME}.{label}-{stamp}-{n}")
            n += 1
        return target

    def _set_aside(self, raw: bytes, *, move: bool) -> Path | None:
        """Move (or copy) the damaged file to a unique name; None (and a notice) on failure."""
        target = self._unique_name("damaged")
        try:
            if move:
                os.replace(self.path, target)
            else:
                target.write_bytes(raw)
        except OSError as exc:
            if served():
                self.read_only = self.notice = SERVED_UNWRITABLE
                return None
            self.read_only = (
                f"Progress will not be saved: your progress file {self.path} is damaged and "
                f"could not be set aside ({exc.strerror or exc}), so it is kept as it is. "
                f"{fix_hint(self.directory)}"
            )
            self.notice = self.read_only
            return None
        return target
