"""The teacher's report: read from learners' data directories written by the real attempt
machine, counted by hand here."""

from __future__ import annotations

import json
from pathlib import Path

from tutor.answers.attempt import Attempt
from tutor.answers.mistakes import Mistake
from tutor.answers.types import Expected
from tutor.present.lines import plain_text
from tutor.present.report import COLUMNS, learner_cells, mistake_words, report_lines
from tutor.store import tries
from tutor.store.class_record import as_json, class_record
from tutor.store.outcomes import Result
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.store.tries import TryPlace

FLIP = Mistake("sign flipped", "", -2.0)
LEFT_OUT = Mistake("σ'(z2) left out", "", 5.0)


def answer(place: TryPlace, *typed: str, skip: bool = False) -> None:
    attempt = Attempt(Expected(2.0), mistakes=(FLIP, LEFT_OUT), place=place)
    for text in typed:
        attempt.submit(text)
    if skip:
        attempt.skip()


def learner(tmp_path: Path, name: str, step: int, solved: int) -> Path:
    directory = tmp_path / name
    store = ProgressStore(directory)
    store.claim()  # opens the log of tries in this directory, as a tutor does
    progress = Progress()
    progress.lesson("backprop").step = step
    for number in range(solved):
        progress.exercise(f"exercise-{number}").solved = True
    store.save(progress)
    return directory


def test_the_report_counts_each_learners_results_and_the_classs_mistakes(tmp_path: Path):
    ada = learner(tmp_path, "ada", step=4, solved=1)
    answer(TryPlace("question", "backprop", "3:1"), "2")  # right first time
    answer(TryPlace("prediction", "backprop", "4:0", target="dL/dz2"), "-2", "2")  # retried
    answer(TryPlace("quiz", family="chain", topic="chain rule"), skip=True)
    tries.close_log()
    bob = learner(tmp_path, "bob", step=0, solved=0)
    answer(TryPlace("quiz", family="chain", topic="chain rule"), "-2", "-2")  # revealed
    answer(TryPlace("question", "backprop", "3:1"), "5", "7")  # revealed
    tries.close_log()
    with (bob / tries.FILENAME).open("ab") as log:
        log.write(b'{"torn')

    record = class_record([("Ada", ada), ("Bob", bob)])
    first, second = record.learners
    assert (first.name, first.lesson, first.step, first.exercises_solved) == (
        "Ada",
        "backprop",
        5,
        1,
    )
    assert first.results == {Result.FIRST_TRY: 1, Result.RETRIED: 1, Result.SKIPPED: 1}
    assert second.results == {Result.REVEALED: 2}
    assert second.step == 1 and second.notes and "cut off" in second.notes[0]
    assert [(m.mistake, m.learners, m.tries) for m in record.mistakes] == [
        ("sign flipped", 2, 3),
        ("σ'(z2) left out", 1, 1),
    ]
    # chain rule: 2 ended, none right first time; step 5 (key 4:0): Ada's prediction, retried;
    # step 4 (key 3:1): Ada right first time, Bob's revealed
    assert [(t.topic, t.questions, t.first_try, t.learners) for t in record.topics] == [
        ("chain rule", 2, 0, 2),
        ("backprop step 5", 1, 0, 1),
        ("backprop step 4", 2, 1, 2),
    ]

    data = json.loads(json.dumps(as_json(record)))
    row = data["learners"][0]
    assert {
        "name",
        "lesson",
        "step",
        "first_try",
        "retried",
        "skipped",
        "exercises_solved",
        "last_seen",
    } <= set(row)
    assert (row["first_try"], row["retried"], row["skipped"]) == (1, 1, 1)
    assert data["mistakes"][0] == {"mistake": "sign flipped", "learners": 2, "tries": 3}

    text = plain_text(report_lines(record))
    assert "Ada" in text and "Bob" in text
    assert mistake_words(record.mistakes[0]) == "sign flipped: 2 learners, 3 tries"
    assert mistake_words(record.mistakes[0]) in text
    cells = dict(zip([key for key, _ in COLUMNS], learner_cells(first), strict=True))
    assert (cells["step"], cells["first_try"], cells["exercises_solved"]) == ("5", "1", "1")


def test_a_learner_with_nothing_yet_and_a_damaged_progress_file(tmp_path: Path):
    empty = tmp_path / "new"
    empty.mkdir()
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "progress.json").write_text("{not json")
    record = class_record([("New", empty), ("Damaged", damaged)])
    new, broken = record.learners
    assert (new.lesson, new.step, new.last_seen, new.results) == ("", None, None, {})
    assert broken.notes == ("the progress file is damaged",)
    assert (damaged / "progress.json").read_text() == "{not json"  # read, never moved
    assert record.mistakes == () and record.topics == ()


def test_the_exam_is_reported_apart_once_passed(tmp_path: Path):
    directory = learner(tmp_path, "cy", step=2, solved=0)
    tries.close_log()
    progress = ProgressStore(directory).load()
    progress.exercise("deep-network").solved = True
    progress.exercise("sigmoid").solved = True
    progress.exercise("other-exam").solved = False
    ProgressStore(directory).save(progress)
    record = class_record([("Cy", directory)], exams=("deep-network", "other-exam"))
    (cy,) = record.learners
    assert cy.exercises_solved == 2 and cy.exams_passed == ("deep-network",)
    assert as_json(record)["learners"][0]["exams_passed"] == ["deep-network"]
    cells = dict(zip([key for key, _ in COLUMNS], learner_cells(cy), strict=True))
    assert cells["exams_passed"] == "deep-network"
    (nobody,) = class_record([("Cy", directory)]).learners  # no exam named: none passed
    assert learner_cells(nobody)[[key for key, _ in COLUMNS].index("exams_passed")] == "—"


def test_the_bundled_exam_is_found() -> None:
    from tutor.exercises.catalog import exam_ids
    from tutor.store.locations import bundled_lessons_dir

    assert exam_ids([bundled_lessons_dir()]) == ("deep-network",)
