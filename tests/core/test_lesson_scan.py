"""Scanning lesson folders that hold anything (issue 23): a link loop, a dangling link, a folder
that cannot be listed, an unreadable file.  Each is one entry with its reason; nothing raises,
and the bundled lessons always load."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.exercises.catalog import find_exercises
from tutor.lesson.cache import lesson_files
from tutor.lesson.catalog import load_catalog
from tutor.store.locations import bundled_lessons_dir, lesson_dirs

LESSON = '+++\nid = "good"\ntitle = "Good"\n+++\n\n## One\n\nText.\n'


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "good.md").write_text(LESSON, encoding="utf-8")
    (folder / "loop.md").symlink_to("loop.md")  # a link to itself
    (folder / "ping.md").symlink_to("pong.md")
    (folder / "pong.md").symlink_to("ping.md")
    (folder / "broken.md").symlink_to("nowhere.md")
    (folder / "here.md").symlink_to(".")  # a link to the folder: no lesson file, skipped
    (folder / "exercises").symlink_to("exercises")
    return folder


def test_a_folder_of_links_that_lead_nowhere_lists_each_once_with_its_reason(
    hostile_folder: Path,
) -> None:
    entries = load_catalog(lesson_dirs([hostile_folder]))
    usable = sorted(e.lesson.id for e in entries if e.lesson is not None)
    assert {"backprop", "good"} <= set(usable)  # the bundled lessons and the good one
    broken = {e.path.name: e.error or "" for e in entries if e.lesson is None}
    assert set(broken) == {"loop.md", "ping.md", "pong.md", "broken.md"}
    for name in ("loop.md", "ping.md", "pong.md"):
        assert "Too many levels of symbolic links" in broken[name]
    assert "no such file" in broken["broken.md"]
    assert all("\n" not in error for error in broken.values())  # one line each


def test_a_folder_that_is_a_link_loop_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    directories = lesson_dirs([tmp_path / "loop"])  # Path.resolve() raised RuntimeError here
    entries = load_catalog(directories)
    assert any(e.lesson is not None and e.lesson.id == "backprop" for e in entries)
    assert entries[-1].error is not None and "leads nowhere" in entries[-1].error


def test_a_folder_that_cannot_be_listed_is_one_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root here, so the unreadable folder is an ``os.scandir`` that refuses."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.md").write_text(LESSON, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    assert lesson_files([locked]) == []
    entries = load_catalog([bundled_lessons_dir(), locked])
    assert any(e.lesson is not None and e.lesson.id == "backprop" for e in entries)
    assert [e.error for e in entries if e.path == locked] == [
        f"{locked}: cannot list the folder (Permission denied)"
    ]


def test_an_unreadable_lesson_file_is_one_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.md").write_text(LESSON, encoding="utf-8")
    real_open = os.open

    def refusing_open(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("secret.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)
    entries = load_catalog([tmp_path])
    assert [e.error for e in entries] == [
        f"{tmp_path / 'secret.md'}:1: cannot read the file: Permission denied"
    ]


def test_an_exercises_folder_that_is_a_loop_has_no_exercises(hostile_folder: Path) -> None:
    assert find_exercises([hostile_folder]) == []
