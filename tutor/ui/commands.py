"""The command-palette provider of "Open lesson …" entries, one per lesson that parsed."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tutor.ui.app import TutorApp


class LessonCommands(Provider):
    """Command-palette entries "Open lesson …" for every lesson that parsed."""

    @property
    def tutor(self) -> TutorApp:
        """The app, typed (the provider is only registered by TutorApp)."""
        return cast("TutorApp", self.app)

    def _commands(self) -> list[tuple[str, str, str]]:
        return [
            (
                f"Open lesson {e.lesson.number} {e.lesson.title}".replace("  ", " "),
                e.lesson.id,
                e.lesson.summary or "Open this lesson",
            )
            for e in self.tutor.load_catalog()
            if e.lesson is not None
        ]

    async def discover(self) -> Hits:
        """Every lesson, when nothing has been typed."""
        for title, lesson_id, help_text in self._commands():
            yield DiscoveryHit(title, partial(self.tutor.open_lesson, lesson_id), help=help_text)

    async def search(self, query: str) -> Hits:
        """Lessons whose title matches what was typed."""
        matcher = self.matcher(query)
        for title, lesson_id, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.tutor.open_lesson, lesson_id),
                    help=help_text,
                )
