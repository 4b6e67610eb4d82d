"""The body of the lesson screen: the current step's widgets, and what the step asks for.

Provides :class:`StepBody`, a scrolling container without keys of its own (the
lesson screen's n/p/Home/End mean the same wherever the focus is).  It knows the
step's derivations, training panel, exercise and open answer field, and which of
its blocks that ask something of the learner (class
:data:`~tutor.ui.widgets.step_parts.ASKS`) have been in view, so ``n`` can show an
unseen one before the step is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input

from tutor.ui.widgets.step_parts import ASKS

if TYPE_CHECKING:
    from tutor.ui.widgets.derivation.view import DerivationView
    from tutor.ui.widgets.exercise_view import ExerciseView
    from tutor.ui.widgets.train.view import TrainView


class StepBody(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The current step; keeps track of the blocks that have been in view."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.seen: set[str] = set()
        """Ids of the step's asking blocks that have been in view."""
        self.watching = False
        """Whether the step is drawn, so what is in view counts as seen."""

    async def show(self, widgets: Sequence[Widget]) -> None:
        """Replace the step's widgets with ``widgets``, at the top; nothing is seen yet.

        The old widgets are gone before the new ones mount (a block keeps its id).
        """
        self.watching = False
        self.seen = set()
        await self.remove_children()
        await self.mount_all(widgets)
        self.scroll_home(animate=False, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Note the blocks that scrolled into view."""
        super().watch_scroll_y(old_value, new_value)
        self.note_seen()

    # ----- what is in view -----

    def asking(self) -> list[Widget]:
        """The step's blocks that ask something of the learner (questions, panels), in order."""
        return [widget for widget in self.children if widget.has_class(ASKS)]

    def in_view(self, widget: Widget) -> bool:
        """Whether most of ``widget`` (all of it, or half the window) is in the window."""
        region = widget.virtual_region
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        shown = min(region.bottom, top + height) - max(region.y, top)
        return region.height > 0 and shown >= min(region.height, max(1, height // 2))

    def note_seen(self) -> None:
        """Remember the asking blocks that are in view now."""
        if self.watching and self.is_attached:
            for widget in self.asking():
                if widget.id and widget.id not in self.seen and self.in_view(widget):
                    self.seen.add(widget.id)

    def show_unseen(self) -> bool:
        """Scroll to the first asking block not seen yet; False if every one has been."""
        self.note_seen()
        for widget in self.asking():
            if widget.id and widget.id not in self.seen:
                self.scroll_to_widget(widget, animate=False, immediate=True)
                self.seen.add(widget.id)
                return True
        return False

    # ----- the step's blocks -----

    def derivations(self) -> list[DerivationView]:
        """The step's derivation views, in order."""
        from tutor.ui.widgets.derivation.view import DerivationView

        return list(self.query(DerivationView))

    def train_view(self) -> TrainView | None:
        """The step's training panel, if it has one."""
        from tutor.ui.widgets.train.view import TrainView

        return self.query(TrainView).first() if self.query(TrainView) else None

    def exercise(self) -> ExerciseView | None:
        """The step's code exercise, if it has one."""
        from tutor.ui.widgets.exercise_view import ExerciseView

        return self.query(ExerciseView).first() if self.query(ExerciseView) else None

    def open_field(self) -> Input | None:
        """The answer field the step is waiting on: an open prediction, else a question's."""
        from tutor.ui.widgets.derivation.view import PredictionInput
        from tutor.ui.widgets.quiz_block import QuizBlockView

        for view in self.derivations():
            if view.prompting:
                return view.query_one(PredictionInput)
        for quiz in self.query(QuizBlockView):
            field = quiz.query_one(Input)
            if not field.disabled:
                return field
        return None
