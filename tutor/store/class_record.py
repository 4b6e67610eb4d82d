"""What a class has done, read from each learner's data directory (no writing, no locks).

Provides :func:`learner_record` (one learner: where they are, how their questions
went, exercises solved, named mistakes, when last seen) and :func:`class_record`
(every learner, the class's most common named mistakes with how many learners made
each, and the weakest topics).  Progress is read as the tutor reads it, but a
damaged file is only reported here, never moved; the log of tries is read
tolerantly (:mod:`tutor.store.tries`).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.store.files import read_regular_file
from tutor.store.outcomes import Result
from tutor.store.progress import LessonProgress, Progress
from tutor.store.progress_decode import DamagedProgress, progress_from_dict
from tutor.store.progress_file import FILENAME as PROGRESS_FILE
from tutor.store.progress_file import MAX_FILE_BYTES
from tutor.store.tries import LoggedTry, TriesLog

COUNTED = (Result.FIRST_TRY, Result.RETRIED, Result.REVEALED, Result.SKIPPED)
"""The results a question or prediction ends with, in the order the report shows them."""
WEAKEST_TOPICS = 5


@dataclass(frozen=True)
class LearnerRecord:
    """One learner's work: ``step`` counts from 1; ``results`` counts finished questions."""

    name: str
    folder: str
    lesson: str = ""
    step: int | None = None
    results: dict[Result, int] = field(default_factory=dict)
    exercises_solved: int = 0
    exams_passed: tuple[str, ...] = ()  # the exam exercises (exercise.toml exam = true) solved
    last_seen: str | None = None
    mistakes: dict[str, int] = field(default_factory=dict)
    tries: tuple[LoggedTry, ...] = ()
    notes: tuple[str, ...] = ()

    def count(self, result: Result) -> int:
        """Questions and predictions that ended with ``result``."""
        return self.results.get(result, 0)


@dataclass(frozen=True)
class MistakeCount:
    """A named mistake: how many learners made it, in how many tries."""

    mistake: str
    learners: int
    tries: int


@dataclass(frozen=True)
class TopicScore:
    """A topic (a quiz topic, a lesson step, an exercise) and how its questions went."""

    topic: str
    questions: int
    first_try: int
    learners: int

    @property
    def share(self) -> float:
        """The share of its questions answered right first time."""
        return self.first_try / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class ClassRecord:
    """Every learner, the common mistakes (most learners first) and the weakest topics."""

    learners: tuple[LearnerRecord, ...]
    mistakes: tuple[MistakeCount, ...]
    topics: tuple[TopicScore, ...]


def _progress(directory: Path) -> tuple[Progress, str | None, float | None]:
    """The learner's progress (empty if none), a note if it could not all be read, its mtime."""
    path = directory / PROGRESS_FILE
    try:
        raw = read_regular_file(path, MAX_FILE_BYTES)
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        return Progress(), None, None
    except OSError as exc:
        return Progress(), f"the progress file could not be read ({exc.strerror or exc})", None
    problems: list[str] = []
    try:
        progress = progress_from_dict(json.loads(raw.decode("utf-8")), problems)
    except (UnicodeDecodeError, ValueError, RecursionError, DamagedProgress):
        return Progress(), "the progress file is damaged", mtime
    note = f"part of the progress file is damaged ({problems[0]})" if problems else None
    return progress, note, mtime


def topic_of(logged: LoggedTry) -> str:
    """The topic a try counts toward: its quiz topic, its lesson step, or its exercise."""
    place = logged.place
    if place.kind == "quiz":
        return place.topic or place.family
    if place.kind == "exercise":
        return f"exercise {place.exercise}"
    return f"{place.lesson} step {place.step}" if place.step else place.lesson


def _where(progress: Progress, tries: list[LoggedTry]) -> tuple[str, int | None]:
    """The lesson the learner worked in last, and their step in it (from 1)."""
    lesson = next((t.place.lesson for t in reversed(tries) if t.place.lesson), "")
    if not lesson and progress.lessons:
        lesson = max(progress.lessons, key=lambda key: _how_far(progress.lessons[key]))
    if lesson not in progress.lessons:
        return lesson, None
    return lesson, progress.lessons[lesson].step + 1


