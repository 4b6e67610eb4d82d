"""The home screen: every lesson found with the learner's progress, broken lessons, the quiz.

Lessons are listed in order, each with its prerequisites: one that names a lesson
of the catalog is marked finished (✓) or not yet (!); a lesson whose prerequisite
is unfinished stays open, and opening it says which one it builds on.

The lesson catalog is parsed in a thread worker after the first frame (parsing
imports the engine and NumPy), so the screen appears at once with "Loading lessons…";
the worker posts :class:`~tutor.ui.messages.CatalogLoaded` and the list is filled then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Header, ListItem, ListView, ProgressBar

from tutor.store.progress import LessonProgress
from tutor.ui.literal import Plain, literal
from tutor.ui.messages import CatalogLoaded
from tutor.ui.screens.base import TutorScreen
from tutor.ui.styles import FINISHED_STYLE, UNFINISHED_STYLE

if TYPE_CHECKING:
    from tutor.lesson.catalog import LessonEntry, Prerequisite
    from tutor.lesson.model import Lesson


def progress_words(progress: LessonProgress | None, lesson: Lesson) -> str:
    """ "not started", "resume at step 5", "2 questions to answer" or "finished".

    Finished means every step visited and every prediction and question answered.
    """
    from tutor.lesson.summary import summarise

    steps = len(lesson.steps)
    if progress is None or (progress.step == 0 and not progress.finished_steps):
        return "not started"
    summary = summarise(lesson, progress)
    if summary.finished:
        return "finished"
    if summary.visited >= steps and summary.to_do:
        return f"{summary.to_do} to answer" if summary.to_do > 1 else "1 to answer"
    return f"resume at step {min(progress.step, max(steps - 1, 0)) + 1}"


def prerequisites_content(found: Sequence[Prerequisite]) -> Content:
    """``Before this: ✓ 3.4 Backpropagation · ! 3.5 Classification (not finished)``."""
    parts: list[Content] = []
    for prerequisite in found:
        lesson = prerequisite.lesson
        if lesson is None:  # a topic outside the tutor: its name as written
            parts.append(Content(prerequisite.name))
            continue
        name = f"{lesson.number} {lesson.title}".strip()
        if prerequisite.finished:
            parts.append(Content.styled(f"✓ {name}", FINISHED_STYLE))
        else:
            parts.append(Content.styled(f"! {name} (not finished)", UNFINISHED_STYLE))
    return Content("Before this: ") + Content(" · ").join(parts)


class LessonItem(ListItem):
    """One lesson: number, title, summary, prerequisites, steps and progress."""

    def __init__(
        self,
        entry: LessonEntry,
        progress: LessonProgress | None,
        prerequisites: Sequence[Prerequisite] = (),
    ) -> None:
        super().__init__(classes="lesson-item")
        self.entry = entry
        self.lesson_progress = progress
        self.prerequisites = tuple(prerequisites)

    @property
    def unfinished(self) -> list[Prerequisite]:
        """The prerequisite lessons of the catalog the learner has not finished."""
        return [p for p in self.prerequisites if p.lesson is not None and not p.finished]

    def compose(self) -> ComposeResult:
        from tutor.lesson.summary import summarise

        lesson = self.entry.lesson
        assert lesson is not None
        steps = len(lesson.steps)
        number = f"{lesson.number}  " if lesson.number else ""
        done = summarise(lesson, self.lesson_progress).visited  # steps past the end not counted
        bar = ProgressBar(total=max(steps, 1), show_eta=False, show_percentage=False)
        bar.progress = done  # set here: the list may be redrawn before this item finishes mounting
        with Vertical():
            yield Plain(literal(f"{number}{lesson.title}", "bold"), classes="lesson-title")
            if lesson.summary:
                yield Plain(lesson.summary, classes="lesson-summary")
            if self.prerequisites:
                yield Plain(prerequisites_content(self.prerequisites), classes="lesson-prereqs")
            with Horizontal(classes="lesson-meta"):
                yield bar
                yield Plain(
                    f"{done}/{steps} steps · {progress_words(self.lesson_progress, lesson)}",
                    classes="lesson-progress",
                )


class BrokenItem(ListItem):
    """A lesson file that could not be read: its name and first problem; not openable."""

    def __init__(self, entry: LessonEntry) -> None:
        super().__init__(classes="broken-item", disabled=True)
        self.entry = entry

    def compose(self) -> ComposeResult:
        problem = str(self.entry.problems[0]) if self.entry.problems else "could not be read"
        yield Plain(f"✗ {self.entry.path.name} (cannot be opened)", classes="lesson-title")
        yield Plain(problem, classes="broken-problem")


class QuizItem(ListItem):
    """The entry that opens the quiz."""

    def compose(self) -> ComposeResult:
        yield Plain(literal("Quiz", "bold"), classes="lesson-title")
        yield Plain(
            "Practise gradient questions graded by the engine, with hints and worked solutions.",
            classes="lesson-summary",
        )


class HomeScreen(TutorScreen):
    """The lesson list with progress, and the quiz."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True),
        Binding("z", "app.open_quiz", "Quiz"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain("Lessons", id="home-heading")
        yield Plain("Loading lessons…", id="home-status")
        yield ListView(id="lessons")
        yield Footer()

    def on_mount(self) -> None:
        """Load the lessons after the first frame, so parsing (and NumPy) never delays it."""
        self.call_after_refresh(self.load_catalog)

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        """Parse every lesson file off the UI thread (once per app) and post CatalogLoaded."""
        try:
            entries = self.tutor.load_catalog()
        except Exception as exc:  # a catalog bug must not take the app down
            self.post_message(CatalogLoaded((), f"Could not load lessons: {exc}"))
        else:
            self.post_message(CatalogLoaded(entries))

    @on(CatalogLoaded)
    def _catalog_loaded(self, message: CatalogLoaded) -> None:
        """Show the lessons once parsed (or the reason they could not be)."""
        if message.error:
            self.query_one("#home-status", Plain).update(message.error)
            return
        self._populate(message.entries)

    def on_screen_resume(self) -> None:
        """Refresh progress when the learner comes back from a lesson."""
        if self.tutor.catalog_loaded and self.is_mounted:
            self._populate(self.tutor.catalog)

    def progress_reset(self) -> None:
        """Called by the app after "reset progress"."""
        self.on_screen_resume()

    def _populate(self, entries: Sequence[LessonEntry]) -> None:
        from tutor.lesson.catalog import prerequisites

        progress = self.tutor.progress
        lessons = [entry.lesson for entry in entries if entry.lesson is not None]
        list_view = self.query_one("#lessons", ListView)
        index = list_view.index
        items: list[ListItem] = []
        for entry in entries:
            if entry.lesson is None:
                items.append(BrokenItem(entry))
            else:
                items.append(
                    LessonItem(
                        entry,
                        progress.lessons.get(entry.lesson.id),
                        prerequisites(entry.lesson, lessons, progress),
                    )
                )
        items.append(QuizItem())
        list_view.clear()
        list_view.extend(items)
        good = sum(1 for e in entries if e.lesson is not None)
        broken = len(entries) - good
        status = f"{good} lesson{'s' if good != 1 else ''}"
        if broken:
            status += f" · {broken} could not be read"
        self.query_one("#home-status", Plain).update(status + " · Enter opens")
        list_view.index = index if index is not None else 0
        list_view.focus()

    def action_open(self) -> None:
        """Open the highlighted lesson (or the quiz)."""
        item = self.query_one("#lessons", ListView).highlighted_child
        self._open(item)

    @on(ListView.Selected, "#lessons")
    def _selected(self, event: ListView.Selected) -> None:
        """Enter or a click on an item opens it."""
        event.stop()
        self._open(event.item)

    def _open(self, item: ListItem | None) -> None:
        if isinstance(item, LessonItem) and item.entry.lesson is not None:
            self.tutor.open_lesson(item.entry.lesson.id)
            if item.unfinished:
                names = ", ".join(
                    f"{p.lesson.number} {p.lesson.title}".strip()
                    for p in item.unfinished
                    if p.lesson is not None
                )
                self.notify(f"This lesson builds on {names}, which you have not finished yet.")
        elif isinstance(item, QuizItem):
            self.tutor.action_open_quiz()
        elif isinstance(item, BrokenItem):
            self.notify("This lesson cannot be opened: " + str(item.entry.problems[0]))

    def action_help(self) -> None:
        """Show the help overlay."""
        from tutor.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
