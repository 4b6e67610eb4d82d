"""The derivation view of a ``derive`` block: forward pass, then backward pass, one key at a time.

The engine's :func:`~tutor.engine.derive` runs once per block in a thread worker;
the view then walks its records: first every forward value (``forward_line``),
then every chain-rule product exactly as the backward pass emitted it
(``record_line`` and the rule in words), under the computational graph.  The
lines (:class:`~tutor.tui.widgets.derivation.lines.DerivationLines`) keep room for
the finished derivation, so that a reveal repaints them and the graph and lays
nothing out; they are kept short enough that the graph, the newest line and the
prediction prompt fit in the step's window together, and scroll to the newest line
on every reveal.
The walk itself (stages, reveal, retreat, predictions) is
:class:`~tutor.lesson.walk.DerivationWalk`; this view only draws it.  Where the
lesson asks for a prediction, an input appears before that product and every
answer goes to the walk's attempt (the one judge: verdicts, hints, retries).
With ``lr`` set, the gradient-descent update follows the last product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input

from tutor.present.lines import Role
from tutor.store.tries import TryPlace
from tutor.tui.literal import Plain
from tutor.tui.messages import Computed, PredictionKept, RevealChanged, post_computed
from tutor.tui.widgets.derivation.graph_view import GraphState, GraphView
from tutor.tui.widgets.derivation.lines import DerivationLines, Written

if TYPE_CHECKING:
    from tutor.answers.attempt import Feedback, FormsReminder
    from tutor.engine import Derivation, NetworkSpec, TraceRecord
    from tutor.lesson.model import DeriveBlock
    from tutor.lesson.walk import DerivationWalk
    from tutor.present.lines import Line
    from tutor.store.progress import Answered


@dataclass(frozen=True)
class DerivationResult:
    """What the worker computed for a block: the derivation and the update text."""

    derivation: Derivation
    update: str | None


def compute_derivation(spec: NetworkSpec, lr: float | None) -> DerivationResult:
    """Run the engine for a block (in a worker thread): derive, and one step if ``lr``."""
    from tutor.engine import derive, loss_of, sgd_step
    from tutor.text.derivation import update_text

    derivation = derive(spec)
    update = None
    if lr is not None:
        after = sgd_step(spec, lr)
        update = update_text(spec, after, derivation.loss, loss_of(after), lr)
    return DerivationResult(derivation, update)


class PredictionInput(Input):
    """The input for a prediction; Escape skips it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", "Skip prediction")]

    class Skipped(Message):
        """The learner skipped the prediction."""

    def action_skip(self) -> None:
        """Skip this prediction."""
        self.post_message(self.Skipped())


PROMPT_KEYS = "Then press Enter (Esc skips)."
MIN_LINES = 4
"""The product list never shrinks below this many rows to make room for the graph."""


