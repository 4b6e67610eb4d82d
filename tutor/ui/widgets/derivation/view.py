"""The derivation view of a ``derive`` block: forward pass, then backward pass, one key at a time.

The engine's :func:`~tutor.engine.derive` runs once per block in a thread worker;
the view then walks its records: first every forward value (``forward_line``),
then every chain-rule product exactly as the backward pass emitted it
(``record_line`` and the rule in words), under the computational graph.  The
list of lines is kept short enough that the graph, the newest line and the
prediction prompt fit in the step's window together, and it scrolls to its end
on every reveal.
Where the lesson asks for a prediction, an input appears before that product;
the answer is read by :mod:`tutor.answers.parse` and graded by :mod:`tutor.answers.grade`.
With ``lr`` set, the gradient-descent update follows the last product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from tutor.ui.messages import Computed, PredictionMade, RevealChanged, post_computed
from tutor.ui.widgets.derivation.graph_view import GraphState, GraphView

if TYPE_CHECKING:
    from tutor.engine import Derivation, ForwardStep, NetworkSpec, TraceRecord
    from tutor.lesson.model import DeriveBlock
    from tutor.store.progress import Prediction


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


MIN_LINES = 4
"""The product list never shrinks below this many rows to make room for the graph."""


class ProductList(VerticalScroll, can_focus=False):
    """The revealed lines of a derivation; scrolled to its end on every reveal."""


class DerivationView(Vertical):
    """Step through one ``derive`` block; the screen calls :meth:`advance` and :meth:`retreat`."""

    def __init__(
        self,
        block: DeriveBlock,
        spec: NetworkSpec,
        *,
        key: str,
        revealed: int,
        predictions: dict[str, Prediction],
        cache: dict[str, Any],
    ) -> None:
        super().__init__(classes="derivation-view")
        self.block = block
        self.spec = spec
        self.key = key
        self.revealed = revealed
        self.predictions = predictions
        self._cache = cache
        self.result: DerivationResult | None = cache.get(key)
        self.prompting = False
        self._verdicts: dict[str, str] = {}
        self._width = 0

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        if self.block.caption:
            yield Static(self.block.caption, classes="caption", markup=False)
        yield Static("Computing the derivation…", classes="derivation-summary")
        yield Vertical(classes="graph-slot")
        with ProductList(classes="derivation-scroll"):
            yield Static("", classes="derivation-lines")
        with Vertical(classes="prediction-prompt"):
            yield Static("", classes="prediction-question")
            yield PredictionInput(
                placeholder="a number, or your working, e.g. 0.7*(1-0.7)", compact=True
            )
            yield Static("", classes="prediction-feedback")

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
            self.query_one(".derivation-summary", Static).update(message.error)
            return
        self.result = message.result
        self._cache[self.key] = message.result
        self._ready()

    def _ready(self) -> None:
        from tutor.text.derivation import network_summary

        assert self.result is not None
        derivation = self.result.derivation
        self.revealed = min(self.revealed, len(self.stages))
        self.query_one(".derivation-summary", Static).update(
            Text(f"Network: {network_summary(derivation.spec)}", style="dim")
        )
        self.query_one(".graph-slot").mount(GraphView(derivation))
        self._redraw()

    # ------------------------------------------------------------------ stages
    @property
    def ready(self) -> bool:
        """Whether the engine's result has arrived."""
        return self.result is not None

    @property
    def stages(self) -> list[ForwardStep | TraceRecord]:
        """The forward steps (if shown) then the trace records, in reveal order."""
        if self.result is None:
            return []
        derivation = self.result.derivation
        forward = list(derivation.forward) if self.block.show_forward else []
        return [*forward, *derivation.trace]

    @property
    def finished(self) -> bool:
        """Whether every stage is revealed."""
        return self.ready and self.revealed >= len(self.stages)

    def _forward_count(self) -> int:
        assert self.result is not None
        return len(self.result.derivation.forward) if self.block.show_forward else 0

    def _asks_prediction(self, index: int) -> TraceRecord | None:
        """The record at ``index`` if the lesson asks to predict it and it was not predicted."""
        from tutor.engine import TraceRecord

        assert self.result is not None
        record = self.stages[index]
        if not isinstance(record, TraceRecord) or record.target not in self.block.predict:
            return None
        if self.result.derivation.record_for(record.target) is not record:
            return None  # a partial contribution; the learner predicts the complete gradient
        return None if self._prediction_key(record) in self.predictions else record

    def _prediction_key(self, record: TraceRecord) -> str:
        return f"{self.key}:{record.target}"

    # ------------------------------------------------------------------ keys
    def advance(self) -> bool:
        """Reveal the next stage (or ask for a prediction first); False when finished."""
        if not self.ready:
            self.notify("Still computing the derivation…")
            return True
        if self.prompting:
            self.query_one(PredictionInput).focus()
            return True
        if self.revealed >= len(self.stages):
            return False
        record = self._asks_prediction(self.revealed)
        if record is not None:
            self._ask(record)
            return True
        self._set_revealed(self.revealed + 1)
        return True

    def retreat(self) -> bool:
        """Hide the last stage (or close the prediction prompt); False when nothing is shown."""
        if self.prompting:
            self._close_prompt()
            self._redraw()
            return True
        if not self.ready or self.revealed == 0:
            return False
        self._set_revealed(self.revealed - 1)
        return True

    def _set_revealed(self, count: int) -> None:
        self.revealed = count
        self._redraw()
        self.post_message(RevealChanged(self.key, count))

    # ------------------------------------------------------------------ predictions
    def _ask(self, record: TraceRecord) -> None:
        self.prompting = True
        prompt = self.query_one(".prediction-prompt")
        prompt.display = True
        self.query_one(".prediction-question", Static).update(
            Text.assemble(
                ("Your turn: ", "bold"),
                f"predict {record.target} = {record.expression} before it is revealed, "
                "then press Enter (Esc skips).",
            )
        )
        self._feedback(None)
        field = self.query_one(PredictionInput)
        field.value = ""
        field.focus()
        self._redraw()
        self.call_after_refresh(self._fit)

    def _feedback(self, text: Text | None) -> None:
        """Show why an answer could not be read, or nothing (and take no room)."""
        feedback = self.query_one(".prediction-feedback", Static)
        feedback.update(text or "")
        feedback.display = text is not None
        self.call_after_refresh(self._fit)

    def _close_prompt(self) -> None:
        self.prompting = False
        self.query_one(".prediction-prompt").display = False
        self.screen.set_focus(None)
        self.call_after_refresh(self._fit)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Read and grade the prediction; an unreadable one is explained and not counted."""
        from tutor.answers.grade import grade
        from tutor.answers.parse import AnswerError, parse_answer
        from tutor.store.progress import Prediction

        event.stop()
        record = self._asks_prediction(self.revealed)
        if record is None:
            self._close_prompt()
            return
        try:
            answer = parse_answer(event.value)
        except AnswerError as exc:
            forms = "\n".join(exc.accepted_forms.splitlines()[:6])
            self._feedback(Text(f"{exc} (not counted)\n{forms}", style="yellow"))
            return
        expected = record.value.item() if record.value.size == 1 else record.value
        verdict = grade(answer, expected)
        prediction = Prediction(answer=event.value.strip(), outcome=verdict.outcome)
        self.predictions[self._prediction_key(record)] = prediction
        self.post_message(
            PredictionMade(self._prediction_key(record), prediction.answer, verdict.outcome)
        )
        self._close_prompt()
        self._verdicts[record.target] = verdict.message
        self._redraw()

    @on(PredictionInput.Skipped)
    def _skipped(self, event: PredictionInput.Skipped) -> None:
        """Escape in the prompt: reveal without a prediction."""
        event.stop()
        self._close_prompt()
        self._set_revealed(self.revealed + 1)

    # ------------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        from tutor.ui.widgets.derivation.lines import derivation_lines, graph_state

        assert self.result is not None
        stages = self.stages
        lines = self.query_one(".derivation-lines", Static)
        text = derivation_lines(
            self.result,
            stages,
            self.revealed,
            self._forward_count(),
            predictions={
                r.target: self.predictions[self._prediction_key(r)]
                for r in self.result.derivation.trace
                if self._prediction_key(r) in self.predictions
            },
            verdicts=self._verdicts,
            width=lines.content_size.width,
            prompting=self.prompting,
        )
        lines.update(text)
        state: GraphState = graph_state(
            self.result.derivation, stages, self.revealed, self._forward_count()
        )
        for graph in self.query(GraphView):
            graph.show(state)
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        """Rewrap the lines when the width changes; fit the view to the window again."""
        if self.result is None:
            return
        if event.size.width != self._width:
            self._width = event.size.width
            self._redraw()
        else:
            self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Cap the product list so graph, newest line and prompt share the window; scroll."""
        if not self.is_attached:  # the learner left the step before this ran
            return
        body = self.parent
        products = self.query_one(ProductList)
        if isinstance(body, ScrollableContainer) and self.result is not None:
            window = body.scrollable_content_region.height
            others = self.outer_size.height - products.outer_size.height
            products.styles.max_height = max(MIN_LINES, window - others)
        self.call_after_refresh(self._scroll_to_newest)

    def _scroll_to_newest(self) -> None:
        """Show the end of the product list, and the whole view (or its end) in the step."""
        if not self.is_attached:
            return
        self.query_one(ProductList).scroll_end(animate=False, immediate=True)
        body = self.parent
        if not isinstance(body, ScrollableContainer) or (self.revealed == 0 and not self.prompting):
            return
        overflow = self.region.bottom - body.scrollable_content_region.bottom
        if overflow > 0:
            body.scroll_relative(y=overflow, animate=False)
