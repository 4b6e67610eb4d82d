"""A save that fails is said, retried at the next change, and never called saved (issue 23)."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest

from tests.ui.support import demo_lesson  # a lesson built from the model (no Textual)
from tutor.commands.learner_data import ProgressSession
from tutor.plain.lesson import LessonPlayer
from tutor.store.progress import LessonProgress

REAL_MKSTEMP = tempfile.mkstemp


class FullDisk:
    """``tempfile.mkstemp`` whose progress copies go to ``/dev/full`` while ``full`` is set."""

    def __init__(self) -> None:
        self.full = True

    def __call__(self, suffix=None, prefix=None, dir=None, text=False):
        fd, path = REAL_MKSTEMP(suffix, prefix, dir, text)
        if self.full:
            os.close(fd)
            return os.open("/dev/full", os.O_WRONLY), path
        return fd, path


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    full = FullDisk()
    monkeypatch.setattr(tempfile, "mkstemp", full)
    return full


def test_a_failed_save_is_said_once_kept_in_memory_retried_and_recovers(
    disk: FullDisk, private_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ProgressSession() as learner:
        learner.progress.lesson("demo").step = 3
        assert learner.save() is False
        learner.progress.lesson("demo").step = 4
        assert learner.save() is False
        assert learner.progress.lesson("demo").step == 4  # in memory, nothing lost
        assert not (private_home / "progress.json").exists()
        disk.full = False  # space freed: the next change saves everything
        learner.progress.lesson("demo").step = 5
        assert learner.save() is True
        assert learner.exit_status == 0
    err = capsys.readouterr().err
    assert err.count("Not saved: your progress could not be written (No space left") == 1
    assert "Saved: your progress is written again." in err
    saved = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    assert saved["lessons"]["demo"]["step"] == 5
    assert not [p for p in private_home.iterdir() if p.name.startswith(".progress")]


def test_a_session_that_ends_unsaved_says_so_and_exits_1(
    disk: FullDisk, capsys: pytest.CaptureFixture[str]
) -> None:
    with ProgressSession() as learner:
        learner.progress.lesson("demo").step = 2
        learner.save()
    assert learner.exit_status == 1
    err = capsys.readouterr().err
    assert f"Your progress is NOT saved: {os.strerror(errno.ENOSPC)}" in err


def test_the_player_says_saved_only_when_the_save_worked() -> None:
    said: list[str] = []
    for saved in (True, False):
        said.clear()
        LessonPlayer(
            demo_lesson(),
            LessonProgress(),
            read=lambda prompt: None,
            say=said.append,
            save=lambda saved=saved: saved,
        ).run()
        word = "saved" if saved else "NOT saved"
        assert f"Stopped here; your progress is {word}." in said
