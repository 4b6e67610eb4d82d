"""The command-palette provider of "Open lesson …" entries, one per lesson that parsed.

Titles and summaries come from lesson files, so prompts and help are Content
(:mod:`tutor.tui.literal`): the palette never reads them as markup.  (``help`` is
typed ``str``, but Textual reads it with ``Content.from_markup``, which returns
Content unchanged, and a str would be parsed.)
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tutor.tui.literal import highlighted, literal

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp


class LessonProvider(Provider):
    """Command-palette entries "Open lesson …" for every lesson that parsed."""

    @property
    def tutor(self) -> TutorApp:
        """The app, typed (the provider is only registered by TutorApp)."""
        return cast("TutorApp", self.app)

    def _lessons(self) -> list[tuple[str, str, str]]:
        return [
            (
                f"Open lesson {e.lesson.number} {e.lesson.title}".replace("  ", " "),
                e.lesson.id,
                e.lesson.summary or "Open this lesson",
            )
            for e in self.tutor.lessons.load_catalog()
            if e.lesson is not None
        ]

    async def discover(self) -> Hits:
        """Every lesson, when nothing has been typed."""
        for title, lesson_id, help_text in self._lessons():
            yield DiscoveryHit(
                literal(title),
                partial(self.tutor.open_lesson, lesson_id),
                text=title,
                help=literal(help_text),  # type: ignore[arg-type]  # Content: shown, not markup
            )

    async def search(self, query: str) -> Hits:
        """Lessons whose title matches what was typed."""
        matcher = self.matcher(query)
        for title, lesson_id, help_text in self._lessons():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(title, matcher),
                    partial(self.tutor.open_lesson, lesson_id),
                    text=title,
                    help=literal(help_text),  # type: ignore[arg-type]  # Content: shown, not markup
                )
