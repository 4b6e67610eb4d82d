"""A lesson's ``quiz`` block drawn as a question: its numbers, answer, solution and attempt.

Provides :class:`LessonQuestion` and :func:`draw_question`: the block's network
with its ``vary`` entries drawn from a seed (so the same seed shows the same
numbers again), the question text with those numbers, the engine's answer and the
chain-rule records that lead to it.  :meth:`LessonQuestion.attempt` opens the one
judge on it.  The TUI's quiz block and ``lesson --plain`` both use this.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

import numpy as np

from tutor.answers.attempt import Attempt, FormsReminder
from tutor.answers.grade import Marking
from tutor.answers.mistakes import Mistake
from tutor.answers.solution import Solution
from tutor.answers.types import Expected, Value
from tutor.engine import ForwardStep, NetworkSpec, TraceRecord, derive, loss_of, sgd_step
from tutor.lesson import quantities
from tutor.lesson.diagnoses import asked_functions, mistakes_for, separable_mistakes
from tutor.lesson.model import Quantity, QuizBlock
from tutor.store.outcomes import Outcome, Result
from tutor.store.progress import Answered, Numbers
from tutor.store.tries import TryPlace
from tutor.text.derivation import update_text

SEED_LIMIT = 2**31
MAX_DRAWS = 50


@dataclass(frozen=True, eq=False)
class LessonQuestion:
    """One showing of a quiz block, with the numbers drawn for it."""

    block: QuizBlock
    text: str  # Markdown, placeholders filled in
    spec: NetworkSpec  # the network the answer is computed on
    expected: Value
    records: tuple[TraceRecord, ...]
    mistakes: tuple[Mistake, ...] = ()  # the engine's diagnoses, told apart from the answer
    seed: int | None = None  # the seed of the drawn numbers (None: nothing varies)
    forward: tuple[ForwardStep, ...] = ()  # the forward pass the answer's numbers come from

    @property
    def marking(self) -> Marking:
        """How answers to this question are marked."""
        return Marking.of(self.expected, self.block.tolerance, self.mistakes)

    def solution(self) -> Solution:
        """The worked solution: the engine's chain-rule products, the step if one is asked
        about, then the answer."""
        lr = self.block.answer.lr
        conclusion: tuple[str, ...] = ()
        if lr is not None:
            after = sgd_step(self.spec, lr)
            update = update_text(self.spec, after, loss_of(self.spec), loss_of(after), lr)
            conclusion = tuple(update.split("\n"))
        return Solution(
            forward=self.forward, records=self.records, conclusion=conclusion, answer=self.expected
        )

    @property
    def numbers(self) -> Numbers:
        """The values drawn for the block's ``vary`` entries ({} when nothing varies)."""
        return quantities.drawn_values(self.spec, self.block.vary) if self.block.vary else {}

    def kept(self, attempt: Attempt) -> Answered:
        """What progress keeps of an attempt at this question: finished, or still open
        (its numbers and the tries judged so far, so a return cannot draw new ones)."""
        if not attempt.over:
            return still_open(attempt, self.numbers)
        return answered(attempt, numbers=self.numbers)

    def attempt(
        self,
        reminder: FormsReminder | None = None,
        place: TryPlace | None = None,
        resumed: Answered | None = None,
    ) -> Attempt:
        """An attempt at this question (its tries logged at ``place``, if given); with
        ``resumed``, an open one kept earlier, it goes on from the tries judged then."""
        attempt = self._fresh(reminder, place)
        resume(attempt, resumed)
        return attempt

    def _fresh(self, reminder: FormsReminder | None, place: TryPlace | None) -> Attempt:
        return Attempt(
            Expected(
                self.expected, self.block.tolerance, asked_functions(self.block.answer, self.spec)
            ),
            hints=self.block.hints,
            mistakes=self.mistakes,
            solution=self.solution,
            reminder=reminder or FormsReminder(),
            place=place,
        )


