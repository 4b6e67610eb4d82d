"""The lessons an app offers: listed from the catalog cache, opened as an outline, parsed whole.

Provides :class:`LessonLibrary`.  The lesson list comes from the catalog cache while the
lesson files are as it validated them (no parsing); a lesson opened from it is read as an
outline (steps and prose, no engine, no NumPy) and parsed whole once a step with a block
is built; anything the cache cannot vouch for loads the whole catalog, parsed and
checked (:meth:`LessonLibrary.load_catalog`, which imports the engine).  No Textual: the
app holds one library and its screens ask it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.store.locations import lesson_dirs

if TYPE_CHECKING:
    from tutor.lesson.card import LessonCard
    from tutor.lesson.catalog import LessonEntry
    from tutor.lesson.model import Lesson


class LessonLibrary:
    """The lesson folders' lessons, parsed no sooner and no more than needed."""

    def __init__(
        self,
        extra_dirs: Sequence[Path],
        cache_dir: Path,
        writable: Callable[[], bool],
        catalog: Sequence[LessonEntry] | None = None,
    ) -> None:
        """``extra_dirs``: lesson folders beside the bundled and the learner's ones;
        ``cache_dir``: where the catalog cache is; ``writable``: whether it may be
        written now; ``catalog``: entries already loaded (the folders are not read)."""
        self.extra_dirs = tuple(Path(d) for d in extra_dirs)
        self.cache_dir = cache_dir
        self.writable = writable
        self._catalog: list[LessonEntry] | None = None if catalog is None else list(catalog)
        self._catalog_lock = threading.Lock()
        self.cached_cards: list[LessonCard] | None = None
        """The lessons as the catalog cache last listed them (read by :meth:`lesson_cards`)."""
        self._opened: dict[str, LessonEntry] = {}
        """Lessons parsed one by one (opened from the cached list), by id."""
        self._cached_prints: dict[str, list[Any]] = {}
        """Each lesson file's ``[path, size, mtime_ns]`` as the catalog cache validated it."""
        self._outlines: dict[str, tuple[Lesson, str]] = {}
        """Lessons opened as an outline (:meth:`lesson_to_open`), with the text read, by id."""

    def load_catalog(self) -> list[LessonEntry]:
        """Parse every lesson file, the first time only (this imports the engine); the entries.

        Safe to call from a worker thread (the home screen loads it off the UI thread).
        """
        with self._catalog_lock:
            if self._catalog is None:
                from tutor.lesson.cache import fingerprint, write_cards
                from tutor.lesson.card import cards_of
                from tutor.lesson.catalog import load_catalog

                directories = lesson_dirs(self.extra_dirs)
                prints = fingerprint(directories)
                self._catalog = list(load_catalog(directories))
                if self.writable():
                    write_cards(self.cache_dir, prints, cards_of(self._catalog))
            return self._catalog

    def lesson_cards(self) -> list[LessonCard] | None:
        """The lesson list: from the catalog once parsed, else from the catalog cache if the
        lesson files are as they were when it was validated (no parsing); None otherwise."""
        from tutor.lesson.card import cards_of

        if self._catalog is not None:
            return cards_of(self._catalog)
        from tutor.lesson.cache import read_cache

        cached = read_cache(self.cache_dir, lesson_dirs(self.extra_dirs))
        self.cached_cards = None if cached is None else cached[0]
        self._cached_prints = {} if cached is None else {p[0]: p for p in cached[1]}
        return self.cached_cards

    def known_lessons(self) -> list[tuple[str, str]]:
        """Each usable lesson's id and number, in the lesson list's order (from the catalog
        cache when the files are as it recorded them, else parsed)."""
        cards = self.lesson_cards()
        if cards is None:
            self.load_catalog()
            cards = self.lesson_cards() or []
        return [(card.id, card.number) for card in cards if card.problem is None]

    @property
    def catalog(self) -> list[LessonEntry]:
        """The entries :meth:`load_catalog` found (empty until it has run)."""
        return self._catalog or []

    @property
    def catalog_loaded(self) -> bool:
        """Whether :meth:`load_catalog` has parsed the lessons already."""
        return self._catalog is not None

    def entry(self, lesson_id: str) -> LessonEntry | None:
        """The catalog entry of the lesson with this id, if it parsed.

        While the home screen lists the lessons from the catalog cache and this lesson's file
        is as it was when validated (by this version of the tutor), only that file is parsed
        (its validation is what the cache records); otherwise, or if it does not parse as it
        did, the whole catalog is loaded (and checked).
        """
        if self._catalog is None and lesson_id not in self._opened:
            card = self._vouched_card(lesson_id)
            if card is not None:
                from tutor.lesson.catalog import LessonEntry
                from tutor.lesson.parser import parse_lesson_file

                parsed = parse_lesson_file(Path(card.path))
                lesson = parsed.lesson
                if lesson is not None and lesson.id == lesson_id and not parsed.problems:
                    self._opened[lesson_id] = LessonEntry(parsed.path, lesson)
        if lesson_id in self._opened and self._catalog is None:
            return self._opened[lesson_id]
        return next(
            (e for e in self.load_catalog() if e.lesson is not None and e.lesson.id == lesson_id),
            None,
        )

    def lesson_to_open(self, lesson_id: str) -> Lesson | None:
        """The lesson to show: read as an outline (steps and prose, its blocks unread: no
        engine, no NumPy) while the catalog cache vouches for its file as it is now, else
        the parsed lesson (:meth:`entry`).  The lesson screen asks :meth:`complete_lesson`
        for the whole lesson when it first builds a step with a block."""
        if self._catalog is None and lesson_id not in self._opened:
            outline = self._outline(lesson_id)
            if outline is not None:
                return outline
        entry = self.entry(lesson_id)
        return None if entry is None else entry.lesson

    def _outline(self, lesson_id: str) -> Lesson | None:
        """The outline of a lesson whose file has the size and modification time it was
        validated at (read once); None if it has not, or does not read as it did."""
        if lesson_id in self._outlines:
            return self._outlines[lesson_id][0]
        card = self._vouched_card(lesson_id)
        if card is None:
            return None
        from tutor.lesson.parser import parse_lesson_text, read_lesson_file

        path = Path(card.path)
        text, _ = read_lesson_file(path)
        if text is None:
            return None
        parsed = parse_lesson_text(text, path, outline=True)
        lesson = parsed.lesson
        if lesson is None or lesson.id != lesson_id or parsed.problems:
            return None
        self._outlines[lesson_id] = (lesson, text)
        return lesson

    def _vouched_card(self, lesson_id: str) -> LessonCard | None:
        """The cached card of a usable lesson whose file still has the size and modification
        time it was validated at; None otherwise."""
        from tutor.lesson.cache import file_print

        card = next((c for c in self.cached_cards or () if c.id == lesson_id), None)
        if card is None or not card.usable:
            return None
        return card if file_print(Path(card.path)) == self._cached_prints.get(card.path) else None

    def complete_lesson(self, lesson: Lesson) -> Lesson:
        """The whole lesson of an outline, parsed once from the text the outline was read
        from (so its steps are the outline's); this imports the engine and NumPy."""
        if lesson.complete or lesson.id not in self._outlines:
            return lesson
        if lesson.id not in self._opened:
            from tutor.lesson.catalog import LessonEntry
            from tutor.lesson.parser import parse_lesson_text

            parsed = parse_lesson_text(self._outlines[lesson.id][1], lesson.path)
            if parsed.lesson is None:
                return lesson
            self._opened[lesson.id] = LessonEntry(parsed.path, parsed.lesson)
        return self._opened[lesson.id].lesson or lesson
