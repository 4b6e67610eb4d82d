"""What the keys do on a screen that shows a step's page: its blocks, Esc, Tab, the footer.

Provides :class:`PageScreen`, the base of the lesson screen: the actions of the
keys that reach the blocks of the page in view wherever the focus is (``r`` trains,
``s`` stops, ``l`` switches the loss plot's scale, ``a`` goes to the answer field,
``x`` shows paths, the exercise keys),
the Esc rules (Esc leaves a text field or a panel; with nothing focused it is the
screen's ``escape_home``), Tab starting at the page's first control, and
:meth:`~PageScreen.check_action`, which says which keys work now, so the footer
shows only those.  The bindings themselves are the lesson screen's.
"""

from __future__ import annotations

from textual import events, on
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

from tutor.store.outcomes import Result
from tutor.tui.messages import AnswerKept
from tutor.tui.screens.base import TutorScreen
from tutor.tui.widgets.step_pages import StepPage, imported_class

SINGLE_KEY_ACTIONS = frozenset(
    {"next", "previous", "next_step", "previous_step", "train", "stop", "answer", "exercise"}
    | {"paths", "toggle_outline", "help", "home", "log_scale"}
)
"""Actions on printable keys: a text field or editor takes those keys, so they are off there."""
TEXT_AREA = ("textual.widgets._text_area", "TextArea")
"""Where Textual's editor widget lives: looked up, not imported, here.  Only a code exercise's
editor pane is one, and importing it brings tree-sitter along (9 ms, a thirtieth of an open)."""
TYPING_PAUSE = 1.0
"""Seconds without a key after which keys typed on past a closed answer field are commands again."""


def takes_text(widget: Widget | None) -> bool:
    """Whether ``widget`` is a text field or an editor (there is none if the editor's module
    was never imported)."""
    editor = imported_class(*TEXT_AREA)
    return isinstance(widget, Input) or (editor is not None and isinstance(widget, editor))


