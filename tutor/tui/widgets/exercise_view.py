"""An ``exercise`` block: the task, the learner's file, its checks on every save, hints, solution.

The learner's file is made on the first visit and checked when the step opens
and after every save (a watcher thread notices saves with ``watchfiles``; each
check runs the file in a child process, never here).  The file can be edited in
``$VISUAL``/``$EDITOR`` (the app suspends meanwhile), in the pane below the
results (a ``TextArea`` with Python highlighting, saved to the same file), or in
any editor at all.  The logic is :class:`~tutor.exercises.session.ExerciseSession`;
this widget draws it.  Text from files is shown as text, never as markup.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import TYPE_CHECKING, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import TextArea

from tutor.store.atomic import write_atomically
from tutor.store.served import served, shown_path
from tutor.text.visible import HIDDEN_OR_LINES, visible
from tutor.tui.literal import Plain, literal, literal_code
from tutor.tui.messages import CheckStarted, Computed
from tutor.tui.styles import outcome_content
from tutor.tui.widgets.prose import Prose

if TYPE_CHECKING:
    from tutor.exercises.model import Report
    from tutor.exercises.session import ExerciseSession
    from tutor.exercises.watch import SaveWatcher
    from tutor.lesson.model import ExerciseBlock, Lesson
    from tutor.tui.app import TutorApp

EDIT_KEYS = {False: "e: your editor · i: edit here", True: "e: download it · i: edit it here"}
"""The keys that edit the file: at a terminal, and served to a browser (no editor starts)."""
NO_SANDBOX_SERVED = (
    "Checks are off on this class's server: it has no sandbox to run your code in safely. "
    "Your file is kept; tell your teacher."
)


class CodeEditor(TextArea):
    """The in-place editor: Tab indents, and Esc leaves it as it leaves any field.

    Textual's code editor hands the focus on to the next widget on Esc; here Esc is
    left to the lesson screen, whose rule is that Esc leaves the field and nothing
    else (a second Esc, with nothing focused, goes back to the lessons).
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.prevent_default()  # not TextArea's handler: the screen's binding decides


LINE_OUTCOMES = {"✓": "correct", "✗": "wrong", "→": "close"}
"""A report line's first mark → the verdict style it is drawn in (a named bug as "close")."""


def report_content(report: Report, *, with_summary: bool = False) -> Content:
    """The report's lines with verdict marks and named bugs styled (the text itself is plain)."""
    from tutor.exercises.report_text import report_text

    lines = []
    for line in report_text(report, with_summary=with_summary).splitlines():
        outcome = LINE_OUTCOMES.get(line.lstrip()[:1])
        lines.append(outcome_content(line, outcome) if outcome else literal(line))
    return Content("\n").join(lines)


