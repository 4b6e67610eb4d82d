"""Decoding ``progress.json``: parsed JSON into :class:`~tutor.store.progress.Progress`.

Provides :func:`progress_from_dict`: an invalid field falls back to its default
and is described in ``problems``; only data that is no progress object at all
raises :class:`DamagedProgress`.  Every number is range-checked (a 4,300-digit
counter is damage, not a count) and every string is of a bounded length, so what
is kept can always be saved again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeGuard

from tutor.store.outcomes import Outcome, Result
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

MAX_COUNT = 10**9
"""The largest counter read back (attempts, reveals, …); a larger one is damage."""
MAX_STEP = 100_000
"""The largest step index read back (a lesson file of 2 MB has fewer steps)."""
MAX_EPOCH = 10**7
MAX_TEXT = 10_000
"""The longest string read back (an answer, a status, a knob)."""
KNOB_EXPECTED = f"a string, boolean or finite number (whole ones up to {MAX_COUNT:,})"


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
        step=_count(data.get("step", 0), 0, f"{where}.step", problems, MAX_STEP),
        finished_steps=_steps(data.get("finished_steps", []), f"{where}.finished_steps", problems),
        revealed={
            key: _count(n, 0, f"{where}.revealed.{key}", problems) for key, n in revealed.items()
        },
        predictions=_predictions(predictions, f"{where}.predictions", problems),
        questions={
            key: _answered(q, f"{where}.questions.{key}", problems) for key, q in questions.items()
        },
        runs={key: _runs(value, f"{where}.runs.{key}", problems) for key, value in runs.items()},
    )


def _predictions(
    data: Mapping[str, Any], where: str, problems: list[str]
) -> dict[str, dict[str, Answered]]:
    """Predictions by block, then target; a file from before (``"2:1:dL/dz2": {…}``) migrated."""
    kept: dict[str, dict[str, Answered]] = {}
    for key, value in data.items():
        if isinstance(value, Mapping) and "outcome" in value:  # version 1: "block:target"
            block, _, target = key.rpartition(":")  # a target ("dL/dz2") has no colon
            if not block:
                _bad(problems, f"{where}.{key}", "a prediction under its block and target")
                continue
            kept.setdefault(block, {})[target] = _answered(value, f"{where}.{key}", problems)
            continue
        targets = _mapping(value, f"{where}.{key}", problems)
        kept.setdefault(key, {}).update(
            (target, _answered(p, f"{where}.{key}.{target}", problems))
            for target, p in targets.items()
        )
    return kept


def _answered(data: Any, where: str, problems: list[str]) -> Answered:
    data = _mapping(data, where, problems)
    outcome = _outcome(data.get("outcome"), f"{where}.outcome", problems)
    result = data.get("result", "")  # "" in files from before results: Answered derives it
    if not isinstance(result, str) or result not in set(Result):
        _bad(problems, f"{where}.result", "one of " + ", ".join(r for r in Result if r))
        result = Result.UNANSWERED
    return Answered(
        answer=_text(data.get("answer"), "", f"{where}.answer", problems),
        outcome=outcome,
        result=Result(result),
        tries=_count(data.get("tries", 0), 0, f"{where}.tries", problems),
        numbers=_numbers(data.get("numbers", {}), f"{where}.numbers", problems),
        wrong=_count(data.get("wrong", 0), 0, f"{where}.wrong", problems),
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


def _count(value: Any, default: int, where: str, problems: list[str], high: int = MAX_COUNT) -> int:
    """An int from 0 to ``high`` (bools rejected), else ``default``."""
    if _whole(value, high):
        return value
    _bad(problems, where, f"a whole number from 0 to {high:,}")
    return default


def _whole(value: Any, high: int) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= high


def _outcome(value: Any, where: str, problems: list[str]) -> Outcome:
    """An answer's outcome; an unknown one is reported and read as skipped (still to do)."""
    if isinstance(value, str) and value in set(Outcome):
        return Outcome(value)
    _bad(problems, where, "one of " + ", ".join(Outcome))
    return Outcome.SKIPPED


def _text(value: Any, default: str, where: str, problems: list[str]) -> str:
    if isinstance(value, str) and len(value) <= MAX_TEXT:
        return value
    _bad(problems, where, f"a string of at most {MAX_TEXT:,} characters")
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
        if _usable_knob(knob):
            knobs[name] = knob
        else:
            _bad(problems, f"{where}.{name}", KNOB_EXPECTED)
    return knobs


def _usable_knob(knob: Any) -> bool:
    """A knob JSON can hold, an int of at most :data:`MAX_COUNT`, a string of :data:`MAX_TEXT`."""
    if isinstance(knob, int) and not isinstance(knob, bool):
        return abs(knob) <= MAX_COUNT
    return is_knob(knob) and not (isinstance(knob, str) and len(knob) > MAX_TEXT)


def _curve(value: Any, where: str, problems: list[str]) -> list[tuple[int, float]]:
    """A saved loss curve; entries that are not ``[epoch, loss]`` pairs are dropped."""
    if not isinstance(value, list):
        _bad(problems, where, "a list of [epoch, loss] pairs")
        return []
    return [(epoch, loss) for epoch, loss in curve_points(value) if epoch <= MAX_EPOCH]


def _steps(value: Any, where: str, problems: list[str]) -> list[int]:
    """Sorted distinct step indices; invalid entries are dropped."""
    if not isinstance(value, list):
        _bad(problems, where, "a list")
        return []
    steps = [s for s in value if _whole(s, MAX_STEP)]
    if len(steps) < len(value):
        _bad(problems, where, f"a list of step numbers from 0 to {MAX_STEP:,}")
    return sorted(set(steps))
