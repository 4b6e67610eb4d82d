"""The lesson screen: the outline of steps, the current step, and the keys that move through it.

``n`` moves forward (inside a derivation it reveals the next value or product),
``p`` moves back (inside a derivation it hides the last one).  Every change is
saved to the learner's progress, so reopening the lesson resumes at the same
step with the same products revealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, TextArea

from tutor.answers.attempt import FormsReminder
from tutor.store.progress import RunRecord
from tutor.ui.literal import Plain
from tutor.ui.messages import AnswerKept, RevealChanged, StepChosen
from tutor.ui.screens.base import TutorScreen
from tutor.ui.widgets.step_outline import StepOutline
from tutor.ui.widgets.step_parts import block_key, key_of, part_widget

if TYPE_CHECKING:
    from tutor.lesson.model import Lesson
    from tutor.store.progress import LessonProgress
    from tutor.ui.widgets.derivation.view import DerivationView
    from tutor.ui.widgets.exercise_view import ExerciseView
    from tutor.ui.widgets.train.view import TrainView


class StepBody(VerticalScroll, can_focus=False):
    """The current step; scrolled by the screen's keys so n/p/home/end stay the screen's."""


class LessonScreen(TutorScreen):
    """One lesson, step by step."""

    AUTO_FOCUS = ""  # keys belong to the screen; Tab focuses the outline

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,right,space", "next", "Next", key_display="n/→"),
        Binding("p,left", "previous", "Back", key_display="p/←"),
        Binding("x", "paths", "Paths", show=False),
        Binding("home", "first", "First step", show=False),
        Binding("end", "last", "Last step", show=False),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
        Binding("pagedown", "scroll(10)", "Page down", show=False),
        Binding("o", "toggle_outline", "Outline"),
        Binding("e", "exercise('edit_externally')", "Your editor"),
        Binding("i", "exercise('toggle_editor')", "Edit here"),
        Binding("h", "exercise('hint')", "Hint"),
        Binding("s", "exercise('solution')", "Solution", show=False),
        Binding("r", "exercise('start_over')", "Start over", show=False),
        Binding("c", "exercise('check')", "Check now", show=False),
        Binding("ctrl+s", "exercise('save_editor')", "Save", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q,escape", "home", "Home"),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0
        self.cache: dict[str, Any] = {}
        """Engine results (derivations, gradient checks) by block key, computed once."""
        self.reminder = FormsReminder()
        """Shows the forms an answer may take once in this lesson."""

    @property
    def lesson_progress(self) -> LessonProgress:
        """The learner's progress in this lesson (part of the app's progress)."""
        return self.tutor.progress.lesson(self.lesson.id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lesson-body"):
            yield StepOutline([step.title for step in self.lesson.steps], id="outline")
            yield StepBody(id="step-view")
        yield Footer()

    def on_mount(self) -> None:
        """Resume at the saved step."""
        self.sub_title = self.lesson.title
        if not self.lesson.steps:
            self.query_one("#step-view").mount(Plain("This lesson has no steps."))
            return
        self.show_step(min(self.lesson_progress.step, len(self.lesson.steps) - 1))

    # ------------------------------------------------------------------ steps
    def show_step(self, index: int) -> None:
        """Show step ``index`` and save the position."""
        self.index = index
        step = self.lesson.steps[index]
        progress = self.lesson_progress
        body = self.query_one("#step-view", StepBody)
        with self.app.batch_update():
            body.remove_children()
            heading = f"Step {index + 1} of {len(self.lesson.steps)} · {step.title}"
            widgets = [Plain(heading, classes="step-title")]
            widgets += [
                part_widget(
                    self.lesson, part, block_key(index, n), progress, self.cache, self.reminder
                )
                for n, part in enumerate(step.parts)
            ]
            body.mount_all(widgets)
            self.refresh_bindings()
            body.scroll_home(animate=False)
            self.query_one(StepOutline).show(index, set(progress.finished_steps))
        self.title = f"{self.lesson.number} {self.lesson.title}".strip()
        self.sub_title = f"step {index + 1}/{len(self.lesson.steps)}"
        progress.step = index
        self._save()

    def _derivations(self) -> list[DerivationView]:
        from tutor.ui.widgets.derivation.view import DerivationView

        return list(self.query_one("#step-view").query(DerivationView))

    def _finish_current(self) -> None:
        finished = self.lesson_progress.finished_steps
        if self.index not in finished:
            finished.append(self.index)

    # ------------------------------------------------------------------ actions
    def action_next(self) -> None:
        """Reveal the next product of a derivation, else go to the next step."""
        for view in self._derivations():
            if view.advance():
                return
        self._finish_current()
        if self.index + 1 < len(self.lesson.steps):
            self.show_step(self.index + 1)
        else:
            self._save()
            self.query_one(StepOutline).show(self.index, set(self.lesson_progress.finished_steps))
            self.show_summary()

    def show_summary(self) -> None:
        """The end of the lesson: how its predictions and questions went."""
        from tutor.ui.screens.lesson_summary import LessonSummaryScreen

        self.app.push_screen(LessonSummaryScreen(self.lesson, self.lesson_progress))

    def action_previous(self) -> None:
        """Hide the last product of a derivation, else go to the previous step."""
        for view in reversed(self._derivations()):
            if view.retreat():
                return
        if self.index > 0:
            self.show_step(self.index - 1)

    def action_paths(self) -> None:
        """Show the newest matrix product of a derivation path by path (or hide its paths)."""
        if not any(view.toggle_paths() for view in self._derivations()):
            self.notify("x shows a matrix product path by path: reveal one that adds several.")

    def action_first(self) -> None:
        """Go to the first step."""
        if self.lesson.steps:
            self.show_step(0)

    def action_last(self) -> None:
        """Go to the last step."""
        if self.lesson.steps:
            self.show_step(len(self.lesson.steps) - 1)

    def action_scroll(self, lines: int) -> None:
        """Scroll the step up or down."""
        self.query_one("#step-view", StepBody).scroll_relative(y=lines, animate=False)

    def action_toggle_outline(self) -> None:
        """Show or hide the outline (hidden by default in a narrow terminal)."""
        self.toggle_class("-outline-toggled")

    def action_home(self) -> None:
        """Back to the lesson list (Escape in a text field or editor only leaves it)."""
        if isinstance(self.focused, Input | TextArea):
            self.set_focus(None)
            return
        self._save()
        self.dismiss()

    def _exercise(self) -> ExerciseView | None:
        from tutor.ui.widgets.exercise_view import ExerciseView

        found = self.query(StepBody).first().query(ExerciseView) if self.query(StepBody) else ()
        return found.first() if found else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The exercise keys exist only on a step with an exercise, x on one with a derivation."""
        if action not in ("exercise", "paths"):
            return True
        from tutor.lesson.model import DeriveBlock, ExerciseBlock

        kind = ExerciseBlock if action == "exercise" else DeriveBlock
        steps = self.lesson.steps
        blocks = steps[self.index].blocks if 0 <= self.index < len(steps) else ()
        return any(isinstance(block, kind) for block in blocks)

    def action_exercise(self, method: str) -> None:
        """Pass an exercise key to the step's exercise: edit, hint, solution, start over, check."""
        view = self._exercise()
        if view is not None:
            getattr(view, method)()

    def action_help(self) -> None:
        """Show the help overlay."""
        from tutor.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    # ------------------------------------------------------------------ messages
    @on(StepChosen)
    def _step_chosen(self, message: StepChosen) -> None:
        """Jump to the step chosen in the outline."""
        if 0 <= message.index < len(self.lesson.steps) and message.index != self.index:
            self.show_step(message.index)

    @on(RevealChanged)
    def _reveal_changed(self, message: RevealChanged) -> None:
        """Save how far a derivation has been revealed."""
        self.lesson_progress.revealed[message.key] = message.revealed
        self._save()

    @on(AnswerKept)
    def _answer_kept(self, message: AnswerKept) -> None:
        """Save a prediction or a question once it is over."""
        progress = self.lesson_progress
        kept = progress.predictions if message.prediction else progress.questions
        kept[message.key] = message.record
        self._save()

    def on_train_view_run_finished(self, message: TrainView.RunFinished) -> None:
        """Save a finished training run under its block."""
        key = key_of(message.control.id if message.control is not None else None)
        if key is None:
            return
        runs = self.lesson_progress.runs.setdefault(key, [])
        runs.append(
            RunRecord(dict(message.knobs), message.final_loss, message.status, curve=message.curve)
        )
        self._save()

    def progress_reset(self) -> None:
        """Called by the app after "reset progress": start this lesson again."""
        self.show_step(0)

    def _save(self) -> None:
        self.tutor.save_progress()
