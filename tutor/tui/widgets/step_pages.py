"""The pages of the lesson screen: one per step, the current one shown, the next one ready.

Provides :class:`StepPage`, a scrolling container without keys of its own (the
lesson screen's n/p/Home/End mean the same wherever the focus is) that holds one
step's widgets.  The lesson screen keeps the current page and the previous one, and
builds the next step's page while the learner reads.  Every page is laid out at the size
of the step view, each in a :class:`PageSlot` of its own; the slots of waiting
pages lie just outside the view (:meth:`StepPage.stage`: not drawn, not reachable
by Tab, and mounting into them repaints nothing), so moving to one of them only
moves its slot in: no widget is mounted or measured for the first time while the
learner waits.  A page waits with its scrollbar's column kept (most pages are longer than
the view, so the first layout of their widgets is their last: no second pass at a width
one column narrower once the scrollbar appears); it takes the column back as it is shown
if it fits.  A page left (:meth:`StepPage.leave`) leaves the layout too, so a
reveal or a scroll on the page in view does not arrange it again.  A page knows its
step's derivations, training panel, exercise and open answer field, and which of its
blocks that ask something of the learner (class
:data:`~tutor.tui.widgets.step_parts.ASKS`) have been in view, so ``n`` can show an
unseen one before the step is left.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Vertical, VerticalScroll
from textual.widget import AwaitMount, Widget
from textual.widgets import Input

from tutor.tui.messages import QuestionDrawn
from tutor.tui.widgets.scrollbars import make_scrollbar
from tutor.tui.widgets.step_parts import ASKS

if TYPE_CHECKING:
    from tutor.tui.widgets.derivation.view import DerivationView
    from tutor.tui.widgets.exercise_view import ExerciseView
    from tutor.tui.widgets.train.view import TrainView

DERIVATION_VIEW = ("tutor.tui.widgets.derivation.view", "DerivationView")
TRAIN_VIEW = ("tutor.tui.widgets.train.view", "TrainView")
EXERCISE_VIEW = ("tutor.tui.widgets.exercise_view", "ExerciseView")
QUIZ_BLOCK_VIEW = ("tutor.tui.widgets.quiz_block", "QuizBlockView")
"""The modules and names of the kinds of block a page is asked about."""

OUTSIDE = 10_000
"""How far below the step view a waiting page is laid out (never drawn there)."""
SLOTS = 3
"""Page slots made at once: the current step and the two next to it (the previous step's
page is kept, the next one built ahead)."""


def imported_class(module: str, name: str) -> type | None:
    """The class ``name`` of ``module`` if that module has been imported, else None (no widget
    of it exists then): looked up, never imported just to be asked about."""
    kind = getattr(sys.modules.get(module), name, None)
    return kind if isinstance(kind, type) else None


class PageSlot(Container):
    """Where one page lives, laid over the step view (shown) or just below it (waiting)."""

    DEFAULT_CSS = f"""
    PageSlot {{ position: absolute; width: 100%; height: 100%; offset: 0 {OUTSIDE}; }}
    """

    @property
    def page(self) -> StepPage | None:
        """The page in this slot, if any."""
        pages = [child for child in self.children if isinstance(child, StepPage)]
        return pages[0] if pages else None


class StepPage(VerticalScroll, can_focus=False, inherit_bindings=False):
    """One step's widgets; keeps track of the asking blocks that have been in view."""

    def __init__(self, step: int, widgets: list[Widget]) -> None:
        super().__init__(*widgets, classes="step-page")
        self.step = step
        self.seen: set[str] = set()
        """Ids of the step's asking blocks that have been in view."""
        self.watching = False
        """Whether the page is shown and drawn, so what is in view counts as seen."""
        self.visited = False
        """Whether the page has been shown before (it then keeps its scroll position)."""
        self.mounted: AwaitMount | None = None
        """Awaits the page's mount (set by whoever mounts it)."""
        self.showing = False
        """Whether the page is in the step view (else it waits out of view)."""
        self.styles.overflow_y = "scroll"  # laid out waiting as it will most likely be shown

    def on_mount(self) -> None:
        """Every widget of the page is mounted: its slot joins the layout (laid out while it
        waits).  Its scrollbar is made first (Textual makes one at the first layout, and
        mounting it asks for one more layout of the whole screen)."""
        make_scrollbar(self, vertical=True, shown=self.show_vertical_scrollbar)
        if isinstance(self.parent, PageSlot):
            self.parent.display = True

    @on(QuestionDrawn)
    def _question_drawn(self, message: QuestionDrawn) -> None:
        """A card that follows this question shows the numbers it drew."""
        from tutor.tui.widgets.network_card import NetworkCard

        for card in self.query(NetworkCard):
            if card.follows == message.key:
                card.show_drawn(message.spec)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Note the blocks that scrolled into view."""
        super().watch_scroll_y(old_value, new_value)
        self.note_seen()

    def show(self) -> None:
        """Move the page (its slot) into the step view; its controls can take the focus.

        The slot goes last in the step view: Textual numbers the painting order of a
        container's children from its last one, so the page in view keeps its order while
        pages before it are built or dropped (a change of order repaints the whole page)."""
        self.showing = True
        if self.styles.overflow_y != "auto":
            self.styles.overflow_y = "auto"  # a page that fits drops its scrollbar in this layout
        slot = self.parent
        if isinstance(slot, Widget):
            slot.styles.offset = (0, 0)
            slot.display = True
            deck = slot.parent
            if isinstance(deck, Widget) and deck.children[-1] is not slot:
                deck.move_child(slot, after=len(deck.children) - 1)
        self.can_focus_children = True
        if not self.visited:
            self.visited = True
            self.scroll_home(animate=False, immediate=True)

    def stage(self) -> None:
        """Put the page (laid out already) just outside the step view, out of the layout: not
        drawn, not arranged again on each change of the page in view, and Tab skips it."""
        self.showing = self.watching = False
        if self.parent is not None:
            self.parent.styles.offset = (0, OUTSIDE)
            self.parent.display = False
        self.can_focus_children = False

    def leave(self) -> None:
        """The page goes out of view: runs still going end (as when a step's widgets went)."""
        self.stage()
        for view in self._blocks(*TRAIN_VIEW):
            view.leave()

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

    def _blocks(self, module: str, name: str) -> list[Any]:
        """The step's blocks of the class ``name`` of ``module``, in order: the page's own
        children (no DOM walk, since the footer asks on every change of the keys).  A
        module not imported yet has made no block, and is not imported just to be asked
        (the footer asks for every kind of block as a lesson opens)."""
        kind = imported_class(module, name)
        if kind is None:
            return []
        return [widget for widget in self.children if isinstance(widget, kind)]

    def derivations(self) -> list[DerivationView]:
        """The step's derivation views, in order."""
        return self._blocks(*DERIVATION_VIEW)

    def train_view(self) -> TrainView | None:
        """The step's training panel, if it has one."""
        return next(iter(self._blocks(*TRAIN_VIEW)), None)

    def exercise(self) -> ExerciseView | None:
        """The step's code exercise, if it has one."""
        return next(iter(self._blocks(*EXERCISE_VIEW)), None)

    def open_field(self) -> Input | None:
        """The answer field the step is waiting on: an open prediction, else a question's."""
        for view in self.derivations():
            if view.prompting:
                from tutor.tui.widgets.derivation.view import PredictionInput

                return view.query_one(PredictionInput)
        for quiz in self._blocks(*QUIZ_BLOCK_VIEW):
            field = quiz.query_one(Input)
            if not field.disabled:
                return field
        return None


class StepDeck(Vertical):
    """The step view: a slot per page, and the pages built, by step."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pages: dict[int, StepPage] = {}
        """The pages built: the current step's and those next to it."""

    def compose(self) -> ComposeResult:
        """Empty slots, ready for pages (mounting into them repaints nothing)."""
        for _ in range(SLOTS):
            yield PageSlot()

    def add(self, page: StepPage, near: set[int]) -> AwaitMount:
        """Mount ``page`` out of view in a free slot (pages not ``near`` go first)."""
        freed = self.prune(near)
        self.pages[page.step] = page
        taken = {other.parent for other in self.pages.values()}
        slot = next((s for s in [*freed, *self.query(PageSlot)] if s not in taken), None)
        if slot is None:
            slot = PageSlot()
            self.mount(slot, before=0)  # before the page in view, which stays last
        page.can_focus_children = False
        slot.display = False  # out of the layout until the page's widgets are all mounted
        page.mounted = slot.mount(page)
        return page.mounted

    def prune(self, near: set[int]) -> list[PageSlot]:
        """Drop the pages of steps not in ``near`` (the page in view stays); their slots."""
        freed = []
        for step in [s for s, page in self.pages.items() if s not in near and not page.watching]:
            page = self.pages.pop(step)
            if isinstance(page.parent, PageSlot):
                freed.append(page.parent)
            page.remove()
        return freed

    def clear(self) -> None:
        """Drop every page (after a reset of progress)."""
        for page in self.pages.values():
            page.remove()
        self.pages.clear()
