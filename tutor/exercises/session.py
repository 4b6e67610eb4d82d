"""One learner working on one exercise: their file, consent to run it, hints, solution, solved.

Provides :class:`ExerciseSession`, the plain logic behind an exercise step of a
lesson (the widget only draws it): it makes the learner's copy on first visit
(never over an existing file; for an exercise from outside the bundled lessons,
only once the learner agreed to run it: nothing is written before), hands out
hints one level at a time, keeps the reference solution back until the exercise
is solved or the learner insists, and records a passing check as solved.  The
state it changes is the learner's :class:`~tutor.store.progress.ExerciseProgress`;
saving it is the caller's.
"""

from __future__ import annotations

from pathlib import Path

from tutor.exercises.model import Exercise, Report
from tutor.exercises.report_text import limits_text
from tutor.exercises.workspace import copy_path, migrate, reset, start
from tutor.store.progress import ExerciseProgress
from tutor.store.tries import Try, TryPlace, record_try


def exercise_try(report: Report, answer: str, number: int) -> Try:
    """A check of a learner's file as a try: passed, failed (with the named bug) or unusable."""
    verdict = "correct" if report.passed else "error" if report.error else "wrong"
    bug = next((c.diagnosis for c in report.checks if not c.passed and c.diagnosis), None)
    place = TryPlace("exercise", exercise=report.exercise)
    return Try(place, answer, verdict, number, bug, "solved" if report.passed else "open")


class ExerciseSession:
    """The learner's work on ``exercise``, with their saved ``state``, in ``workspace``."""

    def __init__(self, exercise: Exercise, state: ExerciseProgress, workspace: Path) -> None:
        self.exercise = exercise
        self.state = state
        self.workspace = workspace
        self.checks = 0
        """Checks of the learner's file noted in this session."""

    @property
    def file(self) -> Path:
        """The learner's file: where it was made, else where it will be made."""
        return (
            Path(self.state.path) if self.state.path else copy_path(self.exercise, self.workspace)
        )

    def open(self) -> bool:
        """Make the learner's copy if it does not exist yet; True if it was made now.

        A bundled exercise's file from an earlier version moves into its folder first.
        Raises ``OSError`` if the workspace cannot be written.
        """
        if self.needs_consent:
            return False
        migrate(self.exercise, self.state, self.workspace)
        if self.state.path and Path(self.state.path).exists():
            return False
        path, made = start(self.exercise, self.workspace)
        self.state.path = str(path)
        return made

    @property
    def needs_consent(self) -> bool:
        """Whether running the file must be agreed first (an exercise from outside the tutor)."""
        return not self.exercise.bundled and self.state.trusted != str(
            self.exercise.folder.resolve()
        )

    def consent_question(self) -> str:
        """What the learner is asked once before such a file first runs."""
        return (
            f"The exercise “{self.exercise.title}” comes from {self.exercise.folder}, outside "
            f"the lessons that come with the tutor. Checking it runs {self.file} as Python, in "
            f"a sandbox ({limits_text(self.exercise.time_limit)}). That file starts as a copy "
            "of the exercise's starter, made when you say yes: read the starter first if you "
            "do not trust where the lesson came from. Run it now and on every save?"
        )

    def consent(self) -> None:
        """The learner agreed to run this exercise's files."""
        self.state.trusted = str(self.exercise.folder.resolve())

    def next_hint(self) -> str | None:
        """Reveal the next hint and return it, or None when every hint is shown."""
        if self.state.hints >= len(self.exercise.hints):
            return None
        self.state.hints += 1
        return self.exercise.hints[self.state.hints - 1]

    @property
    def hints_shown(self) -> tuple[str, ...]:
        """The hints revealed so far, in order."""
        return self.exercise.hints[: self.state.hints]

    def hint_label(self, number: int) -> str:
        """ "Hint 2 of 3"."""
        return f"Hint {number} of {len(self.exercise.hints)}"

    @property
    def solution_needs_confirmation(self) -> bool:
        """Whether showing the solution gives away an exercise not solved yet."""
        return not self.state.solved and not self.state.solution_seen

    def solution(self) -> str:
        """The reference solution's text (and the learner has now seen it)."""
        self.state.solution_seen = True
        return self.exercise.solution.read_text(encoding="utf-8", errors="replace")

    def record(self, report: Report) -> bool:
        """Note a check of the learner's file (in the log of tries too); True when it has
        just become solved."""
        self.checks += 1
        record_try(exercise_try(report, self.file.name, self.checks))
        if report.passed and not self.state.solved:
            self.state.solved = True
            return True
        return False

    def start_over(self) -> Path | None:
        """Keep the learner's file aside and copy the starter again; where it was kept."""
        kept = reset(self.exercise, self.file)
        self.state.path = str(self.file)
        return kept
