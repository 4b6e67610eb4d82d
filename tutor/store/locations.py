"""Where backprop-tutor keeps learner data and finds lesson scripts.

Provides :func:`data_dir` (``$BACKPROP_TUTOR_HOME``, else
``$XDG_DATA_HOME/backprop-tutor``), :func:`bundled_lessons_dir` (the packaged copy
in a wheel, else the checkout's ``lessons/``) and :func:`lesson_dirs` (every
directory lessons are loaded from, in order, without duplicates).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tutor.store.files import real_path

APP_NAME = "backprop-tutor"
HOME_ENV = "BACKPROP_TUTOR_HOME"
LESSONS_ENV = "BACKPROP_TUTOR_LESSONS"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The learner's data directory (not created here)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / APP_NAME


def bundled_lessons_dir() -> Path:
    """The lessons shipped with the package: ``tutor/_lessons`` or the checkout's ``lessons/``."""
    packaged = _PACKAGE_DIR / "_lessons"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "lessons"


def _env_lesson_dirs() -> list[Path]:
    raw = os.environ.get(LESSONS_ENV, "")
    return [Path(part).expanduser() for part in raw.split(os.pathsep) if part.strip()]


def lesson_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """Lesson directories: bundled, ``extra`` (``--lessons``), then ``$BACKPROP_TUTOR_LESSONS``.

    Paths are resolved and duplicates dropped, keeping the first occurrence.
    """
    seen: set[Path] = set()
    result: list[Path] = []
    for directory in [bundled_lessons_dir(), *map(Path, extra), *_env_lesson_dirs()]:
        resolved = real_path(directory.expanduser())  # a link loop does not raise
        if resolved not in seen:
            seen.add(resolved)
            result.append(resolved)
    return result
