"""What the lesson list shows about a lesson file, without the lesson itself (and without NumPy).

Provides :class:`LessonCard`: a file's id, title, number, summary, step count,
prerequisites, the progress keys of its predictions and questions, or its first
problem; built from a catalog entry (:meth:`LessonCard.of`) or read back from the
catalog cache (:meth:`LessonCard.from_dict`), and asked how far the learner got
(:meth:`~LessonCard.progress_words`, :meth:`~LessonCard.finished`).
:func:`prerequisites` matches a card's prerequisites to other cards, by id or title.
Importing this module imports no lesson model, engine or NumPy, so the home screen
can list the lessons before they are parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from tutor.lesson.progress_keys import block_key
from tutor.store.outcomes import Result
from tutor.store.progress import Answered, LessonProgress, Progress

if TYPE_CHECKING:
    from tutor.lesson.catalog import LessonEntry

PREDICTION, QUESTION = "prediction", "question"


def result_of(kept: Answered | None) -> Result:
    """The result kept for an answer (:attr:`Result.UNANSWERED` if none, or still open)."""
    return Result.UNANSWERED if kept is None or kept.open else kept.result


@dataclass(frozen=True)
class LessonCard:
    """A lesson file as the lesson list shows it (``problem`` set: it cannot be opened)."""

    path: str
    id: str = ""
    title: str = ""
    number: str = ""
    summary: str = ""
    steps: int = 0
    prerequisites: tuple[str, ...] = ()
    answers: tuple[tuple[str, str, str], ...] = ()
    """Every prediction and question, in order: (``prediction`` or ``question``, its block's
    progress key, the target predicted or "")."""
    problem: str | None = None
    exam: str = ""
    """The id of the lesson's exam exercise (``exam = true`` in its exercise.toml), if any."""

    @classmethod
    def of(cls, entry: LessonEntry) -> LessonCard:
        """The card of a catalog entry (a broken one keeps its first problem)."""
        from tutor.lesson.model import DeriveBlock, QuizBlock

        lesson = entry.lesson
        if lesson is None:
            problem = str(entry.problems[0]) if entry.problems else "could not be read"
            return cls(str(entry.path), problem=problem)
        answers: list[tuple[str, str, str]] = []
        for i, step in enumerate(lesson.steps):
            for j, part in enumerate(step.parts):
                if isinstance(part, DeriveBlock):
                    answers += [(PREDICTION, block_key(i, j), target) for target in part.predict]
                elif isinstance(part, QuizBlock):
                    answers.append((QUESTION, block_key(i, j), ""))
        return cls(
            str(entry.path),
            lesson.id,
            lesson.title,
            lesson.number,
            lesson.summary,
            len(lesson.steps),
            tuple(lesson.prerequisites),
            tuple(answers),
            exam=_exam(entry),
        )

    def to_dict(self) -> dict[str, Any]:
        """The card as JSON-ready data (what the catalog cache keeps)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LessonCard:
        """A card written by :meth:`to_dict`; ``ValueError`` if the data does not fit."""
        try:
            card = cls(
                path=str(data["path"]),
                id=str(data["id"]),
                title=str(data["title"]),
                number=str(data["number"]),
                summary=str(data["summary"]),
                steps=int(data["steps"]),
                prerequisites=tuple(str(name) for name in data["prerequisites"]),
                answers=tuple(
                    (str(kind), str(block), str(target)) for kind, block, target in data["answers"]
                ),
                problem=None if data["problem"] is None else str(data["problem"]),
                exam=str(data.get("exam", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a lesson card: {exc}") from None
        return card

    @property
    def usable(self) -> bool:
        """Whether the lesson can be opened."""
        return self.problem is None

    @property
    def name(self) -> str:
        """``3.4 Backpropagation``: the number (if any) and the title."""
        return f"{self.number} {self.title}".strip()

    # ----- how far the learner got -----

    def visited(self, progress: LessonProgress | None) -> int:
        """Steps visited (each counted once; steps the lesson no longer has are not)."""
        if progress is None:
            return 0
        return len({s for s in progress.finished_steps if 0 <= s < self.steps})

    def to_do(self, progress: LessonProgress | None) -> int:
        """Predictions and questions not answered yet (a skipped one included)."""
        progress = progress or LessonProgress()
        count = 0
        for kind, block, target in self.answers:
            if kind == PREDICTION:
                kept = progress.prediction(block, target)
            else:
                kept = progress.questions.get(block)
            count += result_of(kept) in (Result.UNANSWERED, Result.SKIPPED)
        return count

    def finished(self, progress: LessonProgress | None) -> bool:
        """Every step visited and every prediction and question answered."""
        return self.steps > 0 and self.visited(progress) >= self.steps and not self.to_do(progress)

    def progress_words(self, progress: LessonProgress | None) -> str:
        """ "not started", "resume at step 5", "2 to answer" or "finished"."""
        if progress is None or (progress.step == 0 and not progress.finished_steps):
            return "not started"
        if self.finished(progress):
            return "finished"
        to_do = self.to_do(progress)
        if self.visited(progress) >= self.steps and to_do:
            return f"{to_do} to answer" if to_do > 1 else "1 to answer"
        return f"resume at step {min(progress.step, max(self.steps - 1, 0)) + 1}"


@dataclass(frozen=True)
class Prerequisite:
    """A prerequisite as written, the lesson it names (if any), and whether it is done."""

    name: str
    card: LessonCard | None
    finished: bool


def prerequisites(
    card: LessonCard, cards: Iterable[LessonCard], progress: Progress
) -> list[Prerequisite]:
    """``card``'s prerequisites in order; one names a lesson by its id or title (any case)."""
    by_name: dict[str, LessonCard] = {}
    for other in cards:
        if other.usable:
            by_name.setdefault(other.id.casefold(), other)
            by_name.setdefault(other.title.casefold(), other)
    found = []
    for name in card.prerequisites:
        named = by_name.get(name.strip().casefold())
        finished = named is not None and named.finished(progress.lessons.get(named.id))
        found.append(Prerequisite(name, named, finished))
    return found


def cards_of(entries: Sequence[LessonEntry]) -> list[LessonCard]:
    """The card of each entry, in order."""
    return [LessonCard.of(entry) for entry in entries]


def _exam(entry: LessonEntry) -> str:
    """The id of the first exercise of the lesson whose exercise.toml says ``exam = true``."""
    from tutor.exercises.catalog import exercise_folder, load_exercise
    from tutor.lesson.model import ExerciseBlock

    if entry.lesson is None:
        return ""
    for step in entry.lesson.steps:
        for part in step.parts:
            if isinstance(part, ExerciseBlock):
                found = load_exercise(exercise_folder(entry.path.parent, part.exercise)).exercise
                if found is not None and found.exam:
                    return found.id
    return ""
