"""The log of tries: one xAPI-shaped JSON line per judged try, appended whole, read tolerantly."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tutor.answers.attempt import Attempt
from tutor.answers.mistakes import Mistake
from tutor.answers.types import Expected
from tutor.store import tries
from tutor.store.tries import TriesLog, Try, TryPlace


@pytest.fixture
def log(tmp_path: Path):
    tries.open_log(tmp_path)
    yield TriesLog(tmp_path)
    tries.close_log()


def test_every_judged_try_of_an_attempt_is_one_statement(log: TriesLog):
    place = TryPlace("question", "backprop", "3:1")
    attempt = Attempt(
        Expected(2.0), hints=("a hint",), mistakes=(Mistake("sign flipped", "", -2.0),), place=place
    )
    attempt.submit("not a number")  # unreadable: explained, not counted, not logged
    attempt.submit("-2")
    attempt.submit("2")
    lines = [json.loads(line) for line in log.path.read_text().splitlines()]
    assert len(lines) == 2
    first = lines[0]
    assert set(first) >= {"actor", "verb", "object", "result", "timestamp"}
    assert first["verb"]["display"]["en-US"] == "answered"
    assert first["object"]["id"].endswith("lesson/backprop/3:1")
    assert first["result"]["response"] == "-2" and first["result"]["success"] is False
    read, note = log.read()
    assert note is None
    assert [(t.verdict, t.try_number, t.mistake, t.result) for t in read] == [
        ("wrong", 1, "sign flipped", "open"),
        ("correct", 2, None, "retried"),
    ]
    assert read[0].place == place and read[0].place.step == 4


def test_a_skip_is_logged_and_an_attempt_without_a_place_is_not(log: TriesLog):
    Attempt(Expected(1.0)).submit("1")
    Attempt(Expected(1.0), place=TryPlace("quiz", family="chain")).skip()
    (logged,), _ = log.read()
    assert (logged.verdict, logged.result, logged.place.family) == ("skipped", "skipped", "chain")


def test_a_torn_last_line_and_a_damaged_line_are_skipped_and_said(log: TriesLog):
    place = TryPlace("exercise", exercise="sigmoid")
    for number in (1, 2):
        tries.record_try(Try(place, "mine.py", "wrong", number))
    with log.path.open("ab") as file:
        file.write(b"{not json\n")
    tries.record_try(Try(place, "mine.py", "correct", 3, result="solved"))
    with log.path.open("ab") as file:
        file.write(b'{"actor": {"name": "half a li')
    found, note = log.read()
    assert [t.try_number for t in found] == [1, 2, 3]
    assert note is not None and "cut off" in note and "1 damaged line" in note


def test_lines_appended_from_two_threads_stay_whole(log: TriesLog):
    place = TryPlace("quiz", family="f", topic="t")
    long_answer = "9" * 5000  # longer than a pipe buffer: still one line

    def write(verdict: str) -> None:
        for number in range(200):
            tries.record_try(Try(place, long_answer, verdict, number))

    threads = [threading.Thread(target=write, args=(v,)) for v in ("wrong", "correct")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found, note = log.read()
    assert note is None and len(found) == 400
    assert sorted(t.try_number for t in found if t.verdict == "wrong") == list(range(200))


def test_no_log_is_written_when_no_data_directory_is_held(tmp_path: Path):
    tries.close_log()
    tries.record_try(Try(TryPlace("quiz", family="f"), "1", "wrong", 1))
    assert not (tmp_path / tries.FILENAME).exists()
