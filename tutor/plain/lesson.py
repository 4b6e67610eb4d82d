"""A lesson as plain text, one step after another: the player behind ``lesson ID --plain``.

:class:`LessonPlayer` prints each step's prose, network cards, derivations (the
forward values, then every chain-rule product as the engine computed it, a matrix
product's entries path by path: all of them where the block asks, else the first),
gradient checks and training runs, and reads a line only where the learner answers: a
prediction or a quiz question, at a prompt that ends with ``> ``.  Every answer
goes to the same judge as in the TUI (:class:`~tutor.answers.attempt.Attempt`,
through :class:`~tutor.lesson.walk.DerivationWalk` and
:class:`~tutor.lesson.questions.LessonQuestion`) and gets one verdict line starting
with ✓, ✗, ~ or ? (not counted), then its diagnosis, hint or solution lines, all in
the words of :mod:`tutor.present`, as the TUI shows them.  ``skip`` shows the
solution and moves on, ``forms`` lists what may be typed, ``quit`` stops.  Progress
is kept as in the TUI.  Input and output are callables, so the player runs the same
on a terminal, from a pipe and in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tutor.answers.attempt import Feedback, FormsReminder
from tutor.engine import derive, gradient_check, loss_of, sgd_step
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
from tutor.lesson.progress_keys import block_key
from tutor.lesson.questions import draw_question
from tutor.lesson.summary import LessonSummary, summarise
from tutor.lesson.walk import DerivationWalk
from tutor.plain.terminal import QUIT, WIDTH, Quit, Read, ask
from tutor.present.derivation import prediction_prompt, stage_lines, summary_line
from tutor.present.gradcheck import gradcheck_lines
from tutor.present.lines import Line
from tutor.present.network import network_lines
from tutor.present.summary import summary_lines
from tutor.present.verdict import kept_lines, resumed_lines
from tutor.store.outcomes import Outcome
from tutor.store.progress import LessonProgress
from tutor.store.tries import TryPlace
from tutor.text.derivation import update_text
from tutor.text.plain import plain_markdown
from tutor.text.wrap import wrap_line, wrap_prose

COLLAPSED_PATHS = 1
"""Entries of a matrix product written out path by path where the block does not ask for all
(a reader cannot press x for them)."""

TrainLines = Callable[[TrainBlock, Lesson], Sequence[Line]]
"""The text of a train block's headless run (the ``train`` command's output)."""


@dataclass
class LessonPlayer:
    """Plays one lesson as text; :meth:`run` returns how it went."""

    lesson: Lesson
    progress: LessonProgress
    read: Read
    say: Callable[[str], None]
    save: Callable[[], bool] = lambda: True
    """Write the progress; whether it is on disk now."""
    train_lines: TrainLines | None = None
    pause: bool = False  # wait for Enter between steps (on a terminal)

    def __post_init__(self) -> None:
        self.reminder = FormsReminder()

    def show(self, lines: Iterable[Line]) -> None:
        """Print tagged lines (as words: the plain lesson has no colour)."""
        for line in lines:
            self.show_line(line)

    def show_line(self, line: Line) -> None:
        """Print one tagged line, wrapped at :data:`WIDTH`."""
        self.tell(line.text)

    def tell(self, text: str) -> None:
        """Print ``text``, each of its lines wrapped at :data:`WIDTH` (continuations indented)."""
        for line in text.split("\n"):
            for piece in wrap_line(line, WIDTH):
                self.say(piece)

    def prose(self, markdown: str) -> None:
        """Print Markdown as plain prose wrapped at :data:`WIDTH` (code and tables as written)."""
        self.say(wrap_prose(plain_markdown(markdown), WIDTH))

    def run(self) -> LessonSummary:
        """Play every step, then print the summary (also after ``quit``)."""
        steps = self.lesson.steps
        self.tell(
            f"{self.lesson.title} · {len(steps)} steps. Answer at a `> ` prompt; `skip` shows "
            "the solution, `forms` what you may type, `quit` stops."
        )
        try:
            for i, step in enumerate(steps):
                self.progress.step = i
                self.say("")
                self.tell(f"Step {i + 1} of {len(steps)} · {step.title}")
                for j, part in enumerate(step.parts):
                    self.play_part(part, block_key(i, j))
                if i not in self.progress.finished_steps:
                    self.progress.finished_steps.append(i)
                self.save()
                if self.pause and i + 1 < len(steps):
                    line = self.read("(Enter: next step, q: quit) ")
                    if line is None or line.strip().lower() in QUIT:
                        raise Quit
        except Quit:
            self.say("")
            saved = self.save()
            self.say(f"Stopped here; your progress is {'saved' if saved else 'NOT saved'}.")
        else:
            self.save()
        summary = summarise(self.lesson, self.progress)
        self.say("")
        self.show(summary_lines(summary))
        return summary

    # ------------------------------------------------------------------ parts
    def play_part(self, part: Part, key: str) -> None:
        """Play one part of a step (``key``: its block key)."""
        if isinstance(part, Prose):
            self.prose(part.text)
        elif isinstance(part, NetworkBlock):
            self.show(network_lines(part))
        elif isinstance(part, DeriveBlock):
            self._derive(part, key)
        elif isinstance(part, GradcheckBlock):
            self._caption(part.caption)
            spec = self.lesson.network(part.network)
            check = gradient_check(spec, epsilon=part.epsilon, analytical_loss=part.backprop_loss)
            self.show(gradcheck_lines(check, backprop_loss=part.backprop_loss, loss=spec.loss))
        elif isinstance(part, TrainBlock):
            self._caption(part.caption)
            self.show(self.train_lines(part, self.lesson) if self.train_lines else ())
        elif isinstance(part, QuizBlock):
            self._quiz(part, key)
        elif isinstance(part, ExerciseBlock):
            self._caption(part.caption)
            self.tell(
                f"Code exercise {part.exercise}: `backprop-tutor exercise start {part.exercise}` "
                f"gives you its file, `backprop-tutor exercise check {part.exercise}` checks it."
            )

    def _caption(self, caption: str) -> None:
        if caption:
            self.prose(caption)

    def _derive(self, block: DeriveBlock, key: str) -> None:
        self._caption(block.caption)
        spec = self.lesson.network(block.network)
        derivation = derive(spec)
        walk = DerivationWalk(
            derivation,
            block,
            predictions=self.progress.predictions_in(key),
            reminder=self.reminder,
            place=TryPlace("prediction", self.lesson.id, key),
        )
        self.show([summary_line(walk)])
        while True:
            shown = walk.revealed
            if not walk.advance():
                break
            if walk.asking is not None:
                self._predict(walk)
                continue
            self._stage(walk, shown)
        if block.lr is not None:
            after = sgd_step(spec, block.lr)
            self.tell(update_text(spec, after, derivation.loss, loss_of(after), block.lr))

    def _stage(self, walk: DerivationWalk, index: int) -> None:
        lines = stage_lines(
            walk, index, width=WIDTH, collapsed_paths=COLLAPSED_PATHS, verdicts=False
        )
        self.show(lines)

    def _predict(self, walk: DerivationWalk) -> None:
        assert walk.asking is not None
        record, attempt = walk.asking.record, walk.asking.attempt
        self.show(prediction_prompt(record, attempt.note))
        if attempt.tries:
            self.show(resumed_lines(attempt))

        def submit(text: str) -> Feedback:
            """Judge the prediction; the walk keeps every judged try, saved at once."""
            feedback = walk.submit(text)
            if feedback.status != Outcome.UNREADABLE:
                self.save()
            return feedback

        feedback = ask(  # its solution is the product, shown next
            self.read, self.show_line, f"{record.target} > ", submit, walk.skip, solution=False
        )
        self.save()  # the walk kept the prediction in progress
        if feedback.status != "skipped":
            walk.advance()  # reveal the product predicted
        self._stage(walk, walk.revealed - 1)

    def _quiz(self, block: QuizBlock, key: str) -> None:
        kept = self.progress.questions.get(key)
        question = draw_question(
            block, self.lesson.networks, numbers=kept.numbers if kept is not None else None
        )
        self.say(wrap_prose(f"Question: {plain_markdown(question.text)}", WIDTH))
        if kept is not None and not kept.open:
            self.show(kept_lines(kept, question.solution()))
            return
        place = TryPlace("question", self.lesson.id, key)
        attempt = question.attempt(self.reminder, place, resumed=kept)
        if attempt.tries:
            self.show(resumed_lines(attempt))

        def submit(text: str) -> Feedback:
            """Judge the answer; keep every judged try (and the numbers) at once."""
            feedback = attempt.submit(text)
            if feedback.status != Outcome.UNREADABLE:
                self.progress.questions[key] = question.kept(attempt)
                self.save()
            return feedback

        self.progress.questions[key] = question.kept(attempt)  # the numbers, as drawn
        self.save()
        ask(self.read, self.show_line, "answer> ", submit, attempt.skip)
        self.progress.questions[key] = question.kept(attempt)
        self.save()
