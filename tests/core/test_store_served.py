"""Served to a browser, the tutor's messages about saving name no server path and no process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.store.progress_file import ProgressStore
from tutor.store.served import LEARNER_ENV, SERVED_ENV, learner_name, served


def test_a_second_tutor_on_a_learners_folder_speaks_to_a_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    first = ProgressStore(tmp_path)
    first.claim()
    at_a_terminal = ProgressStore(tmp_path)
    at_a_terminal.claim()
    assert at_a_terminal.read_only and str(tmp_path) in at_a_terminal.read_only
    monkeypatch.setenv(SERVED_ENV, "1")
    in_a_browser = ProgressStore(tmp_path)
    in_a_browser.claim()
    message = in_a_browser.read_only
    assert message and "reload this page" in message
    assert str(tmp_path) not in message and str(os.getpid()) not in message
    assert "start again" not in message
    first.release()


def test_a_damaged_progress_file_is_named_without_its_folder_when_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(SERVED_ENV, "1")
    (tmp_path / "progress.json").write_text("{damaged")
    store = ProgressStore(tmp_path)
    store.claim()
    store.load()
    assert store.notice and "progress.json.damaged-" in store.notice
    assert str(tmp_path) not in store.notice
    store.release()


def test_the_learners_name_counts_only_when_served(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(LEARNER_ENV, "Ada")
    monkeypatch.delenv(SERVED_ENV, raising=False)
    assert not served() and learner_name() is None
    monkeypatch.setenv(SERVED_ENV, "1")
    assert served() and learner_name() == "Ada"
