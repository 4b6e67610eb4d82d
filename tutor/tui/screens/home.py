"""The home screen: every lesson found with the learner's progress, broken lessons, the quiz.

Lessons are listed in order, each with its prerequisites: one that names a lesson
of the catalog is marked finished (✓) or not yet (!); a lesson whose prerequisite
is unfinished stays open, and opening it says which one it builds on.

The list is made of :class:`~tutor.lesson.card.LessonCard` s.  In the first frame
they come from the catalog cache (the lessons as last validated, while their files
are unchanged: no parsing, no NumPy), and a lesson is parsed and checked only when
it is opened.  Without a fresh cache the screen shows "Loading lessons…" while the
catalog is parsed and validated in a thread worker after the first frame, which
posts :class:`~tutor.tui.messages.CatalogLoaded`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from tutor.lesson.card import LessonCard, Prerequisite, prerequisites
from tutor.store.progress import LessonProgress, Progress
from tutor.tui.literal import Plain, literal
from tutor.tui.messages import CatalogLoaded
from tutor.tui.screens.base import TutorScreen
from tutor.tui.styles import FINISHED_STYLE, UNFINISHED_STYLE
from tutor.tui.widgets.footer import KeyFooter

BAR_WIDTH = 24
"""Cells of a lesson's progress bar."""
GAP = Content("")
"""The blank line after each entry (an option's padding is not drawn below it)."""


def prerequisites_content(found: Sequence[Prerequisite]) -> Content:
    """``Before this: ✓ 3.4 Backpropagation · ! 3.5 Classification (not finished)``."""
    parts: list[Content] = []
    for prerequisite in found:
        card = prerequisite.card
        if card is None:  # a topic outside the tutor: its name as written
            parts.append(literal(prerequisite.name))
        elif prerequisite.finished:
            parts.append(literal(f"✓ {card.name}", FINISHED_STYLE))
        else:
            parts.append(literal(f"! {card.name} (not finished)", UNFINISHED_STYLE))
    return Content("Before this: ") + Content(" · ").join(parts)


def exam_content(exercise_id: str, passed: bool) -> Content:
    """``Exam: deep-network · ✓ passed``, or ``· not passed yet``."""
    head = literal(f"Exam: {exercise_id} · ", "bold")
    if passed:
        return head + literal("✓ passed", FINISHED_STYLE)
    return head + literal("not passed yet", UNFINISHED_STYLE)


def lesson_prompt(
    card: LessonCard,
    progress: LessonProgress | None,
    found: Sequence[Prerequisite],
    exam_passed: bool = False,
) -> Content:
    """Number and title, summary, prerequisites, the exam, and a progress bar with its words."""
    number = f"{card.number}  " if card.number else ""
    done = card.visited(progress)  # steps past the end not counted
    lines = [literal(f"{number}{card.title}", "bold")]
    if card.summary:
        lines.append(literal(card.summary, "$text-muted"))
    if found:
        lines.append(prerequisites_content(found))
    if card.exam:
        lines.append(exam_content(card.exam, exam_passed))
    words = f"  {done}/{card.steps} steps · {card.progress_words(progress)}"
    lines.append(progress_bar(done, card.steps) + literal(words, "$text-muted"))
    return Content("\n").join([*lines, GAP])


def broken_prompt(card: LessonCard) -> Content:
    """The file's name and its first problem."""
    return Content("\n").join(
        [
            literal(f"✗ {Path(card.path).name} (cannot be opened)", "bold $text-error"),
            literal(card.problem or "could not be read", "$text-muted"),
            GAP,
        ]
    )


QUIZ_PROMPT = Content("\n").join(
    [
        literal("Quiz", "bold"),
        literal(
            "Practise gradient questions graded by the engine, with hints and worked solutions.",
            "$text-muted",
        ),
    ]
)
QUIZ = "quiz"
"""The id of the quiz's option."""


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> Content:
    """``━━━━━━━━━━━━`` in two colours: the steps done and those to go (text, not a widget)."""
    filled = round(width * done / total) if total > 0 else 0
    return Content.assemble(("━" * filled, "$success"), ("━" * (width - filled), "$panel"))


