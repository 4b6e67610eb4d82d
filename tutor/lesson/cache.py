"""The lesson list as last validated, kept in the data directory while its files are unchanged.

Provides :func:`lesson_files` (the ``*.md`` files of lesson directories, or files
given), :func:`fingerprint` (each file's path, size and modification time; one file's is
:func:`file_print`), :func:`read_cards` (the cached :class:`~tutor.lesson.card.LessonCard`
list, if every lesson file still has the size and modification time it had when the list
was validated, and the tutor's version is the same; :func:`read_cache` gives the files'
fingerprint with it) and :func:`write_cards`.  Reading
needs no parsing, no validation and no NumPy, so the home screen lists the lessons in
its first frame while the catalog is parsed and validated again in the background.
Nothing here raises on a missing or damaged cache: it is rebuilt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tutor import __version__
from tutor.lesson.card import LessonCard
from tutor.store.atomic import write_atomically
from tutor.store.files import is_directory, list_directory, real_path

CACHE_FILE = "lesson-catalog.json"
FORMAT = 2  # 2: a card names a prediction by its block and target


def lesson_files(paths: Iterable[Path]) -> list[Path]:
    """Each path that is a file, and the ``*.md`` entries directly inside each directory, once.

    Entries that are no regular file (a FIFO, a dangling link, a link loop, an
    unreadable file) are kept, so that they are listed with the reason they cannot be
    read; folders are not.  A folder that cannot be listed gives no files (see
    :func:`unlistable`).
    """
    found: dict[Path, Path] = {}  # resolved → as given, first occurrence kept
    for path in paths:
        files = [path]
        if is_directory(path):
            try:
                files = [p for p in list_directory(path) if _lesson_name(p) and not is_directory(p)]
            except OSError:  # an unreadable folder: the catalog lists it with the reason
                files = []
        for file in files:
            found.setdefault(real_path(file), file)
    return list(found.values())


def _lesson_name(path: Path) -> bool:
    return path.name.endswith(".md") and not path.name.startswith(".")


def unlistable(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """Each folder of ``paths`` that cannot be listed, with the reason."""
    found = []
    for path in paths:
        if is_directory(path):
            try:
                list_directory(path)
            except OSError as exc:
                found.append((path, f"cannot list the folder ({exc.strerror or exc})"))
    return found


def file_print(path: Path) -> list[Any]:
    """``[path, size, mtime_ns]`` of one file (``-1, -1`` if it is missing)."""
    try:
        stat = path.stat()
    except OSError:
        return [str(path), -1, -1]
    return [str(path), stat.st_size, stat.st_mtime_ns]


def fingerprint(directories: Sequence[Path]) -> list[list[Any]]:
    """:func:`file_print` of every lesson file."""
    return [file_print(path) for path in lesson_files(directories)]


def read_cards(data_dir: Path, directories: Sequence[Path]) -> list[LessonCard] | None:
    """The cached cards, if the lesson files are as they were when validated; else None."""
    cached = read_cache(data_dir, directories)
    return None if cached is None else cached[0]


def read_cache(
    data_dir: Path, directories: Sequence[Path]
) -> tuple[list[LessonCard], list[list[Any]]] | None:
    """The cached cards and the files' fingerprint they were validated at, if the files are
    as they were then; else None."""
    try:
        data = json.loads((data_dir / CACHE_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != __version__:
            return None
        prints = fingerprint(directories)
        if data.get("files") != prints:
            return None
        return [LessonCard.from_dict(card) for card in data["cards"]], prints
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def write_cards(data_dir: Path, prints: list[list[Any]], cards: Sequence[LessonCard]) -> None:
    """Keep ``cards``, validated from files with fingerprint ``prints`` (failures are ignored)."""
    data = {
        "format": FORMAT,
        "version": __version__,
        "files": prints,
        "cards": [card.to_dict() for card in cards],
    }
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(data_dir / CACHE_FILE, json.dumps(data))
    except OSError:
        return  # a cache that cannot be kept is only a slower next start
