"""The tutor's Textual app and :func:`make_app`, the factory the CLI and the tests use.

The app owns the learner's progress (one :class:`~tutor.store.progress_file.ProgressStore`),
its lessons (a :class:`~tutor.lesson.library.LessonLibrary`, which parses them only when
needed, since parsing lessons imports NumPy) and the app-wide commands: open a lesson, the quiz,
dark/light, reset progress.  Screens reach it as ``self.tutor``
(:class:`~tutor.tui.screens.base.TutorScreen`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tutor.lesson.library import LessonLibrary
from tutor.present.saving import SAVED_AGAIN, lost, not_saved
from tutor.store.locations import data_dir as default_data_dir
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.store.saver import LatestWriter
from tutor.store.served import learner_name, served, shown_path
from tutor.text.visible import visible
from tutor.tui.hangup import watch_for_hangup
from tutor.tui.messages import ProgressWritten
from tutor.tui.screens.base import TutorScreen

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.timer import Timer

    from tutor.lesson.catalog import LessonEntry
    from tutor.quiz.session import QuizOptions

HOME, QUIZ, LESSON_PREFIX = "home", "quiz", "lesson:"
IDLE_COLLECT_AFTER = 5
"""Younger-generation collections after which an idle moment does a full collection
(Python does one after ten, wherever it falls)."""
YOUNG_COLLECT_AFTER = 10_000
"""Allocations between collections of the youngest generation (Python's default is 700).
A step change allocates many short-lived objects; at 700 it ran several collections of the
middle generation, so the idle full collection came after nearly every step, a fifth of
the step's CPU time."""
SAVE_AFTER = 2.0
"""Seconds a change that may wait (a reveal) waits to be written: keys pressed meanwhile
share one write.  Quitting writes it at once, and so do SIGTERM and SIGHUP before the
process ends as they would have it end."""
CLOSING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _lesson_provider() -> type[Provider]:
    """The lesson provider, imported when the palette first opens (keeps startup light)."""
    from tutor.tui.palette import LessonProvider

    return LessonProvider


class TutorApp(App[int]):
    """backprop-tutor: lessons, derivations, training and quizzes in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tutor"
    COMMANDS = App.COMMANDS | {_lesson_provider}
    # Textual declares the breakpoints as instance attributes, so not ClassVar here.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-too-small-w"),
        (40, "-narrow"),  # below 80 columns the outline starts hidden (it would take a quarter)
        (80, "-normal"),
        (100, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-too-small-h"),
        (12, "-tall"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,  # the footer shows the palette key on its right already
            priority=True,
            tooltip="Open the command palette",
        ),
        Binding("ctrl+t", "toggle_dark", "Dark/light", show=False),
    ]

    def __init__(
        self,
        *,
        lessons_dirs: Sequence[Path] = (),
        data_dir: Path | None = None,
        start: str = HOME,
        quiz_options: QuizOptions | None = None,
        catalog: Sequence[LessonEntry] | None = None,
    ) -> None:
        super().__init__()
        learner = learner_name()
        if learner is not None:  # served to a class: the header says whose tutor this is
            self.sub_title = learner
        self.store = ProgressStore(data_dir if data_dir is not None else default_data_dir())
        self.store.claim()
        self.writer = LatestWriter(self.store)
        self._save_failing = False
        self._save_timer: Timer | None = None
        self.progress: Progress = self.store.load()
        self.unsaved: str | None = None
        """Why the last progress could not be written as the app closed (the CLI says so)."""
        self.key_time = 0.0
        """When the key being handled was pressed (monotonic seconds, as Textual stamps events):
        the lesson screen drops ``n`` presses made while a step was still being drawn."""
        self.outline_shown: dict[str, bool] = {}
        """Whether the learner showed (True) or hid the lesson outline, by width class."""
        self.start = start
        self.quiz_options = quiz_options
        self.lessons = LessonLibrary(
            lessons_dirs, self.store.directory, lambda: self.store.read_only is None, catalog
        )
        """The lessons offered: listed, opened as outlines, parsed when needed."""
        self.crash: Exception | None = None
        """The first unhandled exception, for the crash log (None while all is well)."""

    # ----------------------------------------------------------------- progress
    @property
    def read_only(self) -> str | None:
        """Why this session saves no progress, with the fix (a banner on every screen); or None."""
        return self.store.read_only

    def save_progress(self) -> None:
        """Take a snapshot of the progress now and write it on a thread, off the keys' way.

        A failure is reported once (until a save works); the app writes whatever is
        still pending when it closes.
        """
        self.writer.offer(self.progress)
        self._write_progress()

    def save_progress_soon(self) -> None:
        """A change that may wait a moment (a reveal): written within :data:`SAVE_AFTER`
        seconds, one write for the keys pressed meanwhile; quitting or being told to stop
        (SIGTERM, SIGHUP) writes it at once."""
        self.writer.note_changed()
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_AFTER, self._save_noted)

    def _save_noted(self) -> None:
        self._save_timer = None
        if self.writer.changed:
            self.save_progress()

    @work(thread=True, group="progress", exit_on_error=False)
    def _write_progress(self) -> None:
        """Write the newest snapshot (thread); say how it went if that changes anything."""
        try:
            self.writer.write_latest()
        except OSError as exc:
            self.post_message(ProgressWritten(str(exc)))
        else:
            if self._save_failing:
                self.post_message(ProgressWritten(None))

    @on(ProgressWritten)
    def _progress_written(self, message: ProgressWritten) -> None:
        """Report a failed save once, until a save works again."""
        if message.error is not None and not self._save_failing:
            self.notify(not_saved(message.error), severity="error", timeout=12)
        elif message.error is None and self._save_failing:
            self.notify(SAVED_AGAIN)
        self._save_failing = message.error is not None

    def _handle_exception(self, error: Exception) -> None:
        """Keep the first unhandled exception for the crash log; Textual then exits (code 1).

        Overrides Textual 8.2's private hook (pinned in pyproject; a UI test guards it).
        """
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification; its text is never parsed as markup, whoever sends it.

        Widgets' ``notify`` passes ``markup=True`` by default: it is ignored here, so a
        message quoting a lesson, a file name or a saved string is shown as written.  A
        screen with a :class:`NoticeLine` (the lesson screen) shows it there, in its own
        rows, so it never covers the step.
        """
        from tutor.tui.widgets.notice_line import NoticeLine

        message, title = visible(message, lines=True), visible(title)
        lines = self.screen.query(NoticeLine)
        if lines:
            lines.first().show(f"{title}: {message}" if title else message, severity, timeout)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """Ctrl+C: say which key quits (Textual's own message is markup)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def on_unmount(self) -> None:
        """Write what is still pending (a failure is kept to report), then let another
        tutor save into the data directory."""
        for number in CLOSING_SIGNALS:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                asyncio.get_running_loop().remove_signal_handler(number)
        try:
            self.writer.flush(self.progress)
        except OSError as exc:
            self.unsaved = lost(exc.strerror or str(exc), self.store.directory)
        self.store.release()

    async def on_event(self, event: events.Event) -> None:
        """Note when the key being handled was pressed (see :attr:`key_time`)."""
        if isinstance(event, events.Key):
            self.key_time = event.time
        await super().on_event(event)

    def _started(self) -> None:
        """After the first frame: if the start-up ran without garbage collection (the CLI
        turns it off), what was loaded lives as long as the app: freeze it, collect again,
        less often than Python would (:data:`YOUNG_COLLECT_AFTER`)."""
        if not gc.isenabled():
            gc.freeze()
            _, middle, oldest = gc.get_threshold()
            gc.set_threshold(YOUNG_COLLECT_AFTER, middle, oldest)
            gc.enable()

    def collect_garbage(self) -> None:
        """At an idle moment (the learner is reading): a full garbage collection, if one is due.

        Python collects the oldest generation after ten collections of the younger
        ones, wherever that falls; with a lesson's widgets that takes 0.1–0.2 s, too
        long to spend between a key and its screen, so screens call this when idle.
        """
        if gc.get_count()[2] >= IDLE_COLLECT_AFTER:
            gc.collect()

    # ------------------------------------------------------------------ screens
    @property
    def _background_screens(self) -> list[Screen]:
        """The screens seen through the top one.  Textual 8.2 counts the one beneath as seen
        even under an opaque screen: each resize laid the home screen out under a lesson and
        then repainted the whole lesson screen twice.  A screen shown again is laid out at
        the size of the day by Textual (and styled for it by :class:`TutorScreen`)."""
        stack = self.screen_stack
        if stack and stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens

    def get_default_screen(self) -> Screen:
        """The home screen is the bottom of the stack, drawn in the first frame."""
        from tutor.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        """Report a damaged progress file or a read-only session, then open what was asked for."""
        self.call_after_refresh(self._started)
        loop = asyncio.get_running_loop()
        for number in CLOSING_SIGNALS:  # not in a thread's loop (a test's)
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.add_signal_handler(number, self._told_to_stop, number)
        if not self.is_headless and sys.__stdin__ is not None:  # a terminal gone, SIGHUP or not
            with contextlib.suppress(OSError, ValueError):
                watch_for_hangup(
                    sys.__stdin__.fileno(), loop, lambda: self._told_to_stop(signal.SIGHUP)
                )
        if self.store.read_only:
            self.notify(self.store.read_only, title="Not saving", severity="error", timeout=30)
        if self.store.notice and self.store.notice != self.store.read_only:
            self.notify(self.store.notice, title="Progress", severity="warning", timeout=12)
        if self.start == QUIZ:
            self.action_open_quiz()
        elif self.start.startswith(LESSON_PREFIX):
            self.open_lesson(self.start.removeprefix(LESSON_PREFIX))

    def _told_to_stop(self, number: int) -> None:
        """SIGTERM or SIGHUP (the terminal or the class server closed): write the progress,
        then end as the signal would have.  Not Textual's exit: with the terminal gone it
        can wait forever, leaving the process behind."""
        with contextlib.suppress(OSError):
            self.writer.flush(self.progress)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)

    def open_lesson(self, lesson_id: str, notice: str = "") -> None:
        """Open a lesson on top of the home screen, resuming where the learner was.

        ``notice``: said on the lesson screen as it opens (in its notice line).
        """
        lesson = self.lessons.lesson_to_open(lesson_id)
        if lesson is None:
            self.notify(f"No lesson with id {lesson_id!r}.", severity="error")
            return
        from tutor.tui.screens.lesson import LessonScreen

        self._back_to_home()
        self.push_screen(LessonScreen(lesson, notice=notice))

    def _back_to_home(self) -> None:
        from tutor.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_open_quiz(self) -> None:
        """Open the quiz screen (written in ``tutor.tui.screens.quiz``)."""
        try:
            from tutor.quiz.session import QuizOptions
            from tutor.tui.screens.quiz import QuizScreen
        except ImportError as exc:
            self.notify(f"The quiz is not available: {exc}", severity="error")
            return
        options = self.quiz_options if self.quiz_options is not None else QuizOptions()
        self.quiz_options = None
        self._back_to_home()
        self.push_screen(QuizScreen(options))

    def action_download_worksheet(self) -> None:
        """Send a quiz worksheet with its answer key to the browser as a download."""
        self._make_worksheet()

    @work(thread=True, group="worksheet", exit_on_error=False)
    def _make_worksheet(self) -> None:
        """Draw the worksheet's questions off the UI thread, then hand the text to the browser."""
        import io

        from tutor.present.worksheet import worksheet_markdown
        from tutor.quiz.session import QuizOptions, plan_questions

        options = QuizOptions()
        seed, questions = plan_questions(options)
        text = worksheet_markdown(options, seed, questions)
        self.call_from_thread(
            self.deliver_text, io.StringIO(text), save_filename=f"worksheet-{seed}.md"
        )

    def action_reset_progress(self) -> None:
        """Ask first; then keep a copy of the old progress and start everything afresh."""
        from tutor.tui.dialogs.confirm import ConfirmScreen

        question = (
            "Reset all progress? Every lesson starts again at step 1 and the quiz forgets "
            "your record. A copy of the old progress file is kept."
        )
        self.push_screen(ConfirmScreen(question, "Reset"), self._reset_confirmed)

    def _reset_confirmed(self, confirmed: bool | None) -> None:
        """Reset after the learner said yes."""
        if not confirmed:
            return
        try:
            self.writer.flush(self.progress)  # the copy kept is the newest progress
            kept = self.store.keep_copy("before-reset")
        except OSError as exc:
            self.notify(f"Not reset: could not keep a copy first ({exc}).", severity="error")
            return
        self.progress = Progress()
        self.save_progress()
        for screen in self.screen_stack:
            if isinstance(screen, TutorScreen):
                screen.progress_reset()
        where = f" The old progress is kept in {shown_path(kept)}." if kept else ""
        self.notify(f"Progress reset: every lesson starts again at step 1.{where}")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The built-in commands plus the quiz, dark/light and reset progress."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Quiz", "Practise gradient questions", self.action_open_quiz)
        yield SystemCommand(
            "Toggle dark/light", "Switch between the dark and light theme", self.action_toggle_dark
        )
        if served():
            yield SystemCommand(
                "Download a quiz worksheet",
                "Ten questions with an answer key, as a Markdown file",
                self.action_download_worksheet,
            )
        yield SystemCommand(
            "Reset progress",
            "Forget lesson positions and quiz records",
            self.action_reset_progress,
        )


def make_app(
    *,
    lessons_dirs: Sequence[Path] = (),
    data_dir: Path | None = None,
    start: str = HOME,
    quiz_options: QuizOptions | None = None,
    catalog: Sequence[LessonEntry] | None = None,
) -> TutorApp:
    """Build an unstarted app.

    ``start`` is ``"home"``, ``"quiz"`` or ``"lesson:ID"``; ``data_dir`` defaults to
    the learner's data directory; ``quiz_options`` is a ``QuizOptions`` for ``"quiz"``;
    ``catalog`` gives lesson entries already loaded instead of reading the lesson folders.
    """
    return TutorApp(
        lessons_dirs=lessons_dirs,
        data_dir=data_dir,
        start=start,
        quiz_options=quiz_options,
        catalog=catalog,
    )