def _how_far(lesson: LessonProgress) -> tuple[int, int]:
    """How far a learner went in a lesson: its step, then the steps finished."""
    return lesson.step, len(lesson.finished_steps)


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def learner_record(name: str, directory: Path, exams: Collection[str] = ()) -> LearnerRecord:
    """What the learner whose data directory is ``directory`` has done; ``exams`` are the ids
    of the exam exercises, whose passing the report shows apart."""
    progress, progress_note, mtime = _progress(directory)
    tries, tries_note = TriesLog(directory).read()
    tries.sort(key=lambda logged: logged.timestamp)
    lesson, step = _where(progress, tries)
    results = Counter(
        Result(t.result) for t in tries if t.result in COUNTED and t.place.kind != "exercise"
    )
    mistakes = Counter(t.mistake for t in tries if t.mistake and t.place.kind != "exercise")
    seen = [t.timestamp.replace("Z", "+00:00") for t in tries[-1:]]
    if mtime is not None:
        seen.append(_iso(mtime))
    return LearnerRecord(
        name=name,
        folder=directory.name,
        lesson=lesson,
        step=step,
        results=dict(results),
        exercises_solved=sum(state.solved for state in progress.exercises.values()),
        exams_passed=tuple(
            sorted(e for e in exams if e in progress.exercises and progress.exercises[e].solved)
        ),
        last_seen=max(seen, key=_parsed) if seen else None,
        mistakes=dict(mistakes),
        tries=tuple(tries),
        notes=tuple(note for note in (progress_note, tries_note) if note),
    )


def _parsed(stamp: str) -> datetime:
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def class_record(learners: Iterable[tuple[str, Path]], exams: Collection[str] = ()) -> ClassRecord:
    """Every learner's record, the mistakes by how many learners made them, the weakest topics.

    ``exams``: the ids of the exam exercises, whose passing each record notes.
    """
    records = tuple(learner_record(name, directory, exams) for name, directory in learners)
    made_by: Counter[str] = Counter()
    made: Counter[str] = Counter()
    for record in records:
        made_by.update(record.mistakes.keys())
        made.update(record.mistakes)
    mistakes = sorted(
        (MistakeCount(name, made_by[name], made[name]) for name in made_by),
        key=lambda m: (-m.learners, -m.tries, m.mistake),
    )
    return ClassRecord(records, tuple(mistakes), _weakest(records))


def _weakest(records: Iterable[LearnerRecord]) -> tuple[TopicScore, ...]:
    questions: Counter[str] = Counter()
    first: Counter[str] = Counter()
    learners: dict[str, set[str]] = {}
    for record in records:
        for logged in record.tries:
            if logged.result not in COUNTED or logged.place.kind == "exercise":
                continue
            topic = topic_of(logged)
            questions[topic] += 1
            first[topic] += logged.result == Result.FIRST_TRY
            learners.setdefault(topic, set()).add(record.folder)
    scores = [TopicScore(t, questions[t], first[t], len(learners[t])) for t in questions]
    scores.sort(key=lambda s: (s.share, -s.questions, s.topic))
    return tuple(s for s in scores if s.share < 1.0)[:WEAKEST_TOPICS]


def as_json(record: ClassRecord) -> dict[str, Any]:
    """The report as ``class report --json`` prints it (DESIGN's contract, and more)."""
    return {
        "learners": [
            {
                "name": learner.name,
                "lesson": learner.lesson,
                "step": learner.step,
                "first_try": learner.count(Result.FIRST_TRY),
                "retried": learner.count(Result.RETRIED),
                "revealed": learner.count(Result.REVEALED),
                "skipped": learner.count(Result.SKIPPED),
                "exercises_solved": learner.exercises_solved,
                "exams_passed": list(learner.exams_passed),
                "last_seen": learner.last_seen,
                "mistakes": dict(sorted(learner.mistakes.items())),
                "notes": list(learner.notes),
            }
            for learner in record.learners
        ],
        "mistakes": [
            {"mistake": m.mistake, "learners": m.learners, "tries": m.tries}
            for m in record.mistakes
        ],
        "topics": [
            {
                "topic": t.topic,
                "questions": t.questions,
                "first_try": t.first_try,
                "learners": t.learners,
            }
            for t in record.topics
        ],
    }
