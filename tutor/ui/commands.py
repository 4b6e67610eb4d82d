"""The command-palette provider of "Open lesson …" entries, one per lesson that parsed."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class LessonCommands(Provider):
    """Command-palette entries "Open lesson …" for every lesson that parsed."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app: Any = self.app
        return [
            (
                f"Open lesson {e.lesson.number} {e.lesson.title}".replace("  ", " "),
                e.lesson.id,
                e.lesson.summary or "Open this lesson",
            )
            for e in app.catalog
            if e.lesson is not None
        ]

    async def discover(self) -> Hits:
        """Every lesson, when nothing has been typed."""
        app: Any = self.app
        for title, lesson_id, help_text in self._commands():
            yield DiscoveryHit(title, partial(app.open_lesson, lesson_id), help=help_text)

    async def search(self, query: str) -> Hits:
        """Lessons whose title matches what was typed."""
        app: Any = self.app
        matcher = self.matcher(query)
        for title, lesson_id, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(app.open_lesson, lesson_id),
                    help=help_text,
                )