class ExerciseView(Vertical):
    """A code exercise inside a lesson step."""

    DEFAULT_CSS = """
    ExerciseView { height: auto; border-left: thick $accent; padding: 0 1; }
    ExerciseView > * { height: auto; }
    ExerciseView .exercise-title { text-style: bold; }
    ExerciseView .exercise-interface { background: $boost; padding: 0 1; margin: 1 0 0 0; }
    ExerciseView .exercise-file { color: $text-muted; margin: 1 0 0 0; }
    ExerciseView .exercise-status { text-style: bold; }
    ExerciseView .exercise-report { margin: 1 0 0 0; }
    ExerciseView .exercise-hints { color: $text-warning; margin: 1 0 0 0; }
    ExerciseView .exercise-solution { margin: 1 0 0 0; }
    ExerciseView TextArea { height: 20; display: none; margin: 1 0 0 0; }
    ExerciseView.-editing TextArea { display: block; }
    """

    def __init__(self, block: ExerciseBlock, lesson: Lesson, *, key: str) -> None:
        super().__init__(classes="exercise-view block")
        self.block, self.lesson, self.key = block, lesson, key
        self.session: ExerciseSession | None = None
        self.problem = ""
        self._watcher: SaveWatcher | None = None
        self._loaded_text = ""  # the file's text as last loaded into (or saved from) the pane

    @property
    def tutor(self) -> TutorApp:
        """The app, typed."""
        return cast("TutorApp", self.app)

    # ------------------------------------------------------------------ building
    def _load(self) -> None:
        """Find the exercise beside the lesson and make the learner's copy on the first visit."""
        from tutor.exercises.catalog import exercise_folder, load_exercise
        from tutor.exercises.session import ExerciseSession
        from tutor.exercises.workspace import WORKSPACE
        from tutor.store.locations import bundled_lessons_dir
        from tutor.store.progress import ExerciseProgress

        lessons = self.lesson.path.parent
        bundled = lessons.resolve() == bundled_lessons_dir().resolve()
        entry = load_exercise(exercise_folder(lessons, self.block.exercise), bundled=bundled)
        if entry.exercise is None:
            self.problem = f"This exercise cannot be used: {entry.problems[0]}"
            return
        exercise = entry.exercise
        progress = self.tutor.progress
        state = progress.exercises.get(exercise.key) or ExerciseProgress()  # kept once made
        self.session = ExerciseSession(exercise, state, self.tutor.store.directory / WORKSPACE)
        if not self.session.needs_consent:  # else nothing is made or saved before a yes
            self._open()

    def _open(self) -> bool:
        """Make the learner's copy (if it is not there yet) and save; False if it cannot be."""
        assert self.session is not None
        try:
            self.session.open()
        except OSError as exc:
            self.problem = f"Your copy of the starter could not be made: {exc}"
            return False
        self.tutor.progress.exercises[self.session.exercise.key] = self.session.state
        self.tutor.save_progress()
        return True

    def compose(self) -> ComposeResult:
        """The task, the learner's file and its checks (or why the exercise cannot be used)."""
        self._load()
        if self.block.caption:
            yield Plain(self.block.caption, classes="caption")
        if self.session is None or self.problem:
            yield Plain(self.problem, classes="exercise-status")
            self.session = None
            return
        from tutor.exercises.catalog import interface
        from tutor.exercises.report_text import limits_text

        exercise = self.session.exercise
        yield Plain(exercise.title, classes="exercise-title")
        yield Plain("", classes="exercise-status")
        yield Plain(
            literal(
                f"Your file: {shown_path(self.session.file)}\nChecked on every save "
                f"({limits_text(exercise.time_limit)}). {EDIT_KEYS[served()]} · "
                "h: hint · v: solution · R: start over · c: check now"
            ),
            classes="exercise-file",
        )
        yield Prose(exercise.task, classes="exercise-task")
        starter = exercise.starter.read_text(encoding="utf-8", errors="replace")
        yield Plain(literal_code(interface(starter), "python"), classes="exercise-interface")
        yield Plain("", classes="exercise-report")
        yield Plain(self._hints_text(), classes="exercise-hints")
        yield Plain("", classes="exercise-solution")

    def on_mount(self) -> None:
        """Ask before running a file from outside the tutor; then check it and watch it."""
        if self.session is None:
            return
        if self.session.state.solved:
            self._status("✓ Solved. Change your file and save to check it again.", "correct")
        if self.session.needs_consent:
            self._ask_consent()
        else:
            self._begin()

    def on_unmount(self) -> None:
        """Stop watching the file."""
        if self._watcher is not None:
            self._watcher.stop()

    def _status(self, message: str, outcome: str = "") -> None:
        shown = outcome_content(message, outcome) if outcome else literal(message)
        self.query_one(".exercise-status", Plain).update(shown)

    def _hints_text(self) -> Content:
        assert self.session is not None
        return literal(
            "\n".join(
                f"{self.session.hint_label(number)}: {hint}"
                for number, hint in enumerate(self.session.hints_shown, start=1)
            )
        )

    # ------------------------------------------------------------------ running
    def _ask_consent(self) -> None:
        from tutor.tui.dialogs.confirm import ConfirmScreen

        assert self.session is not None
        self._status(
            "Not run, and no file made yet: this exercise comes from outside the tutor. "
            "c asks again."
        )
        self.app.push_screen(
            ConfirmScreen(self.session.consent_question(), "Run it"), self._consented
        )

    def _consented(self, agreed: bool | None) -> None:
        if not agreed or self.session is None:
            return
        self.session.consent()
        if not self._open():
            self._status(self.problem, "wrong")
            return
        self._status("")
        self._begin()

    def _begin(self) -> None:
        """Check the file now, then again after every save until the step is left."""
        from tutor.exercises.watch import SaveWatcher

        if self._watcher is None and self.session is not None:
            self._watcher = SaveWatcher(
                self.session.file, self._check_in_thread, self._check_failed
            )
            self._watcher.start()

    @work(thread=True, group="exercise-check")
    def _check_once(self) -> None:
        self._check_in_thread()

    def _check_in_thread(self) -> None:
        """Run the learner's file in a child process and post the report (in a thread)."""
        from tutor.exercises.check import check_file

        assert self.session is not None
        self.post_message(CheckStarted(self.key))
        try:
            report = check_file(self.session.exercise, self.session.file)
        except Exception as exc:  # the child could not start, the file went away, …
            self._check_failed(exc)
            return
        self.post_message(Computed(self.key, report))

    def _check_failed(self, exc: Exception) -> None:
        """Say that a check could not run (in the watcher's thread); the next save tries again."""
        from tutor.exercises.sandbox import IsolationUnavailable

        if served() and isinstance(exc, IsolationUnavailable):
            self.post_message(Computed(self.key, None, NO_SANDBOX_SERVED))
            return
        self.post_message(Computed(self.key, None, f"The check could not run: {exc}"))

    @on(CheckStarted)
    def _checking(self, message: CheckStarted) -> None:
        """Say that a check is running."""
        message.stop()
        if self.session is not None:
            self._status(f"Checking {self.session.file.name}…")

    @on(Computed)
    def _checked(self, message: Computed) -> None:
        """Show a check's report; a first pass marks the exercise solved."""
        message.stop()
        if message.error or self.session is None:
            self._status(message.error or "", "wrong")
            return
        from tutor.exercises.report_text import summary

        report = message.result
        self.query_one(".exercise-report", Plain).update(report_content(report))
        self._status(summary(report), "correct" if report.passed else "wrong")
        if self.session.record(report):
            self.tutor.save_progress()
            self.app.notify(
                f"Solved: {self.session.exercise.title}. v shows the reference solution."
            )
        self._reload_editor()

    # ------------------------------------------------------------------ actions
    def check(self) -> None:
        """Check the file now (asking first if it comes from outside the tutor)."""
        if self.session is None:
            return
        if self.session.needs_consent:
            self._ask_consent()
        elif self._watcher is None:
            self._begin()
        else:
            self._check_once()

    def _download(self) -> None:
        """Send the learner's file to their browser; they edit it here with i."""
        assert self.session is not None
        try:
            text = self.session.file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.app.notify(f"Your file could not be read: {exc.strerror or exc}", severity="error")
            return
        import io

        self.app.deliver_text(io.StringIO(text), save_filename=self.session.file.name)
        self.app.notify("Your file is downloading. Press i to edit it here; every save is checked.")

    def edit_externally(self) -> None:
        """Open the file in $VISUAL or $EDITOR, suspending the app until the editor exits."""
        from textual.app import SuspendNotSupported

        if self.session is None:
            return
        if served():  # no program starts on the class's server: the file goes to the browser
            self._download()
            return
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not command:
            self.app.notify("Set $VISUAL or $EDITOR to your editor, or press i to edit here.")
            return
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(command), str(self.session.file)], check=False)
        except SuspendNotSupported:
            self.app.notify("Your editor cannot be opened here: press i to edit in the tutor.")
        except OSError as exc:
            self.app.notify(f"Could not start {command!r}: {exc}", severity="error")
        self._reload_editor()

    def toggle_editor(self) -> None:
        """Show the in-place editor with the file's text, or hide it (keeping any edits)."""
        if self.session is None:
            return
        if self.has_class("-editing"):
            self.remove_class("-editing")
            self.screen.set_focus(None)
            return
        editor = self._editor()
        if editor.text == self._loaded_text and not self._load_editor(editor):
            return
        self.add_class("-editing")
        editor.focus()
        editor.scroll_visible()
        self.app.notify("Editing here: ctrl+s saves (and checks), escape leaves the editor.")

    def _editor(self) -> TextArea:
        """The in-place editor, made on its first use (Python highlighting takes a while to
        set up: a step with an exercise is built without it)."""
        editors = self.query(TextArea)
        if editors:
            return editors.first()
        editor = CodeEditor.code_editor("", language="python", id="exercise-editor")
        self.mount(editor)
        return editor

    def _load_editor(self, editor: TextArea) -> bool:
        """Put the learner's file in the editor; False (and the editor closed) if it cannot."""
        assert self.session is not None
        try:
            text = self.session.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.app.notify(
                f"Could not read {shown_path(self.session.file)}: {exc}",
                severity="error",
            )
            return self._close_editor()
        hidden = HIDDEN_OR_LINES.search(text)
        if hidden is not None:  # the editor would pass it to the terminal as it is
            line = text.count("\n", 0, hidden.start()) + 1
            self.app.notify(
                f"Your file holds {visible(hidden.group())} on line {line}, a character the "
                "editor here cannot show safely: edit the file in your own editor (e).",
                severity="error",
            )
            return self._close_editor()
        editor.load_text(text)
        self._loaded_text = text
        return True

    def _close_editor(self) -> bool:
        """Hide the editor, so nothing it holds can be saved over the file."""
        if self.has_class("-editing"):
            self.remove_class("-editing")
            self.screen.set_focus(None)
        return False

    def _reload_editor(self) -> None:
        """After a save elsewhere, show the file again unless the pane has unsaved edits."""
        if self.has_class("-editing") and self._editor().text == self._loaded_text:
            self._load_editor(self._editor())

    def save_editor(self) -> bool:
        """Write the pane's text to the learner's file (the watcher then checks it)."""
        if self.session is None or not self.has_class("-editing"):
            return False
        text = self._editor().text
        try:
            write_atomically(self.session.file, text)  # a check never reads half a file
        except OSError as exc:
            self.app.notify(f"Not saved: {exc}", severity="error")
            return True
        self._loaded_text = text
        self.app.notify(f"Saved {self.session.file.name}.")
        return True

    def hint(self) -> None:
        """Show the next hint."""
        if self.session is None:
            return
        if self.session.next_hint() is None:
            self.app.notify("That was the last hint. v shows the reference solution.")
            return
        self.tutor.save_progress()
        self.query_one(".exercise-hints", Plain).update(self._hints_text())

    def solution(self) -> None:
        """Show the reference solution; before the exercise is solved, ask first."""
        from tutor.tui.dialogs.confirm import ConfirmScreen

        if self.session is None:
            return
        if not self.session.solution_needs_confirmation:
            self._show_solution(True)
            return
        question = (
            "Show the reference solution? You have not solved this exercise yet, and reading "
            "it first takes the exercise away. Hints (h) give away less."
        )
        self.app.push_screen(ConfirmScreen(question, "Show it"), self._show_solution)

    def _show_solution(self, agreed: bool | None) -> None:
        if not agreed or self.session is None:
            return
        code = self.session.solution()
        self.tutor.save_progress()
        shown = literal_code(code, "python", line_numbers=True)
        self.query_one(".exercise-solution", Plain).update(shown)

    def start_over(self) -> None:
        """Ask, then keep the learner's file aside and copy the starter again."""
        from tutor.tui.dialogs.confirm import ConfirmScreen

        if self.session is None:
            return
        if self.session.needs_consent:  # no file before a yes: ask that first
            self._ask_consent()
            return
        question = (
            f"Start over from the starter? Your file {self.session.file.name} is kept next "
            "to it under a new name."
        )
        self.app.push_screen(ConfirmScreen(question, "Start over"), self._started_over)

    def _started_over(self, agreed: bool | None) -> None:
        if not agreed or self.session is None:
            return
        try:
            kept = self.session.start_over()
        except OSError as exc:
            self.app.notify(f"Not started over: {exc}", severity="error")
            return
        self.tutor.save_progress()
        if self.query(TextArea):  # else it is made, with the file in it, on its first use
            self._load_editor(self._editor())
        self.app.notify(
            f"Started over. Your old file is kept as {shown_path(kept)}."
            if kept
            else "Started over."
        )
