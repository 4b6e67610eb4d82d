"""The walk through one ``derive`` block: reveal, retreat, and predictions asked first.

:class:`DerivationWalk` holds the stages of a derivation in reveal order (the
forward steps, if shown, then every chain-rule record of the backward pass), how
many are revealed, and the predictions: where the lesson asks to predict a
product, :meth:`~DerivationWalk.advance` opens an :class:`~tutor.answers.attempt.Attempt`
before that product is revealed, with the engine's hints and diagnoses for it.  The
TUI's derivation view and ``lesson --plain`` both drive it; neither decides
anything about the walk itself.  A matrix product can be shown path by path
(:meth:`~DerivationWalk.toggle_paths`, or the block's ``expand``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tutor.answers.attempt import Attempt, Feedback, FormsReminder
from tutor.answers.solution import Solution
from tutor.answers.types import Expected
from tutor.engine import Derivation, ForwardStep, TraceRecord
from tutor.engine.entry_paths import expandable
from tutor.lesson.diagnoses import derivatives_of, gradient_mistakes, separable_mistakes
from tutor.lesson.model import DeriveBlock
from tutor.lesson.questions import answered, resume, still_open
from tutor.store.outcomes import Outcome
from tutor.store.progress import Answered
from tutor.store.tries import TryPlace
from tutor.text.derivation import record_hints

Stage = ForwardStep | TraceRecord


@dataclass(frozen=True)
class Asking:
    """A prediction being asked: the record it is about and the attempt at it."""

    record: TraceRecord
    attempt: Attempt


class DerivationWalk:
    """Reveal a derivation one stage at a time, asking for predictions where the lesson wants."""

    def __init__(
        self,
        derivation: Derivation,
        block: DeriveBlock,
        *,
        revealed: int = 0,
        predictions: dict[str, Answered] | None = None,
        reminder: FormsReminder | None = None,
        place: TryPlace | None = None,
    ) -> None:
        self.place = place
        """Where the block is (a lesson's block): predictions made here are logged as tries."""
        self.derivation = derivation
        self.block = block
        forward = list(derivation.forward) if block.show_forward else []
        self.forward_count = len(forward)
        self.stages: list[Stage] = [*forward, *derivation.trace]
        self.revealed = min(max(revealed, 0), len(self.stages))
        self.predictions: dict[str, Answered] = {} if predictions is None else predictions
        """The predictions made so far, by target ("dL/dz2"): the block's own dict in the
        learner's progress (:meth:`~tutor.store.progress.LessonProgress.predictions_in`),
        where the walk keeps each prediction once it is over."""
        self.messages: dict[str, str] = {}
        """The verdict on each prediction made in this session, by target."""
        self.asking: Asking | None = None
        self.expanded: set[int] = {
            index
            for index, stage in enumerate(self.stages)
            if isinstance(stage, TraceRecord) and stage.target in block.expand
        }
        """Stages shown path by path (indexes into :attr:`stages`)."""
        self._attempts: dict[str, Attempt] = {}
        self._reminder = reminder or FormsReminder()

    @property
    def finished(self) -> bool:
        """Whether every stage is revealed."""
        return self.revealed >= len(self.stages)

    @property
    def next_stage(self) -> Stage | None:
        """The stage the next reveal shows, if any."""
        return None if self.finished else self.stages[self.revealed]

    def advance(self) -> bool:
        """Reveal the next stage, or open its prediction first; False when there is nothing left.

        While a prediction is open, nothing moves (True): the learner answers or skips.
        """
        if self.asking is not None:
            return True
        if self.finished:
            return False
        record = self._wants_prediction(self.revealed)
        if record is not None:
            self.asking = Asking(record, self._attempt(record))
            return True
        self.revealed += 1
        return True

    @property
    def newest_expandable(self) -> bool:
        """Whether the newest revealed stage is a matrix product that adds several paths."""
        if self.revealed == 0:
            return False
        stage = self.stages[self.revealed - 1]
        return isinstance(stage, TraceRecord) and expandable(stage)

    @property
    def paths_stage(self) -> int | None:
        """The stage ``x`` writes out path by path: the newest revealed one if it adds
        several paths; once the walk is finished, the last one that does."""
        if self.newest_expandable:
            return self.revealed - 1
        if not self.finished:
            return None
        found = [
            n for n, s in enumerate(self.stages) if isinstance(s, TraceRecord) and expandable(s)
        ]
        return found[-1] if found else None

    def toggle_paths(self) -> bool:
        """Show (or hide) a product path by path (:attr:`paths_stage`); False if there is none."""
        index = self.paths_stage
        if index is None:
            return False
        self.expanded ^= {index}
        return True

    def retreat(self) -> bool:
        """Close an open prediction, else hide the last stage; False when nothing is shown."""
        if self.asking is not None:
            self.asking = None
            return True
        if self.revealed == 0:
            return False
        self.revealed -= 1
        return True

    def submit(self, text: str) -> Feedback:
        """Judge an answer to the open prediction; it is kept after every judged try (open
        until it is over), so leaving and coming back does not forget a wrong try."""
        if self.asking is None:
            raise RuntimeError("no prediction is open")
        feedback = self.asking.attempt.submit(text)
        if feedback.question_over:
            self._keep(feedback)
        elif feedback.status != Outcome.UNREADABLE:
            self.predictions[self.asking.record.target] = still_open(self.asking.attempt)
        return feedback

    def skip(self) -> Feedback:
        """Skip the open prediction and reveal its product."""
        if self.asking is None:
            raise RuntimeError("no prediction is open")
        feedback = self.asking.attempt.skip()
        self._keep(feedback)
        self.revealed += 1
        return feedback

    def _keep(self, feedback: Feedback) -> None:
        assert self.asking is not None
        record, attempt = self.asking.record, self.asking.attempt
        self.predictions[record.target] = answered(attempt)
        self.messages[record.target] = feedback.message
        self.asking = None

    def _wants_prediction(self, index: int) -> TraceRecord | None:
        """The record at ``index`` if the lesson asks to predict it and it was not predicted."""
        stage = self.stages[index]
        if not isinstance(stage, TraceRecord) or stage.target not in self.block.predict:
            return None
        if self.derivation.record_for(stage.target) is not stage:
            return None  # a partial contribution; the learner predicts the complete gradient
        kept = self.predictions.get(stage.target)
        return None if kept is not None and not kept.open else stage

    def _attempt(self, record: TraceRecord) -> Attempt:
        """The attempt at predicting ``record`` (kept, so closing the prompt loses no tries)."""
        if record.target not in self._attempts:
            value = record.value.item() if record.value.size == 1 else record.value
            mistakes = gradient_mistakes(self.derivation.spec, record.node)
            self._attempts[record.target] = Attempt(
                Expected(value, asked=derivatives_of(self.derivation.spec)),
                hints=record_hints(record),
                mistakes=separable_mistakes(value, mistakes)[0],
                solution=lambda: Solution(records=(record,)),
                reminder=self._reminder,
                place=replace(self.place, target=record.target) if self.place else None,
            )
            resume(self._attempts[record.target], self.predictions.get(record.target))
        return self._attempts[record.target]