class PageScreen(TutorScreen):
    """A screen whose body is the page of one step."""

    _closed_field_at: float | None = None
    """When an answer field closed after its last wrong try (or the latest key typed on after)."""

    @property
    def body(self) -> StepPage:
        """The page in view."""
        raise NotImplementedError

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        """Textual 8.2 handles a scroll with a fast path that compares what is visible with
        what was visible at the last scroll; right after a layout it has nothing to compare
        with and repaints the whole screen.  A reveal (a layout, then the product list
        scrolled to its end) and a step change (a layout, then the page scrolled) hit that
        every time, so a scroll right after a layout is a layout, which repaints only what
        moved."""
        if scroll and not self._layout_widgets and self._compositor._visible_map is None:
            self._layout_widgets[self] = set()
        if scroll and not self._layout_widgets:
            super()._refresh_layout(size, scroll)  # Textual's scroll fast path: no layout asked
            return
        before = self._layout_state()
        super()._refresh_layout(size, scroll)
        self._drop_size_only_layouts(before)

    def _layout_state(self) -> dict[Widget, bool]:
        """Each widget's (and scrollbar's) pending layout request."""
        state = {}
        for widget in self.walk_children(Widget, with_self=False):
            for node in (widget, widget._vertical_scrollbar, widget._horizontal_scrollbar):
                if node is not None:
                    state[node] = node._layout_required
        return state

    def _drop_size_only_layouts(self, before: dict[Widget, bool]) -> None:
        """Textual sets each widget's virtual size as a layout places it, and a virtual size
        that changes asks for a layout: so every widget placed for the first time (each
        widget of a page built) asked for one more layout of the whole screen, which
        changed nothing.  Those requests are dropped here, as Textual's scroll fast path
        never makes them.  So are those of widgets the layout left out as hidden (the
        outline hidden at a narrow width, say, as the screen's classes change).  A request
        made before the layout stays, and so does one of a widget whose scrollbars shown
        are not those the layout placed (they came or went as it was placed)."""
        placed = {widget for widget, _ in self._compositor.layers}  # scrollbars too
        for widget in placed | before.keys():
            if before.get(widget, False) or not widget._layout_required:
                continue
            if widget in placed:
                bars = (widget._vertical_scrollbar, widget._horizontal_scrollbar)
                shown = (widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar)
                if all(on == (bar in placed) for bar, on in zip(bars, shown, strict=True)):
                    widget._layout_required = False
            elif widget.is_mounted and not all(
                node.display for node in widget.ancestors_with_self if isinstance(node, Widget)
            ):
                widget._layout_required = False

    def action_escape_home(self) -> None:
        """Nothing is focused: Esc leaves the screen."""
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which keys work now; the footer shows only those."""
        typing = takes_text(self.focused)
        if typing and action in SINGLE_KEY_ACTIONS and parameters != ("save_editor",):
            return False
        if action == "leave_field":
            return typing
        if action == "leave_panel":
            return self.focused is not None and not typing
        if action == "escape_home":
            return self.focused is None
        if not self.is_mounted:
            return True
        body = self.body
        if action in ("train", "stop"):
            view = body.train_view()
            return view is not None and view.running == (action == "stop")
        if action == "log_scale":
            return body.train_view() is not None
        if action == "answer":
            return body.open_field() is not None
        if action == "exercise":
            return body.exercise() is not None
        if action == "paths":
            return bool(body.derivations())
        return True

    def action_paths(self) -> None:
        """Show the newest matrix product of a derivation path by path (or hide its paths)."""
        if not any(view.toggle_paths() for view in self.body.derivations()):
            self.notify("x shows a matrix product path by path: reveal one that adds several.")

    def action_scroll(self, lines: int) -> None:
        """Scroll the step up or down."""
        self.body.scroll_relative(y=lines, animate=False)

    def action_train(self) -> None:
        """Start a run in the step's training panel (and show the panel)."""
        view = self.body.train_view()
        if view is not None:
            view.action_start()
            self.body.scroll_to_widget(view, animate=False, top=True)

    def action_stop(self) -> None:
        """Stop the run in progress."""
        view = self.body.train_view()
        if view is not None:
            view.action_stop()

    def action_log_scale(self) -> None:
        """Switch the step's loss plot between a linear and a log scale."""
        view = self.body.train_view()
        if view is not None:
            view.action_toggle_log()

    def action_answer(self) -> None:
        """Go to the answer field the step is waiting on."""
        field = self.body.open_field()
        if field is not None:
            field.focus()

    def action_exercise(self, method: str) -> None:
        """Pass an exercise key to the step's exercise: edit, hint, solution, start over, check."""
        view = self.body.exercise()
        if view is not None:
            getattr(view, method)()

    def action_leave_field(self) -> None:
        """Leave the text field or editor (the single-key bindings work again)."""
        self.set_focus(None)

    @on(AnswerKept)
    def _guard_after_reveal(self, message: AnswerKept) -> None:
        """A question or prediction ended with its answer shown: the learner may type on."""
        if message.record.result == Result.REVEALED:
            self._closed_field_at = self.tutor.key_time

    def on_key(self, event: events.Key) -> None:
        """Keys typed on after a field closed on its last wrong try are typing, not commands.

        The guard holds while the learner keeps typing (keys less than
        :data:`TYPING_PAUSE` apart); the first Esc only leaves the closed field.
        """
        closed = self._closed_field_at
        if closed is None or self.focused is not None:
            return
        if event.key == "escape":
            self._closed_field_at = None  # leaves the closed field, nothing more
        elif event.time - closed < TYPING_PAUSE:
            self._closed_field_at = event.time  # still typing: the guard goes on
            self.notify(
                "That field is closed: keys typed on after it were not taken as commands.",
                timeout=3,
            )
        else:
            self._closed_field_at = None  # a pause: this key is a command again
            return
        event.stop()
        event.prevent_default()

    def action_leave_panel(self) -> None:
        """Leave the focused panel or outline."""
        self.set_focus(None)

    def focus_next(self, selector: str | type[Widget] = "*") -> Widget | None:
        """Tab with nothing focused starts at the step's first control, in reading order."""
        if self.focused is None:
            chain = [w for w in self.focus_chain if self.body in w.ancestors]
            if chain:
                self.set_focus(chain[0])
                return chain[0]
        return super().focus_next(selector)
