"""A quiz as a state machine: options, the question drawer, and :class:`QuizSession`.

The session asks ``count`` questions chosen by the scheduler; each is answered
through one :class:`~tutor.answers.attempt.Attempt` (the judge every answer in the
tutor goes through: verdicts, hints in levels, diagnosis, the worked solution).
Every finished question is recorded in the learner's
:class:`~tutor.store.progress.FamilyStats`.  Saving the progress is the caller's job.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from tutor.answers.attempt import Attempt, Feedback, FormsReminder
from tutor.answers.types import Expected
from tutor.quiz import scheduler
from tutor.quiz.families import Family, get_family, select, taught, topics
from tutor.quiz.question import Question, worked_solution
from tutor.store.progress import Progress
from tutor.store.tries import TryPlace

MAX_COUNT = 200
SEED_LIMIT = 2**63
"""Seeds run from 0 up to (not including) this."""


class QuizError(ValueError):
    """Options that cannot make a quiz (an unknown topic, a bad count or seed)."""


@dataclass(frozen=True)
class QuizOptions:
    """What the learner asked for on the command line or in the app."""

    topic: str | None = None
    count: int = 10
    seed: int | None = None
    difficulty: int | None = None


def check_options(options: QuizOptions) -> tuple[Family, ...]:
    """The families the options allow, or a :class:`QuizError` saying what is wrong."""
    if options.topic is not None and options.topic not in topics():
        raise QuizError(f"unknown topic {options.topic!r}; topics: {', '.join(topics())}")
    if options.difficulty is not None and options.difficulty not in (1, 2, 3):
        raise QuizError(f"difficulty must be 1, 2 or 3, not {options.difficulty}")
    if not 1 <= options.count <= MAX_COUNT:
        raise QuizError(f"--count must be between 1 and {MAX_COUNT}, not {options.count}")
    if options.seed is not None and not 0 <= options.seed < SEED_LIMIT:
        raise QuizError(
            f"--seed must be a whole number from 0 to {SEED_LIMIT - 1}, not {options.seed}"
        )
    families = select(options.topic, options.difficulty)
    if not families:
        raise QuizError(
            f"no questions of topic {options.topic!r} at difficulty {options.difficulty}"
        )
    return families


class QuestionDrawer:
    """Draws a quiz's questions: the scheduler picks the family, a seeded generator the numbers.

    With a seed given the quiz is reproducible: the same questions every time, whatever
    the learner's quiz history.  Without one, the history decides which families come first.
    Without a topic, only families whose lesson the learner has met are asked
    (:func:`~tutor.quiz.families.taught`); a topic asked for by name is asked regardless.
    """

    def __init__(self, options: QuizOptions, progress: Progress | None = None) -> None:
        self.families = check_options(options)
        if options.topic is None:
            self.families = taught(self.families, progress or Progress())
        self.follows_history = options.seed is None
        self.seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
        self.rng = np.random.default_rng(self.seed)
        ids = [f.id for f in self.families]
        self.order = [ids[int(i)] for i in self.rng.permutation(len(ids))]
        self.asked: Counter[str] = Counter()

    def draw(self, progress: Progress, now: datetime) -> Question:
        """The next question, given the learner's history."""
        family = scheduler.choose(
            [f.id for f in self.families],
            progress.families if self.follows_history else {},
            now,
            asked=self.asked,
            order=self.order,
            difficulty={f.id: f.difficulty for f in self.families},
        )
        self.asked[family] += 1
        return get_family(family).generate(self.rng)


def plan_questions(options: QuizOptions) -> tuple[int, tuple[Question, ...]]:
    """The seed and the questions a fresh learner would get (for worksheets)."""
    progress, now = Progress(), datetime(2000, 1, 1)
    drawer = QuestionDrawer(options, progress)
    return drawer.seed, tuple(drawer.draw(progress, now) for _ in range(options.count))


@dataclass
class Attempted:
    """One asked question and the attempt at it."""

    question: Question
    attempt: Attempt

    @property
    def over(self) -> bool:
        """Answered right, or the solution was shown."""
        return self.attempt.over

    @property
    def solved(self) -> bool:
        """Answered right (at the first try or later)."""
        return self.attempt.solved