class LessonList(OptionList):
    """Every lesson (broken ones shown, not openable) and the quiz, as one widget."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open")]

    def __init__(self, cards: Sequence[LessonCard], progress: Progress, *, id: str) -> None:
        super().__init__(id=id)
        self.fill(cards, progress)

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar came or went: the options' heights were measured at the other width."""
        self._clear_caches()

    def fill(self, cards: Sequence[LessonCard], progress: Progress) -> None:
        """List ``cards`` (with the learner's ``progress``), then the quiz; keep the highlight."""
        self.cards = {card.id: card for card in cards if card.usable}
        self.found = {card.id: prerequisites(card, cards, progress) for card in self.cards.values()}
        highlighted = self.highlighted
        options = []
        for index, card in enumerate(cards):
            if card.usable:
                exam = progress.exercises.get(_exam_key(card)) if card.exam else None
                solved = exam is not None and exam.solved
                lesson = progress.lessons.get(card.id)
                prompt = lesson_prompt(card, lesson, self.found[card.id], solved)
                options.append(Option(Content.assemble(prompt), id=card.id))
            else:
                prompt = broken_prompt(card)
                options.append(
                    Option(Content.assemble(prompt), id=f"broken-{index}", disabled=True)
                )
        options.append(Option(Content.assemble(QUIZ_PROMPT), id=QUIZ))
        self.set_options(options)
        self.highlighted = highlighted if highlighted is not None else (0 if cards else None)

    def unfinished(self, lesson_id: str) -> list[Prerequisite]:
        """The prerequisite lessons of ``lesson_id`` the learner has not finished."""
        return [p for p in self.found.get(lesson_id, ()) if p.card is not None and not p.finished]


def status_words(cards: Sequence[LessonCard]) -> str:
    """``2 lessons · 1 could not be read · Enter opens``."""
    good = sum(card.usable for card in cards)
    status = f"{good} lesson{'s' if good != 1 else ''}"
    if len(cards) > good:
        status += f" · {len(cards) - good} could not be read"
    return status + " · Enter opens"


class HomeScreen(TutorScreen):
    """The lesson list with progress, and the quiz."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True),
        Binding("z", "app.open_quiz", "Quiz"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        """The lessons as last validated, if their files are unchanged: listed at once."""
        cards = self.tutor.lessons.lesson_cards()
        self.cards: list[LessonCard] | None = cards
        self.left = False
        """Whether another screen has been on top since the list was filled."""
        yield Header()
        yield Plain("Lessons", id="home-heading")
        yield Plain("Loading lessons…" if cards is None else status_words(cards), id="home-status")
        yield LessonList(cards or [], self.tutor.progress, id="lessons")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Without a fresh catalog cache, parse and validate the lessons once the list is drawn
        (so that never delays it); with one, a lesson is parsed only when it is opened."""
        if self.cards is None:
            self.call_after_refresh(self.load_catalog)

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        """Parse every lesson file off the UI thread (once per app) and post CatalogLoaded."""
        try:
            entries = self.tutor.lessons.load_catalog()
        except Exception as exc:  # a catalog bug must not take the app down
            self.post_message(CatalogLoaded((), f"Could not load lessons: {exc}"))
        else:
            self.post_message(CatalogLoaded(entries))

    @on(CatalogLoaded)
    def _catalog_loaded(self, message: CatalogLoaded) -> None:
        """Show the lessons as validated now (unless they are what is listed already)."""
        from tutor.lesson.card import cards_of

        if message.error:
            self.query_one("#home-status", Plain).update(message.error)
            return
        cards = cards_of(message.entries)
        if cards != self.cards:
            self._populate(cards)

    def on_screen_suspend(self) -> None:
        """A lesson or the quiz opened on top: the progress shown may change meanwhile."""
        self.left = True

    def on_screen_resume(self) -> None:
        """Refresh progress when the learner comes back from a lesson (not at the first frame:
        the list was just filled)."""
        if self.left:
            self.progress_reset()

    def progress_reset(self) -> None:
        """Called by the app after "reset progress"."""
        if self.cards is not None and self.is_mounted:
            self._populate(self.cards)

    def _populate(self, cards: list[LessonCard]) -> None:
        self.cards = cards
        lessons = self.query_one(LessonList)
        lessons.fill(cards, self.tutor.progress)
        self.query_one("#home-status", Plain).update(status_words(cards))
        lessons.focus()

    def action_open(self) -> None:
        """Open the highlighted lesson (or the quiz)."""
        lessons = self.query_one(LessonList)
        if lessons.highlighted is not None:
            self._open(lessons.get_option_at_index(lessons.highlighted).id)

    @on(OptionList.OptionSelected, "#lessons")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a lesson opens it."""
        event.stop()
        self._open(event.option.id)

    def _open(self, option: str | None) -> None:
        lessons = self.query_one(LessonList)
        if option == QUIZ:
            self.tutor.action_open_quiz()
        elif option in lessons.cards:
            unfinished = lessons.unfinished(option)
            names = ", ".join(p.card.name for p in unfinished if p.card is not None)
            notice = f"This lesson builds on {names}, which you have not finished yet."
            self.tutor.open_lesson(option, notice if unfinished else "")

    def action_help(self) -> None:
        """Show the help overlay."""
        from tutor.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))


def _exam_key(card: LessonCard) -> str:
    """The key of the learner's progress in the card's exam exercise."""
    from tutor.exercises.model import progress_key
    from tutor.store.locations import bundled_lessons_dir

    lessons = Path(card.path).parent
    bundled = lessons.resolve() == bundled_lessons_dir().resolve()
    return progress_key(lessons, card.exam, bundled=bundled)
