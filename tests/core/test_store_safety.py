"""Progress is never lost (issue 14): unreadable files, two tutors, killed saves, wild numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tutor.store import progress_file
from tutor.store.lock import LOCK_NAME
from tutor.store.progress import LessonProgress, Progress
from tutor.store.progress_decode import (
    KNOB_EXPECTED,
    MAX_COUNT,
    MAX_STEP,
    MAX_TEXT,
    progress_from_dict,
)
from tutor.store.progress_file import TEMP_PREFIX, ProgressStore


def saved(directory: Path, step: int = 3) -> bytes:
    """Write a progress file with lesson "intro" at ``step``; its bytes."""
    progress = Progress()
    progress.lesson("intro").step = step
    progress.family("grad-w2").attempts = 5
    ProgressStore(directory).save(progress)
    return (directory / "progress.json").read_bytes()


def changed() -> Progress:
    progress = Progress()
    progress.lesson("other").step = 1
    return progress


# ----------------------------------------------------------------- unreadable files


def test_an_unreadable_file_is_kept_and_the_session_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved(tmp_path)

    def denied(path: Path, limit: int) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(progress_file, "read_regular_file", denied)
    store = ProgressStore(tmp_path)
    store.claim()
    assert store.load() == Progress()
    assert store.read_only is not None and store.notice == store.read_only
    assert store.read_only.startswith(
        f"Progress will not be saved: your progress file {tmp_path / 'progress.json'} "
        "cannot be read (Permission denied), and it is kept as it is."
    )
    assert "chmod -R u+rwX" in store.read_only  # the file is ours: the hint is chmod
    store.save(changed())
    assert (tmp_path / "progress.json").read_bytes() == before


def test_a_fifo_in_place_of_the_progress_file_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "progress.json")
    store = ProgressStore(tmp_path)
    store.claim()
    done = threading.Event()
    thread = threading.Thread(target=lambda: (store.load(), done.set()), daemon=True)
    thread.start()
    assert done.wait(5), "loading waited on the FIFO"
    assert store.read_only is not None and "it is a FIFO (named pipe)" in store.read_only
    assert "mv " in store.read_only
    store.save(changed())
    assert not (tmp_path / "progress.json").is_file()  # still the FIFO


def test_a_damaged_file_that_cannot_be_set_aside_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "progress.json").write_bytes(b"{ damaged")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    store = ProgressStore(tmp_path)
    assert store.load() == Progress()
    assert store.read_only is not None and "could not be set aside" in store.read_only
    monkeypatch.undo()
    store.save(changed())
    assert (tmp_path / "progress.json").read_bytes() == b"{ damaged"


def test_the_fix_hint_names_chown_for_a_file_of_another_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.store.permissions import fix_hint

    saved(tmp_path)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    path = tmp_path / "progress.json"
    assert fix_hint(path) == (
        f"It belongs to another user; make it yours with: sudo chown -R $USER {path}"
    )


# ----------------------------------------------------------------- two tutors


def test_a_second_tutor_on_the_same_directory_is_read_only(tmp_path: Path) -> None:
    before = saved(tmp_path)
    first, second = ProgressStore(tmp_path), ProgressStore(tmp_path)
    first.claim()
    second.claim()
    assert first.read_only is None
    assert second.read_only == (
        f"Progress will not be saved: another backprop-tutor (process {os.getpid()}) is using "
        f"{tmp_path}, and only one saves at a time. Close it and start again to save here."
    )
    assert second.load().lessons["intro"].step == 3  # it still shows the saved progress
    second.save(changed())
    assert (tmp_path / "progress.json").read_bytes() == before
    first.save(changed())
    assert ProgressStore(tmp_path).load() == changed()
    first.release()
    third = ProgressStore(tmp_path)
    third.claim()
    assert third.read_only is None
    third.release()


def test_the_lock_is_held_across_processes_and_freed_when_the_holder_dies(
    tmp_path: Path,
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from tutor.store.progress_file import ProgressStore
                store = ProgressStore({str(tmp_path)!r})
                store.claim()
                print("held" if store.read_only is None else "refused", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        store = ProgressStore(tmp_path)
        store.claim()
        assert store.read_only is not None and f"process {holder.pid}" in store.read_only
    finally:
        holder.kill()
        holder.wait(10)
    after = ProgressStore(tmp_path)
    after.claim()
    assert after.read_only is None  # the kernel freed the lock of the killed process
    after.release()


# ----------------------------------------------------------------- killed saves


def test_temp_files_of_killed_saves_are_removed_at_start(tmp_path: Path) -> None:
    leftovers = [tmp_path / f"{TEMP_PREFIX}{n}abc" for n in range(3)]
    for leftover in leftovers:
        leftover.write_text("{")
    other = tmp_path / "notes.txt"
    other.write_text("mine")
    store = ProgressStore(tmp_path)
    store.claim()
    assert not any(p.exists() for p in leftovers) and other.exists()
    store.release()


def test_temp_files_are_left_alone_while_another_tutor_may_be_saving(tmp_path: Path) -> None:
    first = ProgressStore(tmp_path)
    first.claim()
    in_flight = tmp_path / f"{TEMP_PREFIX}inflight"
    in_flight.write_text("{")
    second = ProgressStore(tmp_path)
    second.claim()
    assert in_flight.exists() and second.read_only is not None
    first.release()


def test_a_repaired_file_is_saved_so_no_later_start_copies_it_again(tmp_path: Path) -> None:
    data = json.loads(saved(tmp_path))
    data["lessons"]["intro"]["step"] = -1
    (tmp_path / "progress.json").write_text(json.dumps(data))
    for _ in range(3):
        store = ProgressStore(tmp_path)
        store.claim()
        store.load()
        store.release()
    assert len(list(tmp_path.glob("progress.json.damaged-*"))) == 1
    assert json.loads((tmp_path / "progress.json").read_text())["lessons"]["intro"]["step"] == 0
    assert (tmp_path / LOCK_NAME).exists()


# ----------------------------------------------------------------- numbers in range


def test_a_4300_digit_counter_is_reset_and_the_next_save_works(tmp_path: Path) -> None:
    data = json.loads(saved(tmp_path))
    data["families"]["grad-w2"]["attempts"] = int("9" * 4300)
    (tmp_path / "progress.json").write_text(json.dumps(data))
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert progress.families["grad-w2"].attempts == 0
    assert store.notice is not None
    assert f"families.grad-w2.attempts: expected a whole number from 0 to {MAX_COUNT:,}" in (
        store.notice
    )
    store.save(progress)  # raised ValueError before the range check
    assert ProgressStore(tmp_path).load() == progress


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (("lessons", "intro", "step"), MAX_STEP + 1, "a whole number from 0 to 100,000"),
        (("lessons", "intro", "finished_steps"), [1, MAX_STEP + 1], "step numbers from 0"),
        (("lessons", "intro", "revealed", "3"), MAX_COUNT + 1, "a whole number from 0"),
        (("families", "grad-w2", "box"), 10**30, "a whole number from 0"),
        (
            ("lessons", "intro", "predictions", "0:1", "dL/dz2"),
            {"answer": "x" * (MAX_TEXT + 1), "outcome": "close"},
            f"answer: expected a string of at most {MAX_TEXT:,} characters",
        ),
    ],
)
def test_numbers_and_strings_are_range_checked(
    field: tuple[str, ...], value: object, expected: str
) -> None:
    data = Progress().to_dict()
    data["lessons"] = {"intro": LessonProgress().to_dict()}
    data["families"] = {"grad-w2": {"attempts": 1}}
    target = data
    for key in field[:-1]:
        target = target.setdefault(key, {})
    target[field[-1]] = value
    problems: list[str] = []
    progress = progress_from_dict(data, problems)
    assert len(problems) == 1 and expected in problems[0]
    assert json.dumps(progress.to_dict())  # what is kept can be saved again


def test_huge_knobs_and_far_epochs_are_dropped() -> None:
    run = {
        "knobs": {"lr": 0.5, "epochs": 10**40},
        "status": "done",
        "curve": [[0, 1.0], [10**12, 0.5]],
    }
    data = {"version": 1, "lessons": {"t": {"runs": {"0": [run]}}}}
    problems: list[str] = []
    (kept,) = progress_from_dict(data, problems).lessons["t"].runs["0"]
    assert kept.knobs == {"lr": 0.5} and kept.curve == [(0, 1.0)]
    assert problems == [f"lessons.t.runs.0[0].knobs.epochs: expected {KNOB_EXPECTED}"]
