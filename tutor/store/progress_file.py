"""Reading and writing ``progress.json``: a forgiving decode and an atomic save.

Provides :func:`progress_from_dict` (parsed JSON → :class:`~tutor.store.progress.Progress`;
an invalid field falls back to its default and is described in ``problems``, and
only data that is no progress object at all raises :class:`DamagedProgress`) and
:class:`ProgressStore`, which keeps the progress in one ``progress.json``.
Saving is atomic.  Loading never raises: a file that cannot be read as a
progress object is moved aside, invalid single fields fall back to their
defaults (the original is copied aside first), and ``store.notice`` says what
happened in words the UI can show.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from tutor.store.progress import (
    VERSION,
    Answered,
    ExerciseProgress,
    FamilyStats,
    Knob,
    LessonProgress,
    Numbers,
    Progress,
    RunRecord,
    curve_points,
    finite_or_none,
    is_knob,
)

FILENAME = "progress.json"


class DamagedProgress(ValueError):
    """The data is not a progress object at all (as opposed to a few bad fields)."""


def progress_from_dict(data: Any, problems: list[str] | None = None) -> Progress:
    """Build from parsed JSON; raise :class:`DamagedProgress` if the top level is wrong."""
    problems = [] if problems is None else problems
    if not isinstance(data, Mapping):
        raise DamagedProgress("the top level is not an object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DamagedProgress("it has no valid version number")
    if version > VERSION:
        problems.append(f"it was written by a newer backprop-tutor (format {version})")
    lessons = data.get("lessons", {})
    families = data.get("families", {})
    if not isinstance(lessons, Mapping) or not isinstance(families, Mapping):
        raise DamagedProgress("its lessons or families are not objects")
    exercises = _mapping(data.get("exercises", {}), "exercises", problems)
    return Progress(
        lessons={key: _lesson(value, f"lessons.{key}", problems) for key, value in lessons.items()},
        families={
            key: _family(value, f"families.{key}", problems) for key, value in families.items()
        },
        exercises={
            key: _exercise(value, f"exercises.{key}", problems) for key, value in exercises.items()
        },
    )


def _lesson(data: Any, where: str, problems: list[str]) -> LessonProgress:
    data = _mapping(data, where, problems)
    revealed = _mapping(data.get("revealed", {}), f"{where}.revealed", problems)
    predictions = _mapping(data.get("predictions", {}), f"{where}.predictions", problems)
    questions = _mapping(data.get("questions", {}), f"{where}.questions", problems)
    runs = _mapping(data.get("runs", {}), f"{where}.runs", problems)
    return LessonProgress(
        step=_count(data.get("step", 0), 0, f"{where}.step", problems),
        finished_steps=_steps(data.get("finished_steps", []), f"{where}.finished_steps", problems),
        revealed={
            key: _count(n, 0, f"{where}.revealed.{key}", problems) for key, n in revealed.items()
        },
        predictions={
            key: _answered(p, f"{where}.predictions.{key}", problems)
            for key, p in predictions.items()
        },
        questions={
            key: _answered(q, f"{where}.questions.{key}", problems) for key, q in questions.items()
        },
        runs={key: _runs(value, f"{where}.runs.{key}", problems) for key, value in runs.items()},
    )


def _answered(data: Any, where: str, problems: list[str]) -> Answered:
    data = _mapping(data, where, problems)
    return Answered(
        answer=_text(data.get("answer"), "", f"{where}.answer", problems),
        outcome=_text(data.get("outcome"), "", f"{where}.outcome", problems),
        result=_text(data.get("result", ""), "", f"{where}.result", problems),
        tries=_count(data.get("tries", 0), 0, f"{where}.tries", problems),
        numbers=_numbers(data.get("numbers", {}), f"{where}.numbers", problems),
    )


def _numbers(value: Any, where: str, problems: list[str]) -> Numbers:
    """Drawn numbers: finite numbers, or nested lists of them; anything else is dropped."""
    found: Numbers = {}
    for name, number in _mapping(value, where, problems).items():
        if _is_numbers(number):
            found[name] = number
        else:
            _bad(problems, f"{where}.{name}", "a number or a list of numbers")
    return found


def _is_numbers(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_is_numbers(v) for v in value)
    return finite_or_none(value) is not None


def _runs(value: Any, where: str, problems: list[str]) -> list[RunRecord]:
    if not isinstance(value, list):
        _bad(problems, where, "a list")
        return []
    return [_run(run, f"{where}[{i}]", problems) for i, run in enumerate(value)]


def _run(data: Any, where: str, problems: list[str]) -> RunRecord:
    data = _mapping(data, where, problems)
    return RunRecord(
        knobs=_knobs(data.get("knobs", {}), f"{where}.knobs", problems),
        final_loss=finite_or_none(data.get("final_loss")),
        status=_text(data.get("status"), "", f"{where}.status", problems),
        curve=_curve(data.get("curve", []), f"{where}.curve", problems),
    )


def _family(data: Any, where: str, problems: list[str]) -> FamilyStats:
    data = _mapping(data, where, problems)
    return FamilyStats(
        attempts=_count(data.get("attempts", 0), 0, f"{where}.attempts", problems),
        correct=_count(data.get("correct", 0), 0, f"{where}.correct", problems),
        streak=_count(data.get("streak", 0), 0, f"{where}.streak", problems),
        box=_count(data.get("box", 1), 1, f"{where}.box", problems),
        last_seen=_timestamp(data.get("last_seen"), f"{where}.last_seen", problems),
        due=_timestamp(data.get("due"), f"{where}.due", problems),
    )


def _exercise(data: Any, where: str, problems: list[str]) -> ExerciseProgress:
    data = _mapping(data, where, problems)
    return ExerciseProgress(
        path=_text(data.get("path", ""), "", f"{where}.path", problems),
        solved=_flag(data.get("solved", False), f"{where}.solved", problems),
        hints=_count(data.get("hints", 0), 0, f"{where}.hints", problems),
        solution_seen=_flag(data.get("solution_seen", False), f"{where}.solution_seen", problems),
        trusted=_text(data.get("trusted", ""), "", f"{where}.trusted", problems),
    )


def _flag(value: Any, where: str, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    _bad(problems, where, "true or false")
    return False


def _bad(problems: list[str], where: str, expected: str) -> None:
    """Record that the field at ``where`` was invalid and replaced by its default."""
    problems.append(f"{where}: expected {expected}")


def _count(value: Any, default: int, where: str, problems: list[str]) -> int:
    """A non-negative int (bools rejected), else ``default``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    _bad(problems, where, "a non-negative integer")
    return default