class DerivationView(Vertical):
    """Step through one ``derive`` block; the screen calls :meth:`advance` and :meth:`retreat`."""

    def __init__(
        self,
        block: DeriveBlock,
        spec: NetworkSpec,
        *,
        key: str,
        revealed: int,
        predictions: dict[str, Answered],
        cache: dict[str, Any],
        reminder: FormsReminder | None = None,
        place: TryPlace | None = None,
    ) -> None:
        super().__init__(classes="derivation-view")
        self.place = place
        self.block = block
        self.spec = spec
        self.key = key
        self._start = revealed
        self._predictions = predictions
        self._cache = cache
        self._reminder = reminder
        self.result: DerivationResult | None = cache.get(key)
        self.walk: DerivationWalk | None = None
        self._first_newest: int | None = None
        self._room: tuple[tuple[object, ...], Content] | None = None  # the finished lines

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        if self.block.caption:
            yield Plain(self.block.caption, classes="caption")
        yield Plain("Computing the derivation…", classes="derivation-summary")
        yield Vertical(classes="graph-slot")
        yield DerivationLines(self._written, classes="derivation-lines")
        with Vertical(classes="prediction-prompt"):
            yield Plain("", classes="prediction-question")
            yield PredictionInput(
                placeholder="a number, or your working, e.g. 0.7*(1-0.7)", compact=True
            )
            yield Plain("", classes="prediction-feedback")

    def on_mount(self) -> None:
        """Start the engine unless this block was derived before."""
        self.query_one(".prediction-prompt").display = False
        if self.result is None:
            self._derive()
        else:
            self._ready()

    @work(thread=True, exclusive=True)
    def _derive(self) -> None:
        """Run the engine off the UI thread and post the result."""
        post_computed(
            self,
            self.key,
            lambda: compute_derivation(self.spec, self.block.lr),
            "The derivation failed",
        )

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        """Keep the engine's result and draw it."""
        message.stop()
        if message.error:
            self.query_one(".derivation-summary", Plain).update(message.error)
            return
        self.result = message.result
        self._cache[self.key] = message.result
        self._ready()

    def _ready(self) -> None:
        from tutor.lesson.walk import DerivationWalk
        from tutor.present.derivation import summary_line
        from tutor.tui.tagged import line_content

        assert self.result is not None
        derivation = self.result.derivation
        self.walk = DerivationWalk(
            derivation,
            self.block,
            revealed=self._start,
            predictions=self._predictions,
            reminder=self._reminder,
            place=self.place,
        )
        self.query_one(".derivation-summary", Plain).update(line_content(summary_line(self.walk)))
        self.query_one(".graph-slot").mount(GraphView(derivation))
        self._redraw()

    # ------------------------------------------------------------------ state
    @property
    def ready(self) -> bool:
        """Whether the engine's result has arrived."""
        return self.walk is not None

    @property
    def revealed(self) -> int:
        """How many stages are shown."""
        return self.walk.revealed if self.walk is not None else self._start

    @property
    def prompting(self) -> bool:
        """Whether a prediction is open."""
        return self.walk is not None and self.walk.asking is not None

    @property
    def finished(self) -> bool:
        """Whether every stage is revealed."""
        return self.walk is not None and self.walk.finished

    # ------------------------------------------------------------------ keys
    def advance(self) -> bool:
        """Reveal the next stage (or ask for a prediction first); False when finished."""
        walk = self.walk
        if walk is None:
            self.notify("Still computing the derivation…")
            return True
        if walk.asking is not None:
            self.query_one(PredictionInput).focus()
            return True
        before = walk.revealed
        if not walk.advance():
            return False
        if walk.asking is not None:
            self._ask(walk.asking.record, walk.asking.attempt.note)
        self._changed(before)
        return True

    def retreat(self) -> bool:
        """Hide the last stage (or close the prediction prompt); False when nothing is shown."""
        walk = self.walk
        if walk is None:
            return False
        before, was_asking = walk.revealed, walk.asking is not None
        if not walk.retreat():
            return False
        if was_asking:
            self._close_prompt()
        self._changed(before)
        return True

    def toggle_paths(self) -> bool:
        """Show or hide the newest product path by path; False when it has one path an entry."""
        if self.walk is None or self.walk.asking is not None or not self.walk.toggle_paths():
            return False
        self._redraw()
        return True

    def _changed(self, before: int) -> None:
        """Redraw, and tell the screen when the number of revealed stages changed."""
        assert self.walk is not None
        self._redraw()
        if self.walk.revealed != before:
            self.post_message(RevealChanged(self.key, self.walk.revealed))

    # ------------------------------------------------------------------ predictions
    def _ask(self, record: TraceRecord, note: str | None) -> None:
        from tutor.present.derivation import prediction_prompt
        from tutor.tui.tagged import tagged_content

        prompt = self.query_one(".prediction-prompt")
        prompt.display = True
        question = prediction_prompt(record, note, keys=PROMPT_KEYS)
        self.query_one(".prediction-question", Plain).update(tagged_content(question))
        self._feedback(None)
        field = self.query_one(PredictionInput)
        field.value = ""
        field.focus()
        self.call_after_refresh(self._fit)

    def _feedback(self, feedback: Feedback | None) -> None:
        """Show the verdict on the last try (with its hint), or nothing (and take no room)."""
        from tutor.present.verdict import feedback_lines
        from tutor.tui.tagged import tagged_content

        widget = self.query_one(".prediction-feedback", Plain)
        if feedback is None:
            widget.update("")
        else:
            widget.update(tagged_content(feedback_lines(feedback, solution=False)))
        widget.display = feedback is not None
        self.call_after_refresh(self._fit)

    def _close_prompt(self) -> None:
        self.query_one(".prediction-prompt").display = False
        self.screen.set_focus(None)
        self.call_after_refresh(self._fit)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Judge the prediction: a wrong one is tried again, an unreadable one not counted."""
        event.stop()
        walk = self.walk
        if walk is None or walk.asking is None:
            self._close_prompt()
            return
        target = walk.asking.record.target
        feedback = walk.submit(event.value)
        if not feedback.question_over:
            if feedback.status != "unreadable":
                event.input.value = ""
                self._kept(target)  # kept open with this try, so leaving does not forget it
            self._feedback(feedback)
            return
        self._kept(target)
        self._close_prompt()
        self._redraw()

    @on(PredictionInput.Skipped)
    def _skipped(self, event: PredictionInput.Skipped) -> None:
        """Escape in the prompt: reveal without a prediction."""
        event.stop()
        walk = self.walk
        if walk is None or walk.asking is None:
            return
        before, target = walk.revealed, walk.asking.record.target
        walk.skip()
        self._kept(target)
        self._close_prompt()
        self._changed(before)

    def _kept(self, target: str) -> None:
        """Tell the screen to save the prediction of ``target`` the walk kept in progress."""
        self.post_message(PredictionKept(self.key, target))

    # ------------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        from tutor.tui.widgets.derivation.graph_state import graph_state

        walk = self.walk
        assert self.result is not None and walk is not None
        self.query_one(DerivationLines).show()
        state: GraphState = graph_state(
            self.result.derivation, walk.stages, walk.revealed, walk.forward_count
        )
        for graph in self.query(GraphView):
            graph.show(state)
        self.call_after_refresh(self._fit)

    def _written(self, width: int) -> Written:
        """The lines at ``width`` columns (the product list asks as it is laid out)."""
        from tutor.present.derivation import derivation_lines
        from tutor.tui.tagged import tagged_content

        walk = self.walk
        if walk is None or self.result is None:
            return Written(Content.empty())
        tagged = derivation_lines(
            walk, self.result.update, width=width, prompting=walk.asking is not None
        )
        self._first_newest = _newest_line(tagged) if walk.revealed - 1 in walk.expanded else None
        # an open prompt sits right under the newest line: no rows kept between them
        room = None if walk.asking is not None else self._finished_lines(width)
        return Written(tagged_content(tagged), room, self._first_newest)

    def _finished_lines(self, width: int) -> Content:
        """The lines of the finished derivation (the rows the view keeps), made again only
        when the width, the paths shown or the predictions kept change."""
        from tutor.present.derivation import finished_lines
        from tutor.tui.tagged import tagged_content

        walk = self.walk
        assert self.result is not None and walk is not None
        kept = tuple(sorted(t for t, p in walk.predictions.items() if not p.open))
        key = (width, frozenset(walk.expanded), kept)
        if self._room is None or self._room[0] != key:
            room = finished_lines(walk, self.result.update, width=width)
            self._room = (key, tagged_content(room))
        return self._room[1]

    def on_resize(self, event: events.Resize) -> None:
        """Fit the view to the window again (the lines were written for a new width as they
        were laid out)."""
        if self.walk is not None:
            self.call_after_refresh(self._fit)

    def _standing(self) -> bool:
        """Whether the view is still on its page with its product list: the learner may have
        left the step, or the lesson (its page is then taken down children first), before a
        fit asked for after the next refresh runs."""
        return self.is_attached and bool(self.query(DerivationLines))

    def _fit(self) -> None:
        """Cap the product list so graph, newest line and prompt share the window; scroll.

        A product written out path by path may take the graph's share too.
        """
        if not self._standing():
            return
        body = self.parent
        products = self.query_one(DerivationLines)
        if isinstance(body, ScrollableContainer) and self.walk is not None:
            window = body.scrollable_content_region.height
            others = self.outer_size.height - products.outer_size.height
            if self._first_newest is not None:  # paths shown: they may push the graph away
                others -= self.query_one(".graph-slot").outer_size.height
            products.cap(max(MIN_LINES, window - others))
        self.call_after_refresh(self._scroll_to_newest)

    def _scroll_to_newest(self) -> None:
        """Show the end of the product list, and the whole view (or its end) in the step."""
        if not self._standing():
            return
        self.query_one(DerivationLines).keep_in_view()
        body = self.parent
        if not isinstance(body, ScrollableContainer) or (self.revealed == 0 and not self.prompting):
            return
        overflow = self.region.bottom - body.scrollable_content_region.bottom
        if overflow > 0:
            body.scroll_relative(y=overflow, animate=False)


def _newest_line(lines: list[Line]) -> int | None:
    """The line where the newest stage starts, if any."""
    return next((n for n, line in enumerate(lines) if Role.NEWEST in line.roles), None)
