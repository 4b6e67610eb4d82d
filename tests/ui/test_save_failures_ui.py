"""The TUI on a full disk (issue 23): "not saved" at the time, "saved again" when it works,
and, if it still fails when the tutor closes, ``app.unsaved`` (exit status 1)."""

from __future__ import annotations

import gc
import json
import os
import tempfile
from pathlib import Path

import pytest

from tests.core.test_save_failures import FullDisk
from tests.helpers import wait_until
from tests.ui.support import demo_catalog, notice, settle
from tutor.commands import tui as tui_command
from tutor.tui.app import make_app

SIZE = (100, 32)
pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


def notices(app) -> list[str]:
    """The toasts and the lesson screen's notice line."""
    return [n.message for n in app._notifications] + [notice(app)]


async def test_a_failed_save_is_said_and_a_later_one_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = FullDisk()
    monkeypatch.setattr(tempfile, "mkstemp", disk)
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: any("Not saved" in n for n in notices(app)))
        assert app.progress.lessons["demo"].step == 1  # kept in memory
        disk.full = False
        await pilot.press("n")
        await wait_until(pilot, lambda: any("written again" in n for n in notices(app)))
    assert app.unsaved is None
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert saved["lessons"]["demo"]["step"] == 2


async def test_closing_with_progress_unsaved_is_said_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "mkstemp", FullDisk())
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: any("Not saved" in n for n in notices(app)))
    assert app.unsaved is not None and "NOT saved: No space left on device" in app.unsaved
    assert not (tmp_path / "progress.json").exists()

    class Closed:
        """What ``run_tui`` needs of an app that ran and closed with progress unsaved."""

        catalog = demo_catalog()
        crash = None
        unsaved = app.unsaved

        def entry(self, lesson_id: str) -> object:
            return None

        def run(self) -> None:
            return None

    monkeypatch.setattr("tutor.tui.app.make_app", lambda **options: Closed())
    try:
        assert tui_command.run_tui(None) == 1
    finally:
        gc.enable()  # run_tui holds collections off until the app's first frame
    assert "backprop-tutor: Your progress is NOT saved" in capsys.readouterr().err
