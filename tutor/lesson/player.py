"""A lesson as plain text, one step after another: the player behind ``lesson ID --plain``.

:class:`LessonPlayer` prints each step's prose, network cards, derivations (the
forward values, then every chain-rule product as the engine computed it, a matrix
product's entries path by path: all of them where the block asks, else the first),
gradient checks and training runs, and reads a line only where the learner answers: a
prediction or a quiz question, at a prompt that ends with ``> ``.  Every answer
goes to the same judge as in the TUI (:class:`~tutor.answers.attempt.Attempt`,
through :class:`~tutor.lesson.walk.DerivationWalk` and
:class:`~tutor.lesson.questions.LessonQuestion`) and gets one verdict line starting
with ✓, ✗, ~ or ? (not counted), then its diagnosis, hint or solution lines.
``skip`` shows the solution and moves on, ``forms`` lists what may be typed, ``quit``
stops.  Progress is kept as in the TUI.  Input and output are callables, so the
player runs the same on a terminal, from a pipe and in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from tutor.answers.attempt import FORMS_REQUEST, Feedback, FormsReminder, feedback_lines
from tutor.answers.parse import ACCEPTED_FORMS
from tutor.engine import NetworkSpec, TraceRecord, derive, gradient_check, loss_of, sgd_step
from tutor.lesson.model import (
    DeriveBlock,
    ExerciseBlock,
    GradcheckBlock,
    Lesson,
    NetworkBlock,
    Part,
    Prose,
    QuizBlock,
    TrainBlock,
)
from tutor.lesson.path_lines import MAX_ENTRIES as MAX_PATH_ENTRIES
from tutor.lesson.path_lines import path_lines
from tutor.lesson.progress_keys import block_key, prediction_key
from tutor.lesson.questions import draw_question
from tutor.lesson.summary import LessonSummary, summarise, summary_lines
from tutor.lesson.walk import DerivationWalk, Stage
from tutor.store.progress import Answered, LessonProgress
from tutor.text.derivation import (
    forward_line,
    gradcheck_text,
    network_summary,
    record_line,
    record_value,
    update_text,
)
from tutor.text.numbers import format_array, format_shape
from tutor.text.plain import plain_markdown

SKIP, QUIT = {"skip", "s"}, {"quit", "q", "exit"}
MAX_ENTRIES_SHOWN = 24
KEPT_WORDS = {
    "first_try": "✓ right first time",
    "retried": "✓ right after {tries} tries",
    "revealed": "✗ solution shown after {tries} tries",
    "skipped": "→ skipped",
}

Read = Callable[[str], str | None]
"""Show a prompt and read one line (None at the end of the input)."""
TrainLines = Callable[[TrainBlock, Lesson], Sequence[str]]
"""The text of a train block's headless run (the ``train`` command's output)."""


class Quit(Exception):
    """The learner typed ``quit``, or the input ended."""


@dataclass
class LessonPlayer:
    """Plays one lesson as text; :meth:`run` returns how it went."""

    lesson: Lesson
    progress: LessonProgress
    read: Read
    say: Callable[[str], None]
    save: Callable[[], None] = lambda: None
    train_lines: TrainLines | None = None
    pause: bool = False  # wait for Enter between steps (on a terminal)

    def __post_init__(self) -> None:
        self.reminder = FormsReminder()

    def run(self) -> LessonSummary:
        """Play every step, then print the summary (also after ``quit``)."""
        steps = self.lesson.steps
        self.say(
            f"{self.lesson.title} · {len(steps)} steps. Answer at a `> ` prompt; `skip` shows "
            "the solution, `forms` what you may type, `quit` stops."
        )
        try:
            for i, step in enumerate(steps):
                self.progress.step = i
                self.say("")
                self.say(f"Step {i + 1} of {len(steps)} · {step.title}")
                for j, part in enumerate(step.parts):
                    self._part(part, block_key(i, j))
                if i not in self.progress.finished_steps:
                    self.progress.finished_steps.append(i)
                self.save()
                if self.pause and i + 1 < len(steps):
                    line = self.read("(Enter: next step, q: quit) ")
                    if line is None or line.strip().lower() in QUIT:
                        raise Quit
        except Quit:
            self.say("")
            self.say("Stopped here; your progress is saved.")
        self.save()
        summary = summarise(self.lesson, self.progress)
        self.say("")
        for line in summary_lines(summary):
            self.say(line)
        return summary

    # ------------------------------------------------------------------ parts
    def _part(self, part: Part, key: str) -> None:
        if isinstance(part, Prose):
            self.say(plain_markdown(part.text))
        elif isinstance(part, NetworkBlock):
            for line in network_lines(part):
                self.say(line)
        elif isinstance(part, DeriveBlock):
            self._derive(part, key)
        elif isinstance(part, GradcheckBlock):
            self._caption(part.caption)
            spec = self.lesson.network(part.network)
            check = gradient_check(spec, epsilon=part.epsilon, analytical_loss=part.backprop_loss)
            self.say(gradcheck_text(check))
        elif isinstance(part, TrainBlock):
            self._caption(part.caption)
            for line in self.train_lines(part, self.lesson) if self.train_lines else ():
                self.say(line)
        elif isinstance(part, QuizBlock):
            self._quiz(part, key)
        elif isinstance(part, ExerciseBlock):
            self._caption(part.caption)
            self.say(
                f"Code exercise {part.exercise}: `backprop-tutor exercise start {part.exercise}` "
                f"gives you its file, `backprop-tutor exercise check {part.exercise}` checks it."
            )

    def _caption(self, caption: str) -> None:
        if caption:
            self.say(plain_markdown(caption))

    def _derive(self, block: DeriveBlock, key: str) -> None:
        self._caption(block.caption)
        spec = self.lesson.network(block.network)
        derivation = derive(spec)
        kept = self.progress.predictions
        saved = {t: p for t in block.predict if (p := kept.get(prediction_key(key, t)))}
        walk = DerivationWalk(derivation, block, predictions=saved, reminder=self.reminder)
        self.say(f"Network: {network_summary(spec)}")
        while True:
            shown = walk.revealed
            if not walk.advance():
                break
            if walk.asking is not None:
                self._predict(walk, key)
                continue
            self._stage(walk, walk.stages[shown], shown)
        if block.lr is not None:
            after = sgd_step(spec, block.lr)
            self.say(update_text(spec, after, derivation.loss, loss_of(after), block.lr))

    def _stage(self, walk: DerivationWalk, stage: Stage, index: int) -> None:
        if index == 0 and walk.forward_count:
            self.say("Forward pass")
        if index == walk.forward_count:
            self.say("Backward pass (each chain-rule product, in the order computed)")
        if index < walk.forward_count:
            self.say(f"  {forward_line(stage)}")  # type: ignore[arg-type]
            return
        record: TraceRecord = stage  # type: ignore[assignment]
        kept = walk.predictions.get(record.target)
        if kept is not None and record.target not in walk.messages and kept.result:
            answer = kept.answer or "—"
            self.say(f"  (you predicted {record.target} = {answer} earlier: {_kept_words(kept)})")
        self.say(f"  {record_line(record)}")
        if not record.is_scalar:
            for row in record_value(record).splitlines():
                self.say(f"      {row}")
        self.say(f"      ({record.rule})")
        limit = MAX_PATH_ENTRIES if index in walk.expanded else 1
        for line in path_lines(walk.derivation, record, limit=limit):
            self.say(f"      {line}")

    def _predict(self, walk: DerivationWalk, key: str) -> None:
        assert walk.asking is not None
        record, attempt = walk.asking.record, walk.asking.attempt
        self.say(f"Your turn: predict {record.target} = {record.expression} before it is shown.")
        if attempt.note:
            self.say(attempt.note)
        feedback = self._ask(  # its solution is the product, shown next
            f"{record.target} > ", walk.submit, walk.skip, solution=False
        )
        kept = walk.predictions[record.target]
        self.progress.predictions[prediction_key(key, record.target)] = kept
        self.save()
        if feedback.status != "skipped":
            walk.advance()  # reveal the product predicted
        self._stage(walk, record, walk.revealed - 1)

    def _quiz(self, block: QuizBlock, key: str) -> None:
        kept = self.progress.questions.get(key)
        question = draw_question(
            block, self.lesson.networks, numbers=kept.numbers if kept is not None else None
        )
        self.say(f"Question: {plain_markdown(question.text)}")
        if kept is not None:
            self.say(f"Answered before: {_kept_words(kept)}.")
            if kept.answer:
                self.say(f"Your answer: {kept.answer}")
            return
        attempt = question.attempt(self.reminder)
        self._ask("answer> ", attempt.submit, attempt.skip)
        self.progress.questions[key] = question.kept(attempt)
        self.save()

    def _ask(
        self,
        prompt: str,
        submit: Callable[[str], Feedback],
        skip: Callable[[], Feedback],
        *,
        solution: bool = True,
    ) -> Feedback:
        """Read answers until the question is over; one verdict line (and more) per answer."""
        while True:
            line = self.read(prompt)
            if line is None:
                raise Quit
            text = line.strip()
            if text.lower() in QUIT:
                raise Quit
            if text.lower() in FORMS_REQUEST:
                self.say(ACCEPTED_FORMS)
                continue
            feedback = skip() if text.lower() in SKIP else submit(text)
            shown = feedback if solution else replace(feedback, solution=())
            for out in feedback_lines(shown):
                self.say(out)
            if feedback.question_over:
                return feedback


def _kept_words(kept: Answered) -> str:
    return KEPT_WORDS.get(kept.result, kept.outcome).format(tries=kept.tries)


def network_lines(block: NetworkBlock, drawn: NetworkSpec | None = None) -> list[str]:
    """A network card as text: the summary line, then x, t and each parameter.

    ``drawn``: the block's network with the numbers a varied question drew, shown instead.
    """
    spec = block.spec if drawn is None else drawn
    lines = [f"Network {block.id}: {network_summary(spec)}"]
    arrays = {"x": spec.input, "t": spec.target}
    if block.drawn and drawn is None:
        shapes = ", ".join(f"{n} {format_shape(p.shape)}" for n, p in spec.params().items())
        lines.append(f"  weights drawn at random ({block.drawn}): {shapes}")
    else:
        arrays.update(spec.params())
    for name, array in arrays.items():
        shown = (
            format_array(array)
            if array.size <= MAX_ENTRIES_SHOWN
            else f"shape {format_shape(array.shape)}"
        )
        lines.append(f"  {name} = {shown}")
    return lines
