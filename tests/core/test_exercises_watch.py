"""The save watcher: a check that fails is reported and the next save is still checked."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tutor.exercises.watch import SaveWatcher


def test_a_failing_check_is_reported_and_watching_goes_on(tmp_path: Path) -> None:
    file = tmp_path / "mine.py"
    file.write_text("first\n", "utf-8")
    calls: list[str] = []
    errors: list[str] = []
    checked_again = threading.Event()

    def on_save() -> None:
        calls.append(file.read_text("utf-8"))
        if len(calls) == 1:
            raise RecursionError("the results could not be read")
        checked_again.set()

    watcher = SaveWatcher(file, on_save, lambda exc: errors.append(str(exc)))
    watcher.start()
    try:
        deadline = time.monotonic() + 60
        while not errors and time.monotonic() < deadline:
            time.sleep(0.05)
        file.write_text("second version\n", "utf-8")
        assert checked_again.wait(60)
    finally:
        watcher.stop()
        watcher.join(10)
    assert errors == ["the results could not be read"]
    assert calls[0] == "first\n" and calls[-1] == "second version\n"
    assert watcher.is_alive() is False