@dataclass(frozen=True)
class TopicScore:
    """Questions solved and asked in one topic."""

    topic: str
    solved: int
    asked: int

    @property
    def accuracy(self) -> float:
        """Percent solved."""
        return 100.0 * self.solved / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class QuizResults:
    """The summary at the end of a quiz."""

    solved: int
    asked: int
    seconds: float
    topics: tuple[TopicScore, ...]
    due: tuple[str, ...]  # family ids due for review soon
    seed: int
    first_try: int = 0


@dataclass
class QuizSession:
    """One quiz: call :meth:`submit` until the question is over, then :meth:`next_question`."""

    options: QuizOptions
    progress: Progress = field(default_factory=Progress)
    clock: Callable[[], datetime] = datetime.now
    timer: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.drawer = QuestionDrawer(self.options, self.progress)
        self.started = self.timer()
        self.ended: float | None = None
        self.asked: list[Attempted] = []
        self.reminder = FormsReminder()
        self._draw()

    # ------------------------------------------------------------------ state
    @property
    def seed(self) -> int:
        """The seed of this quiz (drawn at random when none was given)."""
        return self.drawer.seed

    @property
    def count(self) -> int:
        """How many questions the quiz has."""
        return self.options.count

    @property
    def finished(self) -> bool:
        """Whether the quiz is over."""
        return self.ended is not None

    @property
    def current(self) -> Attempted:
        """The question being asked and its attempts so far."""
        return self.asked[-1]

    @property
    def question(self) -> Question:
        """The question being asked."""
        return self.current.question

    @property
    def number(self) -> int:
        """1-based number of the current question."""
        return len(self.asked)

    @property
    def hints_shown(self) -> tuple[str, ...]:
        """The hints unlocked so far for the current question."""
        return self.current.attempt.hints_shown

    # ------------------------------------------------------------------ actions
    def submit(self, text: str) -> Feedback:
        """Judge an answer to the current question."""
        if self.finished or self.current.over:
            raise RuntimeError("the current question is over; call next_question()")
        return self._after(self.current.attempt.submit(text))

    def skip(self) -> Feedback:
        """Give up on the current question: show the worked solution."""
        if self.finished or self.current.over:
            raise RuntimeError("the current question is over; call next_question()")
        return self._after(self.current.attempt.skip())

    def next_question(self) -> Question | None:
        """Move on: the next question, or None when the quiz is over."""
        if not self.finished and self.current.over and self.number < self.count:
            self._draw()
            return self.question
        self.finish()
        return None

    def finish(self) -> QuizResults:
        """End the quiz (a question answered wrong but not finished counts as missed)."""
        if not self.finished:
            current = self.current
            if not current.over and current.attempt.tries:
                current.attempt.revealed = True
                self._record(current)
            self.ended = self.timer()
        return self.results()

    def results(self) -> QuizResults:
        """Score, time, per-topic accuracy and the families due for review."""
        done = [a for a in self.asked if a.over]
        by_topic: dict[str, list[Attempted]] = {}
        for attempted in done:
            by_topic.setdefault(attempted.question.topic, []).append(attempted)
        end = self.ended if self.ended is not None else self.timer()
        return QuizResults(
            solved=sum(a.solved for a in done),
            asked=len(done),
            seconds=end - self.started,
            topics=tuple(
                TopicScore(topic, sum(a.solved for a in group), len(group))
                for topic, group in by_topic.items()
            ),
            due=tuple(scheduler.due_for_review(self.progress.families, self.clock())),
            seed=self.seed,
            first_try=sum(a.attempt.result == "first_try" for a in done),
        )

    # ------------------------------------------------------------------ internals
    def _draw(self) -> None:
        question = self.drawer.draw(self.progress, self.clock())
        attempt = Attempt(
            Expected(question.expected, question.tolerance, question.asked),
            hints=question.hints,
            mistakes=question.mistakes,
            solution=lambda: worked_solution(question),
            reminder=self.reminder,
            place=TryPlace("quiz", family=question.family, topic=question.topic),
        )
        self.asked.append(Attempted(question, attempt))

    def _after(self, feedback: Feedback) -> Feedback:
        """Record the question in the learner's stats once it is over."""
        if feedback.question_over:
            self._record(self.current)
        return feedback

    def _record(self, attempted: Attempted) -> None:
        """Update the family's stats: right only when solved at the first try."""
        stats = self.progress.family(attempted.question.family)
        scheduler.record(stats, attempted.attempt.result == "first_try", self.clock())
