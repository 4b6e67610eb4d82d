"""An exercise as the tutor knows it, and the report of one check of a learner's file.

Provides :class:`Exercise` (read from ``exercise.toml`` in its folder beside the
lesson, with ``starter.py`` and ``solution.py``) and :class:`Report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.exercises.judge import CheckResult  # NumPy: not on the home screen's path

STARTER, SOLUTION, SPEC = "starter.py", "solution.py", "exercise.toml"
BUNDLED = "bundled"


@dataclass(frozen=True)
class Exercise:
    """One code exercise: what to write, the checker that judges it, hints in order."""

    id: str
    title: str
    checker: str
    task: str  # Markdown
    hints: tuple[str, ...]
    folder: Path
    bundled: bool = True  # shipped with the tutor (else from a lesson folder of the learner's)
    file_name: str = ""  # the learner's copy; "" means the id with dashes as underscores
    time_limit: float = 5.0
    exam: bool = False  # the tutor's final exam: passing it is shown on the home screen

    @property
    def starter(self) -> Path:
        """The file the learner's copy starts from."""
        return self.folder / STARTER

    @property
    def solution(self) -> Path:
        """The author's reference solution."""
        return self.folder / SOLUTION

    @property
    def copy_name(self) -> str:
        """The name of the learner's copy in the workspace, e.g. ``three_layer.py``."""
        return self.file_name or self.id.replace("-", "_") + ".py"

    @property
    def lesson_dir(self) -> Path:
        """The lesson directory the exercise belongs to (its folder is ``exercises/<id>``)."""
        return self.folder.parent.parent

    @property
    def namespace(self) -> str:
        """The learner's folder for this exercise of its lesson directory: ``bundled/sigmoid``."""
        return namespace(self.lesson_dir, self.id, bundled=self.bundled)

    @property
    def key(self) -> str:
        """The key of the learner's progress in it: the id for a bundled exercise."""
        return progress_key(self.lesson_dir, self.id, bundled=self.bundled)


def namespace(lesson_dir: Path, exercise_id: str, *, bundled: bool) -> str:
    """The folder of exercise ``exercise_id`` of the lessons in ``lesson_dir``, in the workspace.

    ``bundled/<id>`` for the tutor's own; another directory's is its name and a hash
    of its full path (``my-lessons-1a2b3c4d/<id>``), so no lesson can name another's file.
    """
    if bundled:
        return f"{BUNDLED}/{exercise_id}"
    import hashlib  # OpenSSL: loaded only for a lesson folder outside the tutor

    where = str(Path(lesson_dir).resolve())
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{Path(lesson_dir).name[:40]}-{digest}/{exercise_id}"


def progress_key(lesson_dir: Path, exercise_id: str, *, bundled: bool) -> str:
    """The key the learner's progress in an exercise is kept under: the id if bundled."""
    return exercise_id if bundled else namespace(lesson_dir, exercise_id, bundled=False)


@dataclass(frozen=True)
class Report:
    """The result of checking one file: every check, or why the run stopped."""

    exercise: str
    checks: tuple[CheckResult, ...]
    error: str | None = None
    error_line: int | None = None
    output: str = ""
    warnings: tuple[str, ...] = ()
    started: bool = True
    """False while the file is the untouched starter (or every step is still unwritten)."""
    notice: str = ""  # about the tutor, not the file: e.g. that bubblewrap is missing

    @property
    def passed(self) -> bool:
        """Whether the file ran to the end and every check passed."""
        return self.error is None and bool(self.checks) and all(c.passed for c in self.checks)

    def to_json(self) -> dict[str, object]:
        """The report as ``exercise check --json`` prints it."""
        return {
            "exercise": self.exercise,
            "passed": self.passed,
            "error": self.error,
            "started": self.started,
            "checks": [check.to_json() for check in self.checks],
        }
