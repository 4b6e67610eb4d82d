"""The lesson screen: the outline of steps, the current step, and the keys that move through it.

``n`` moves forward: inside a derivation it reveals the next value or product, then
it scrolls to a question or training panel of the step not yet seen, then it goes
to the next step.  ``p`` moves back: it hides the last product of an unfinished
derivation, else goes to the previous step (a finished derivation is stepped over
whole).  ``[``/``]`` (or shift+←/→) move whole steps, Home/End to the first and last.
``r`` trains and ``a`` goes to the answer field wherever the focus is (outside a
text field, where Esc leaves the field first); ``q``, or Esc with nothing focused,
goes back to the lesson list.  ``n`` presses that arrive while a step is being
drawn are dropped, so the learner never lands on a step they did not see.  Every
change is saved to the learner's progress, so reopening the lesson resumes at the
same step with the same products revealed.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Header

from tutor.answers.reminder import FormsReminder
from tutor.lesson.network_cards import card_plans
from tutor.store.progress import RunRecord
from tutor.store.served import served
from tutor.tui.literal import Plain
from tutor.tui.messages import AnswerKept, PredictionKept, RevealChanged, StepChosen
from tutor.tui.screens.page_screen import PageScreen
from tutor.tui.widgets.footer import KeyFooter
from tutor.tui.widgets.network_card import NetworkCard
from tutor.tui.widgets.notice_line import NoticeLine
from tutor.tui.widgets.step_outline import StepOutline
from tutor.tui.widgets.step_pages import StepDeck, StepPage
from tutor.tui.widgets.step_parts import block_key, key_of, part_widget

if TYPE_CHECKING:
    from tutor.lesson.model import Lesson
    from tutor.store.progress import LessonProgress
    from tutor.tui.widgets.train.runs import RunFinished

MAX_HOLD = 1.0
"""Seconds the screen waits at most for a new step to mount before painting it anyway."""
DROPPED_TELL_DELAY = 0.3
"""Seconds after the first dropped press before the learner is told how many were dropped."""
PREFETCH_DELAY = 0.05
"""Seconds after a step is drawn before the next page is built (it draws nothing)."""
EDIT_EXTERNALLY = {False: "Your editor", True: "Download"}
"""What ``e`` does, said in the footer: at a terminal, and served to a browser."""


class LessonScreen(PageScreen):
    """One lesson, step by step."""

    AUTO_FOCUS = ""  # keys belong to the screen; Tab goes to the step's first control

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_field", "Leave field"),
        Binding("escape", "leave_panel", "Leave panel"),
        Binding("escape", "escape_home", "Home", show=False),
        Binding("n,right,space", "next", "Next", key_display="n/→"),
        Binding("p,left", "previous", "Back", key_display="p/←"),
        Binding("right_square_bracket,shift+right", "next_step", "Next step", show=False),
        Binding("left_square_bracket,shift+left", "previous_step", "Step back", show=False),
        Binding("x", "paths", "Paths", show=False),
        Binding("home", "first", "First step", show=False),
        Binding("end", "last", "Last step", show=False),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
        Binding("pagedown", "scroll(10)", "Page down", show=False),
        Binding("r", "train", "Train"),
        Binding("s", "stop", "Stop"),
        Binding("l", "log_scale", "Log scale", show=False),
        Binding("a", "answer", "Answer"),
        Binding("o", "toggle_outline", "Outline"),
        Binding("e", "exercise('edit_externally')", EDIT_EXTERNALLY[False]),
        Binding("i", "exercise('toggle_editor')", "Edit here"),
        Binding("h", "exercise('hint')", "Hint"),
        Binding("v", "exercise('solution')", "Solution", show=False),
        Binding("R", "exercise('start_over')", "Start over", show=False),
        Binding("c", "exercise('check')", "Check now", show=False),
        Binding("ctrl+s", "exercise('save_editor')", "Save", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "home", "Home"),
    ]

    def __init__(self, lesson: Lesson, *, notice: str = "") -> None:
        super().__init__()
        self.lesson = lesson
        self.notice = notice
        """Said in the notice line as the lesson opens ("" for nothing)."""
        self.index = 0
        if served():  # no editor starts on the class's server: e sends the file to the browser
            self._bindings.key_to_bindings["e"] = [
                replace(binding, description=EDIT_EXTERNALLY[True])
                for binding in self._bindings.key_to_bindings["e"]
            ]
        self.cache: dict[str, Any] = {}
        """Engine results (derivations, gradient checks) by block key, computed once."""
        self.in_transition = False
        """Whether a step is being drawn (``n`` presses meanwhile are dropped)."""
        self._shown = 0
        self._drawing = (0.0, 0.0)
        """When the last step change began and when its first frame was drawn."""
        self.reminder = FormsReminder()
        """Shows the forms an answer may take once in this lesson."""
        self._dropped = 0
        """Presses of n made while a step was drawn, not yet told (see :meth:`_drop_press`)."""
        self.deck = StepDeck(id="step-view")
        """The step view (kept: the footer asks about the page in view on every key)."""
        # Styled at its first layout as it will be drawn.  A screen pushed on a terminal of
        # unchanged size gets Textual's breakpoint classes only after its first layout, which
        # would lay the lesson out at one width and then at another (the outline and the
        # step's text wrapped twice): the screen starts with them.
        self.update_classes(self._classes_for(self.app.size), update=False)

    @property
    def lesson_progress(self) -> LessonProgress:
        """The learner's progress in this lesson (part of the app's progress)."""
        return self.tutor.progress.lesson(self.lesson.id)

    @property
    def pages(self) -> dict[int, StepPage]:
        """The pages built, by step: the current step's and those next to it."""
        return self.deck.pages

    @property
    def body(self) -> StepPage:
        """The page of the current step."""
        return self.pages[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lesson-body"):
            yield self.deck
            # after the pages in the DOM (docked left): pages built do not repaint it
            yield StepOutline([step.title for step in self.lesson.steps], id="outline")
        yield NoticeLine(id="notice")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Resume at the saved step."""
        self.sub_title = self.lesson.title
        self._place_outline()
        if self.notice:
            self.tutor.notify(self.notice)
        if not self.lesson.steps:
            self.query_one("#step-view").mount(Plain("This lesson has no steps."))
            return
        self.show_step(min(self.lesson_progress.step, len(self.lesson.steps) - 1))

    # ------------------------------------------------------------------ steps
    def show_step(self, index: int) -> None:
        """Show step ``index`` and save the position.

        A page built ahead (the steps next to the current one are) is only swapped in;
        a new page is mounted with the screen's paint held, so that the step appears in
        one frame rather than in pieces.
        """
        progress = self.lesson_progress
        old = self.pages.get(self.index)
        if old is not None and old.visited and index != self.index:
            self._finish_current()  # a step seen counts as visited however it is left
        self.index = index
        self.in_transition = True
        self._drawing = (time.monotonic(), float("inf"))
        self._shown += 1
        if self.focused is not None and old is not None and old in self.focused.ancestors:
            self.set_focus(None)  # not handed on to the outline when the page goes
        hold = self.app.batch_update()
        hold.__enter__()  # released by _show once the page is mounted and swapped in
        try:
            page = self.pages.get(index) or self._build(index)
            self.query_one(StepOutline).show(index, set(progress.finished_steps))
            # the step count first: a header too narrow cuts the lesson's title, not where you are
            where = f"step {index + 1}/{len(self.lesson.steps)}"
            self.title = f"{self.lesson.number} · {where}" if self.lesson.number else where
            self.sub_title = self.lesson.title
        except BaseException:
            hold.__exit__(None, None, None)
            raise
        progress.step = index
        self._save()
        self.run_worker(self._show(old, page, hold, self._shown), group="transition")

    def _build(self, index: int) -> StepPage:
        """A hidden page with step ``index``'s widgets, mounted (kept in :attr:`pages`)."""
        step = self.lesson.steps[index]
        if step.unread:  # a lesson opened as an outline: its blocks are read now
            self.lesson = self.tutor.lessons.complete_lesson(self.lesson)
            step = self.lesson.steps[index]
        heading = f"Step {index + 1} of {len(self.lesson.steps)} · {step.title}"
        widgets: list[Widget] = [Plain(heading, classes="step-title")]
        widgets += [
            part_widget(
                self.lesson,
                part,
                block_key(index, n),
                self.lesson_progress,
                self.cache,
                self.reminder,
            )
            for n, part in enumerate(step.parts)
        ]
        for part, plan in card_plans(index, step.parts).items():
            card = widgets[part + 1]  # after the heading
            if isinstance(card, NetworkCard):
                card.plan(plan)
        page = StepPage(index, widgets)
        self.deck.add(page, self._near())
        return page

    def _near(self) -> set[int]:
        return {self.index - 1, self.index, self.index + 1}

    async def _show(
        self,
        old: StepPage | None,
        page: StepPage,
        hold: AbstractContextManager[None],
        shown: int,
    ) -> None:
        """Swap ``page`` in once it is mounted, then paint once; after that frame, take keys."""
        try:
            if page.mounted is not None:
                await asyncio.wait_for(page.mounted(), timeout=MAX_HOLD)
        except TimeoutError:
            pass  # paint what there is rather than keep the screen still
        finally:
            latest = shown == self._shown
            if latest:
                if old is not None and old is not page:
                    old.leave()
                page.show()
                self.refresh_bindings()  # the footer changes in the same frame
            hold.__exit__(None, None, None)
            if latest:
                self.call_after_refresh(self._end_transition)

    def _end_transition(self) -> None:
        self.in_transition = False
        self._drawing = (self._drawing[0], time.monotonic())
        self.body.watching = True
        self.body.note_seen()
        self.refresh_bindings()
        self.set_timer(PREFETCH_DELAY, self._prefetch)

    def _prefetch(self) -> None:
        """Drop pages far away; build the next step's page.  The previous step's page is
        kept when the learner moves on, so it is built ahead only by going back (after a
        jump or on resuming a lesson, ``p`` builds it while the learner waits)."""
        if self.in_transition or not self.is_attached:
            return
        self.deck.prune(self._near())
        index = self.index + 1
        if index < len(self.lesson.steps) and index not in self.pages:
            self._build(index)
            self.set_timer(PREFETCH_DELAY, self._prefetch)
            return
        self.tutor.collect_garbage()

    def _finish_current(self) -> None:
        finished = self.lesson_progress.finished_steps
        if self.index not in finished:
            finished.append(self.index)

    # ------------------------------------------------------------------ actions
    def _pressed_unseen(self) -> bool:
        """Whether the key being handled was pressed before the step now shown was drawn."""
        began, drawn = self._drawing
        return self.in_transition or began <= self.tutor.key_time < drawn

    def _drop_press(self) -> None:
        """A press made while a step was drawn is not taken; the learner is told where they are."""
        self._dropped += 1
        if self._dropped == 1:
            self.set_timer(DROPPED_TELL_DELAY, self._tell_dropped)

    def _tell_dropped(self) -> None:
        count, self._dropped = self._dropped, 0
        presses = "1 more press was" if count == 1 else f"{count} more presses were"
        where = f"step {self.index + 1} of {len(self.lesson.steps)}"
        self.notify(f"You are on {where}: {presses} made while it was drawn, and not taken.")

    def action_next(self) -> None:
        """Reveal the next product of a derivation, show an unseen block, else the next step."""
        if self._pressed_unseen():
            self._drop_press()  # coalesced into the step being shown, and said so
            return
        body = self.body
        if any(view.advance() for view in body.derivations()):
            return
        if body.show_unseen():
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
        from tutor.tui.screens.lesson_summary import LessonSummaryScreen

        self.lesson = self.tutor.lessons.complete_lesson(self.lesson)
        self.app.push_screen(LessonSummaryScreen(self.lesson, self.lesson_progress))

    def action_previous(self) -> None:
        """Hide the last product of an unfinished derivation, else go to the previous step."""
        for view in reversed(self.body.derivations()):
            if not view.finished and view.retreat():
                return
        self.action_previous_step()

    def action_next_step(self) -> None:
        """Go to the next step as a whole (its derivations stay as they are)."""
        if self._pressed_unseen():
            self._drop_press()
        elif self.index + 1 < len(self.lesson.steps):
            self.show_step(self.index + 1)

    def action_previous_step(self) -> None:
        """Go to the previous step as a whole."""
        if self.index > 0:
            self.show_step(self.index - 1)

    def action_first(self) -> None:
        """Go to the first step."""
        if self.lesson.steps:
            self.show_step(0)

    def action_last(self) -> None:
        """Go to the last step."""
        if self.lesson.steps:
            self.show_step(len(self.lesson.steps) - 1)

    def action_escape_home(self) -> None:
        """Nothing is focused: Esc goes back to the lesson list."""
        self.action_home()

    def action_home(self) -> None:
        """Back to the lesson list."""
        self._save()
        self.dismiss()

    def action_help(self) -> None:
        """Show the help overlay."""
        from tutor.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    # ------------------------------------------------------------------ outline
    def action_toggle_outline(self) -> None:
        """Show or hide the outline; remembered for this width of terminal."""
        width = self._width_class()
        self.tutor.outline_shown[width] = not self._outline_shown(width)
        self._place_outline()

    def _width_class(self, size: Size | None = None) -> str:
        """The app's breakpoint class for the terminal's width (now, or at ``size``).  Not
        the screen's own classes: a screen pushed on a terminal of unchanged size gets them
        only after its mount."""
        width = (size or self.app.size).width
        breakpoints = sorted(self.app.HORIZONTAL_BREAKPOINTS or [], reverse=True)
        return next((name for least, name in breakpoints if width >= least), "-normal")

    def _classes_for(self, size: Size) -> dict[str, bool]:
        """The breakpoint classes at ``size``, and where the outline goes at that width."""
        return self._breakpoint_classes(size) | self._outline_classes(size)

    def _outline_shown(self, width: str) -> bool:
        """Shown by default unless narrow, where it takes the whole screen when shown."""
        return self.tutor.outline_shown.get(width, width != "-narrow")

    def _place_outline(self) -> None:
        self.update_classes(self._outline_classes())

    def _outline_classes(self, size: Size | None = None) -> dict[str, bool]:
        width = self._width_class(size)
        shown = self._outline_shown(width)
        return {"-outline-hidden": not shown, "-outline-full": shown and width == "-narrow"}

    def on_resize(self, event: events.Resize) -> None:
        """Note the asking blocks the new size brought into view.  (The outline was placed
        for the new width class before the resize's layout: see :meth:`_classes_for`.)"""
        self.call_after_refresh(self.body.note_seen)

    # ------------------------------------------------------------------ messages
    @on(StepChosen)
    def _step_chosen(self, message: StepChosen) -> None:
        """Jump to the step chosen in the outline."""
        if 0 <= message.index < len(self.lesson.steps) and message.index != self.index:
            self.show_step(message.index)

    @on(RevealChanged)
    def _reveal_changed(self, message: RevealChanged) -> None:
        """Save how far a derivation has been revealed (a moment later: keys share a write)."""
        self.lesson_progress.revealed[message.key] = message.revealed
        self.tutor.save_progress_soon()

    @on(AnswerKept)
    def _answer_kept(self, message: AnswerKept) -> None:
        """Keep a question once it is over, and save."""
        self.lesson_progress.questions[message.key] = message.record
        self._save()

    @on(PredictionKept)
    def _prediction_kept(self, message: PredictionKept) -> None:
        """Save a prediction the walk kept in progress."""
        self._save()

    def on_train_view_run_finished(self, message: RunFinished) -> None:
        """Save a finished training run under its block."""
        self.refresh_bindings()
        key = key_of(message.control.id if message.control is not None else None)
        if key is None:
            return
        runs = self.lesson_progress.runs.setdefault(key, [])
        runs.append(
            RunRecord(dict(message.knobs), message.final_loss, message.status, curve=message.curve)
        )
        self._save()

    def progress_reset(self) -> None:
        """Called by the app after "reset progress": start this lesson again, pages rebuilt."""
        self.deck.clear()
        self.show_step(0)

    def _save(self) -> None:
        self.tutor.save_progress()
