"""The teacher's report in words: the learners' table, mistakes, weakest topics, a learner's tries.

Provides :data:`COLUMNS` (the table's columns, also the CSV header), :func:`learner_cells`,
:func:`mistake_words`, :func:`topic_words`, :func:`try_cells`, :func:`report_lines`
(the report as lines for the terminal) and the headings.  The browser's page and
``class report`` both take their words from here; the result words are the ones
every summary of the tutor uses (:data:`~tutor.present.verdict.RESULT_WORDS`).
"""

from __future__ import annotations

from datetime import datetime

from tutor.present.lines import BLANK, Line, Role
from tutor.present.verdict import RESULT_WORDS
from tutor.store.class_record import ClassRecord, LearnerRecord, MistakeCount, TopicScore
from tutor.store.outcomes import Result
from tutor.store.tries import LoggedTry, TryPlace

TITLE = "The class report"
LEARNERS_HEADING = "Learners"
MISTAKES_HEADING = "Most common named mistakes"
TOPICS_HEADING = "Weakest topics"
TRIES_HEADING = "Every try, newest first"
NO_LEARNERS = "No learner has signed in yet."
NO_MISTAKES = "No named mistake yet."
NO_TOPICS = "No topic stands out yet: every question so far was right first time, or none ended."
NO_TRIES = "No tries yet."
NEVER = "not yet"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Learner"),
    ("lesson", "Lesson"),
    ("step", "Step"),
    ("first_try", RESULT_WORDS[Result.FIRST_TRY].capitalize()),
    ("retried", RESULT_WORDS[Result.RETRIED].capitalize()),
    ("revealed", RESULT_WORDS[Result.REVEALED].capitalize()),
    ("skipped", RESULT_WORDS[Result.SKIPPED].capitalize()),
    ("exercises_solved", "Exercises solved"),
    ("exams_passed", "Exam passed"),
    ("last_seen", "Last seen"),
)
"""``(key, heading)`` of each column of the learners' table, in order."""
TRY_COLUMNS = ("Time", "Where", "Answer", "Verdict", "Named mistake", "Try")
VERDICT_WORDS = {
    "correct": "right",
    "close": "close",
    "wrong": "wrong",
    "skipped": "skipped",
    "error": "did not run",
}


def seen_words(stamp: str | None) -> str:
    """A time as ``2026-12-07 06:40 UTC`` (the report is read by people, not parsers)."""
    if not stamp:
        return NEVER
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return when.strftime("%Y-%m-%d %H:%M UTC")


def learner_cells(learner: LearnerRecord) -> list[str]:
    """The learner's row of the table, one cell per column of :data:`COLUMNS`."""
    return [
        learner.name,
        learner.lesson or "—",
        str(learner.step) if learner.step is not None else "—",
        str(learner.count(Result.FIRST_TRY)),
        str(learner.count(Result.RETRIED)),
        str(learner.count(Result.REVEALED)),
        str(learner.count(Result.SKIPPED)),
        str(learner.exercises_solved),
        ", ".join(learner.exams_passed) or "—",
        seen_words(learner.last_seen),
    ]


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def mistake_words(mistake: MistakeCount) -> str:
    """``sign flipped: 3 learners, 7 tries``."""
    learners = _count(mistake.learners, "learner", "learners")
    return f"{mistake.mistake}: {learners}, {_count(mistake.tries, 'try', 'tries')}"


def topic_words(topic: TopicScore) -> str:
    """``chain rule: 2 of 9 right first time (4 learners)``."""
    learners = _count(topic.learners, "learner", "learners")
    return f"{topic.topic}: {topic.first_try} of {topic.questions} right first time ({learners})"


def where_words(place: TryPlace) -> str:
    """Where a try was made, in words."""
    if place.kind == "quiz":
        return f"quiz, {place.topic or place.family}"
    if place.kind == "exercise":
        return f"exercise {place.exercise}"
    what = f"prediction of {place.target}" if place.target else "question"
    step = f", step {place.step}" if place.step else ""
    return f"{place.lesson}{step}, {what}"


def try_cells(logged: LoggedTry) -> list[str]:
    """One try as a row of :data:`TRY_COLUMNS`."""
    return [
        seen_words(logged.timestamp),
        where_words(logged.place),
        logged.answer,
        VERDICT_WORDS.get(logged.verdict, logged.verdict),
        logged.mistake or "",
        str(logged.try_number),
    ]


def _table(rows: list[list[str]]) -> list[Line]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        text = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append(Line.of(text.rstrip(), Role.HEADING if number == 0 else Role.TEXT))
    return lines


def report_lines(record: ClassRecord) -> list[Line]:
    """The whole report for a terminal: the table, the mistakes, the weakest topics, notes."""
    lines = [Line.of(TITLE, Role.HEADING), BLANK]
    if not record.learners:
        return [*lines, Line.of(NO_LEARNERS)]
    header = [heading for _, heading in COLUMNS]
    lines += _table([header, *(learner_cells(learner) for learner in record.learners)])
    lines += [BLANK, Line.of(MISTAKES_HEADING, Role.HEADING)]
    lines += [Line.of(f"  {mistake_words(m)}") for m in record.mistakes] or [
        Line.of(f"  {NO_MISTAKES}", Role.HINT)
    ]
    lines += [BLANK, Line.of(TOPICS_HEADING, Role.HEADING)]
    lines += [Line.of(f"  {topic_words(t)}") for t in record.topics] or [
        Line.of(f"  {NO_TOPICS}", Role.HINT)
    ]
    notes = [(learner.name, note) for learner in record.learners for note in learner.notes]
    if notes:
        lines.append(BLANK)
        lines += [Line.of(f"{name}: {note}", Role.NOTE) for name, note in notes]
    return lines