def draw_question(
    block: QuizBlock,
    networks: quantities.Networks,
    seed: int | None = None,
    numbers: Numbers | None = None,
) -> LessonQuestion:
    """The block as a question; a block with ``vary`` draws its numbers from ``seed``.

    With the ``numbers`` kept from an earlier showing, it shows those again (unless
    they no longer fit the lesson).  Without a seed a new one is chosen.  Numbers that
    put a known mistake too close to the answer, or make every mistake the answer itself
    (a step of zero), are drawn again from the next seed.
    A fixed question drops such mistakes (the validator reports them).  Raises
    :class:`~tutor.lesson.quantities.QuantityError` if the answer cannot be computed.
    """
    spec = quantities.network_for(block.answer, networks)
    if not block.vary:
        return _question(block, spec, None, drop=True)
    if numbers and set(numbers) == set(block.vary):
        try:
            kept = quantities.with_values(spec, numbers)
        except quantities.QuantityError:
            pass
        else:
            return _question(replace(block, vary={}), kept, None, drop=True, shown=block)
    seed = secrets.randbelow(SEED_LIMIT) if seed is None else seed
    for k in range(MAX_DRAWS):
        question = _question(block, spec, seed + k)
        if question.marking.separable and not _diagnoses_nothing(question):
            return question
    return _question(block, spec, seed, drop=True)


def _diagnoses_nothing(question: LessonQuestion) -> bool:
    """Whether the drawn numbers make every known mistake give the answer itself.

    A step of zero does that (drawn w = t makes "w unchanged" and "update added" the
    answer): such numbers are drawn again, as numbers too close to a mistake are.
    """
    return bool(question.mistakes) and not question.marking.mistakes


def _question(
    block: QuizBlock,
    spec: NetworkSpec,
    seed: int | None,
    *,
    drop: bool = False,
    shown: QuizBlock | None = None,
) -> LessonQuestion:
    """The question on ``spec`` with its ``vary`` entries drawn from ``seed`` (if any).

    ``drop``: leave out the mistakes that cannot be told apart from the answer;
    ``shown``: the block the question belongs to, if ``block`` is a fixed copy of it.
    """
    answer = block.answer
    if seed is not None:
        spec = quantities.vary_spec(spec, block.vary, np.random.default_rng(seed))
    expected = quantities.evaluate(answer, spec)
    mistakes = mistakes_for(answer, spec)
    if drop:
        mistakes = separable_mistakes(expected, mistakes, block.tolerance)[0]
    text = quantities.render_question(block.question, spec, lr=answer.lr)
    question = LessonQuestion(
        block=shown or block,
        text=text,
        spec=spec,
        expected=expected,
        records=quantities.solution_records(answer, spec),
        mistakes=mistakes,
        seed=seed,
        forward=solution_forward(answer, spec),
    )
    note = question.marking.note
    return replace(question, text=f"{text}\n\n*{note}*") if note else question


def solution_forward(q: Quantity, spec: NetworkSpec) -> tuple[ForwardStep, ...]:
    """The forward steps a worked solution starts from: up to the value asked for, or the
    whole forward pass (gradients and steps use its values); none for shapes and scales."""
    if q.kind in ("shape", "init_std") or (q.kind == "value" and q.name in ("x", "t")):
        return ()
    forward = derive(spec).forward
    if q.kind != "value":
        return forward
    labels = [step.label for step in forward]
    name = f"a{len(spec.layers)}" if q.name == "y" else q.name
    if name in labels:
        return forward[: labels.index(name) + 1]
    return forward if name == "p" else ()  # p is shown with the loss; a parameter is given


def still_open(attempt: Attempt, numbers: Numbers | None = None) -> Answered:
    """What progress keeps of an attempt not over yet: its tries so far (and the numbers)."""
    outcome = Outcome.WRONG if attempt.tries else Outcome.UNREADABLE
    return Answered(
        attempt.answer, outcome, Result.OPEN, attempt.tries, dict(numbers or {}), attempt.wrong
    )


def resume(attempt: Attempt, kept: Answered | None) -> None:
    """Carry the tries of an open ``kept`` answer into a new ``attempt`` at the same question."""
    if kept is not None and kept.open:
        attempt.tries, attempt.wrong = kept.tries, min(kept.wrong, kept.tries)
        attempt.answer = kept.answer


def answered(attempt: Attempt, numbers: Numbers | None = None) -> Answered:
    """What progress keeps of a finished attempt: the answer, the outcome, the numbers drawn."""
    outcome = (
        Outcome.CORRECT if attempt.solved else Outcome.SKIPPED if attempt.skipped else Outcome.WRONG
    )
    return Answered(attempt.answer, outcome, attempt.result, attempt.tries, dict(numbers or {}))