def _text(value: Any, default: str, where: str, problems: list[str]) -> str:
    if isinstance(value, str):
        return value
    _bad(problems, where, "a string")
    return default


def _timestamp(value: Any, where: str, problems: list[str]) -> str | None:
    """An ISO 8601 timestamp string, or None."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    _bad(problems, where, "an ISO timestamp or null")
    return None


def _mapping(value: Any, where: str, problems: list[str]) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    _bad(problems, where, "an object")
    return {}


def _knobs(value: Any, where: str, problems: list[str]) -> dict[str, Knob]:
    knobs: dict[str, Knob] = {}
    for name, knob in _mapping(value, where, problems).items():
        if is_knob(knob):
            knobs[name] = knob
        else:
            _bad(problems, f"{where}.{name}", "a string, boolean or finite number")
    return knobs


def _curve(value: Any, where: str, problems: list[str]) -> list[tuple[int, float]]:
    """A saved loss curve; entries that are not ``[epoch, loss]`` pairs are dropped."""
    if not isinstance(value, list):
        _bad(problems, where, "a list of [epoch, loss] pairs")
        return []
    return curve_points(value)


def _steps(value: Any, where: str, problems: list[str]) -> list[int]:
    """Sorted distinct step indices; invalid entries are dropped."""
    if not isinstance(value, list):
        _bad(problems, where, "a list")
        return []
    steps = [s for s in value if isinstance(s, int) and not isinstance(s, bool) and s >= 0]
    if len(steps) < len(value):
        _bad(problems, where, "a list of non-negative integers")
    return sorted(set(steps))


class ProgressStore:
    """Loads and atomically saves :class:`Progress` as ``progress.json`` in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / FILENAME
        self.notice: str | None = None
        """A message for the learner about the last load (damage found), or None."""

    def load(self) -> Progress:
        """Read the saved progress; never raises, and sets :attr:`notice` if something was wrong."""
        self.notice = None
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Progress()
        except OSError as exc:
            self.notice = f"Could not read your progress file {self.path} ({exc}); starting fresh."
            return Progress()
        problems: list[str] = []
        try:
            progress = progress_from_dict(json.loads(raw.decode("utf-8")), problems)
        except (UnicodeDecodeError, ValueError, RecursionError):
            target = self._set_aside(raw, move=True)
            if target is not None:
                self.notice = (
                    f"Your progress file was damaged and has been moved to {target}; "
                    "starting fresh."
                )
            return Progress()
        if problems:
            target = self._set_aside(raw, move=False)
            if target is not None:
                more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
                self.notice = (
                    f"Some of your progress file could not be used and has been reset "
                    f"({problems[0]}{more}); the original is kept at {target}."
                )
        return progress

    def save(self, progress: Progress) -> None:
        """Write ``progress`` atomically (temp file, fsync, replace); creates the directory."""
        self.directory.mkdir(parents=True, exist_ok=True)
        text = json.dumps(progress.to_dict(), indent=2, sort_keys=True, allow_nan=False)
        tmp_path: Path | None = None
        try:
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.directory, prefix=".progress-", delete=False
            ) as tmp:
                tmp_path = Path(tmp.name)
                tmp.write(text + "\n")
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_path, self.path)
        except BaseException:
            if tmp_path is not None:
                tmp_path.unlink(missing_ok=True)
            raise

    def keep_copy(self, label: str) -> Path | None:
        """Copy the saved file aside as ``progress.json.LABEL-STAMP``; None if there is none.

        Any other failure to read or write raises ``OSError``, so nothing is lost silently.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        target = self._unique_name(label)
        target.write_bytes(raw)
        return target

    def _unique_name(self, label: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{FILENAME}.{label}-{stamp}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{FILENAME}.{label}-{stamp}-{n}")
            n += 1
        return target

    def _set_aside(self, raw: bytes, *, move: bool) -> Path | None:
        """Move (or copy) the damaged file to a unique name; None (and a notice) on failure."""
        target = self._unique_name("damaged")
        try:
            if move:
                os.replace(self.path, target)
            else:
                target.write_bytes(raw)
        except OSError as exc:
            self.notice = (
                f"Your progress file {self.path} is damaged and could not be set aside ({exc}); "
                "it will be overwritten when progress is next saved."
            )
            return None
        return target
