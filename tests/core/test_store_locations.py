"""Tests for tutor.store.locations: data directory, bundled lessons and lesson search path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.store import locations


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the real home or the caller's overrides."""
    for name in ("BACKPROP_TUTOR_HOME", "XDG_DATA_HOME", "BACKPROP_TUTOR_LESSONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def test_data_dir_override_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("BACKPROP_TUTOR_HOME", str(tmp_path / "tutor-home"))
    assert locations.data_dir() == tmp_path / "tutor-home"


def test_data_dir_uses_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert locations.data_dir() == tmp_path / "xdg" / "backprop-tutor"


def test_data_dir_default_under_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "")
    assert locations.data_dir() == tmp_path / "home" / ".local" / "share" / "backprop-tutor"


def test_data_dir_is_not_created(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKPROP_TUTOR_HOME", str(tmp_path / "tutor-home"))
    assert not locations.data_dir().exists()


def test_bundled_lessons_from_checkout() -> None:
    checkout = Path(__file__).resolve().parents[2]
    assert locations.bundled_lessons_dir() == checkout / "lessons"


def test_bundled_lessons_prefers_packaged_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "site" / "tutor"
    (package / "_lessons").mkdir(parents=True)
    monkeypatch.setattr(locations, "_PACKAGE_DIR", package)
    assert locations.bundled_lessons_dir() == package / "_lessons"


def test_bundled_lessons_falls_back_to_sibling(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "checkout" / "tutor"
    package.mkdir(parents=True)
    monkeypatch.setattr(locations, "_PACKAGE_DIR", package)
    assert locations.bundled_lessons_dir() == tmp_path / "checkout" / "lessons"


def test_lesson_dirs_order_and_dedup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    a, b, c = (tmp_path / name for name in "abc")
    env = os.pathsep.join([str(c), "", str(a), str(tmp_path / "c" / ".." / "c")])
    monkeypatch.setenv("BACKPROP_TUTOR_LESSONS", env)
    dirs = locations.lesson_dirs([a, b, a])
    assert dirs == [
        locations.bundled_lessons_dir().resolve(),
        a.resolve(),
        b.resolve(),
        c.resolve(),
    ]


def test_lesson_dirs_default_is_bundled_only() -> None:
    assert locations.lesson_dirs() == [locations.bundled_lessons_dir().resolve()]


def test_lesson_dirs_ignores_empty_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPROP_TUTOR_LESSONS", os.pathsep * 3)
    assert locations.lesson_dirs() == [locations.bundled_lessons_dir().resolve()]
