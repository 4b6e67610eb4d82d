"""The progress model and its file: round trip, atomic save, damaged and partly invalid files."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.store.progress import (
    Answered,
    FamilyStats,
    LessonProgress,
    Progress,
    RunRecord,
)
from tutor.store.progress_file import ProgressStore


def sample() -> Progress:
    progress = Progress()
    lesson = progress.lesson("intro")
    lesson.step = 3
    lesson.finished_steps = [2, 0, 1]
    lesson.revealed = {"1": 4}
    lesson.predictions = {"1": {"dL/dz2": Answered(answer="-0.09", outcome="close")}}
    lesson.questions = {
        "3:1": Answered("0.806", "correct", "retried", 2, {"W1": [[0.5, -0.25]], "x": 1.5})
    }
    lesson.runs = {
        "2": [
            RunRecord(knobs={"lr": 0.5, "epochs": 200, "seed": 1}, final_loss=0.01, status="done"),
            RunRecord(knobs={"lr": 50.0}, final_loss=None, status="diverged"),
        ]
    }
    stats = progress.family("grad-w2")
    stats.attempts, stats.correct, stats.streak, stats.box = 5, 4, 2, 3
    stats.last_seen = "2025-01-02T03:04:05+00:00"
    stats.due = "2025-01-05T03:04:05+00:00"
    return progress


def aside_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("progress.json.damaged-*"))


def test_missing_file_gives_empty_progress(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    assert store.load() == Progress()
    assert store.notice is None


def test_round_trip(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.save(sample())
    loaded = store.load()
    expected = sample()
    expected.lessons["intro"].finished_steps = [0, 1, 2]
    assert loaded == expected
    assert store.notice is None


def test_json_layout(tmp_path: Path) -> None:
    ProgressStore(tmp_path).save(sample())
    data = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert data["version"] == 2
    assert set(data) == {"version", "lessons", "families", "exercises"}
    intro = data["lessons"]["intro"]
    assert intro["finished_steps"] == [0, 1, 2]
    assert intro["predictions"]["1"]["dL/dz2"] == {
        "answer": "-0.09",
        "outcome": "close",
        "result": "revealed",  # derived from the outcome
        "tries": 0,
        "numbers": {},
        "wrong": 0,
    }
    assert intro["questions"]["3:1"]["numbers"] == {"W1": [[0.5, -0.25]], "x": 1.5}
    assert intro["runs"]["2"][1] == {
        "knobs": {"lr": 50.0},
        "final_loss": None,
        "status": "diverged",
        "curve": [],
    }
    assert data["families"]["grad-w2"]["box"] == 3


def test_run_curves_round_trip_without_non_finite_losses(tmp_path: Path) -> None:
    progress = Progress()
    curve = [(0, 0.25), (10, math.nan), (20, 0.125), (30, math.inf), (40, 1e-300)]
    progress.lesson("x").runs["0"] = [RunRecord({"lr": 1.0}, 0.125, "done", curve)]
    store = ProgressStore(tmp_path)
    store.save(progress)
    data = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert data["lessons"]["x"]["runs"]["0"][0]["curve"] == [[0, 0.25], [20, 0.125], [40, 1e-300]]
    assert store.load().lessons["x"].runs["0"][0].curve == [(0, 0.25), (20, 0.125), (40, 1e-300)]
    assert store.notice is None


def test_runs_saved_before_curves_existed_load_without_one(tmp_path: Path) -> None:
    old_run = {"knobs": {"lr": 1.0}, "final_loss": 0.5, "status": "done"}
    data = {"version": 1, "lessons": {"x": {"runs": {"0": [old_run]}}}, "families": {}}
    (tmp_path / "progress.json").write_text(json.dumps(data), "utf-8")
    store = ProgressStore(tmp_path)
    assert store.load().lessons["x"].runs["0"] == [RunRecord({"lr": 1.0}, 0.5, "done")]
    assert store.notice is None


def test_malformed_curve_points_are_dropped(tmp_path: Path) -> None:
    points = [[0, 1.0], [1], "x", [-1, 2.0], [True, 2.0], [2.5, 1.0], [3, "a"], [4, 0.5]]
    runs = [
        {"knobs": {}, "status": "done", "curve": points},
        {"knobs": {}, "status": "done", "curve": "not a list"},
    ]
    data = {"version": 1, "lessons": {"x": {"runs": {"0": runs}}}, "families": {}}
    (tmp_path / "progress.json").write_text(json.dumps(data), "utf-8")
    store = ProgressStore(tmp_path)
    loaded = store.load().lessons["x"].runs["0"]
    assert [run.curve for run in loaded] == [[(0, 1.0), (4, 0.5)], []]
    assert store.notice is not None and "runs.0[1].curve" in store.notice


def test_non_finite_values_are_saved_as_valid_json(tmp_path: Path) -> None:
    progress = Progress()
    progress.lesson("x").runs["0"] = [
        RunRecord(knobs={"lr": math.inf, "name": "a"}, final_loss=math.nan, status="diverged")
    ]
    store = ProgressStore(tmp_path)
    store.save(progress)
    run = store.load().lessons["x"].runs["0"][0]
    assert run == RunRecord(knobs={"name": "a"}, final_loss=None, status="diverged")


def test_save_creates_directory(tmp_path: Path) -> None:
    directory = tmp_path / "a" / "b"
    ProgressStore(directory).save(Progress())
    assert (directory / "progress.json").is_file()


def test_save_leaves_no_temp_files(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.save(sample())
    store.save(Progress())
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


def test_failed_save_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProgressStore(tmp_path)
    store.save(sample())
    before = (tmp_path / "progress.json").read_bytes()

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        store.save(Progress())
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]
    assert (tmp_path / "progress.json").read_bytes() == before


DAMAGED = {
    "not json": b"this is not json",
    "empty": b"",
    "truncated": json.dumps(sample().to_dict()).encode()[:-20],
    "binary": bytes(range(256)),
    "not utf-8": '{"version": 1, "lessons": {"é": {}}}'.encode("latin-1"),
    "list": b"[1, 2, 3]",
    "string": b'"progress"',
    "null": b"null",
    "no version": b'{"lessons": {}}',
    "bad version": b'{"version": "one"}',
    "lessons is a list": b'{"version": 1, "lessons": []}',
    "families is a number": b'{"version": 1, "families": 7}',
    "deeply nested": b"[" * 100_000,
}


@pytest.mark.parametrize("raw", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_file_is_moved_aside(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    assert store.load() == Progress()
    [aside] = aside_files(tmp_path)
    assert aside.read_bytes() == raw
    assert not (tmp_path / "progress.json").exists()
    assert store.notice is not None
    assert "damaged" in store.notice and str(aside) in store.notice
    store.save(sample())
    assert store.load().lessons["intro"].step == 3
    assert store.notice is None


def test_damaged_names_are_unique(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    for raw in (b"one", b"two", b"three"):
        (tmp_path / "progress.json").write_bytes(raw)
        store.load()
    assert sorted(p.read_bytes() for p in aside_files(tmp_path)) == [b"one", b"three", b"two"]
    assert all(p.name.startswith("progress.json.damaged-2") for p in aside_files(tmp_path))


def test_invalid_fields_fall_back_per_field(tmp_path: Path) -> None:
    data = sample().to_dict()
    data["unknown"] = {"ignored": True}
    data["lessons"]["broken"] = "not an object"
    data["lessons"]["intro"]["step"] = -1
    data["lessons"]["intro"]["finished_steps"] = [1, "two", 3, True]
    data["lessons"]["intro"]["extra"] = 1
    data["families"]["grad-w2"]["due"] = "next tuesday"
    data["families"]["other"] = {"attempts": 2, "box": "x"}
    raw = json.dumps(data).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    progress = store.load()

    intro = progress.lessons["intro"]
    assert intro.step == 0
    assert intro.finished_steps == [1, 3]
    assert intro.revealed == {"1": 4}
    assert progress.lessons["broken"] == LessonProgress()
    assert progress.families["grad-w2"].due is None
    assert progress.families["grad-w2"].attempts == 5
    assert progress.families["other"] == FamilyStats(attempts=2)

    assert store.notice is not None and "reset" in store.notice
    [copy] = aside_files(tmp_path)
    assert copy.read_bytes() == raw
    assert (tmp_path / "progress.json").read_bytes() == raw


def test_a_newer_format_is_kept_aside_before_it_can_be_overwritten(tmp_path: Path) -> None:
    raw = b'{"version": 99, "lessons": {"a": {"step": 2}}, "families": {}, "future": 1}'
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert progress.lessons["a"].step == 2  # what can be read is kept
    assert store.notice is not None and "newer backprop-tutor (format 99)" in store.notice
    copies = list(tmp_path.glob("progress.json.damaged-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == raw


def test_unknown_keys_alone_are_no_problem(tmp_path: Path) -> None:
    data = sample().to_dict()
    data["future"] = [1, 2]
    data["lessons"]["intro"]["future"] = "x"
    (tmp_path / "progress.json").write_text(json.dumps(data), "utf-8")
    store = ProgressStore(tmp_path)
    assert store.load().lessons["intro"].step == 3
    assert store.notice is None
    assert aside_files(tmp_path) == []


def test_unreadable_path_does_not_crash(tmp_path: Path) -> None:
    (tmp_path / "progress.json").mkdir()
    store = ProgressStore(tmp_path)
    assert store.load() == Progress()
    assert store.notice is not None


def test_no_ui_or_numpy_imports() -> None:
    code = (
        "import sys, tutor.store.locations, tutor.store.progress, tutor.store.progress_file; "
        "print(sorted({'textual', 'numpy', 'plotext', 'rich'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_file_from_before_kept_answers_loads_and_bad_numbers_are_dropped(tmp_path: Path) -> None:
    old = {
        "version": 1,
        "lessons": {
            "intro": {
                "predictions": {"1:dL/dz2": {"answer": "-0.09", "outcome": "correct"}},
                "questions": {"3:1": {"answer": "1", "outcome": "wrong",
                                      "numbers": {"W1": "lots", "x": 2.0}}},
            }
        },
        "families": {},
    }  # fmt: skip
    (tmp_path / "progress.json").write_text(json.dumps(old), encoding="utf-8")
    store = ProgressStore(tmp_path)
    lesson = store.load().lessons["intro"]
    assert lesson.predictions == {"1": {"dL/dz2": Answered("-0.09", "correct")}}  # migrated
    assert lesson.questions["3:1"].numbers == {"x": 2.0}
    assert store.notice is not None and "numbers.W1" in store.notice


def test_exercise_progress_round_trips_and_bad_fields_fall_back(tmp_path: Path) -> None:
    progress = Progress()
    state = progress.exercise("three-layer")
    state.path, state.solved, state.hints, state.trusted = "/w/three_layer.py", True, 2, "/l/x"
    store = ProgressStore(tmp_path)
    store.save(progress)
    loaded = store.load()
    assert loaded.exercises["three-layer"] == state
    data = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    data["exercises"]["three-layer"]["solved"] = "yes"
    data["exercises"]["three-layer"]["hints"] = -1
    (tmp_path / "progress.json").write_text(json.dumps(data), "utf-8")
    damaged = store.load().exercises["three-layer"]
    assert (damaged.solved, damaged.hints, damaged.path) == (False, 0, "/w/three_layer.py")
    assert store.notice is not None and "exercises.three-layer.solved" in store.notice


def test_an_open_question_is_kept_open_with_its_tries() -> None:
    from tutor.store.progress import Answered
    from tutor.store.progress_decode import progress_from_dict

    kept = Answered("5", "wrong", "open", 2, {"W1": 0.5}, wrong=1)
    assert kept.open and kept.result == "open"
    data = {"version": 1, "lessons": {"l": {"questions": {"0:1": kept.to_dict()}}}}
    again = progress_from_dict(data).lessons["l"].questions["0:1"]
    assert again.open and (again.tries, again.wrong, again.numbers) == (2, 1, {"W1": 0.5})
