"""A new learner's tutor lists the lessons in its first frame: the class's catalog cache.

Provides :func:`prepare` (the server parses and validates the lessons once, at
start, into the class folder's cache) and :func:`seed` (a copy of it in a learner's
data directory before their tutor starts, unless they have one).  Without it
every learner's first start parses every lesson, about a CPU-second each, all at
the start of a class.  The copy is the tutor's own cache, checked by the tutor
against the lesson files as always, so a stale copy is only rebuilt.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from tutor.lesson.cache import CACHE_FILE, fingerprint, write_cards
from tutor.lesson.card import cards_of
from tutor.lesson.catalog import load_catalog


def prepare(shared: Path, directories: Sequence[Path]) -> None:
    """Write the catalog cache of ``directories`` into ``shared`` (made if missing)."""
    shared.mkdir(parents=True, exist_ok=True)
    write_cards(shared, fingerprint(directories), cards_of(load_catalog(directories)))


def seed(learner: Path, shared: Path) -> None:
    """Copy the class's catalog cache into a learner's data directory that has none."""
    source, target = shared / CACHE_FILE, learner / CACHE_FILE
    if source.is_file() and not target.exists():
        learner.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, target)
        except OSError:
            target.unlink(missing_ok=True)  # the tutor builds its own
