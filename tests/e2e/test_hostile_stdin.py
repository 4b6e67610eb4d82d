"""A closed or broken stdin ends the plain modes cleanly (issue 23): exit 0, progress saved."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.text.visible import read_line


def run_without_stdin(*args: str) -> subprocess.CompletedProcess[str]:
    """``backprop-tutor ARGS`` started with file descriptor 0 closed (``cmd <&-``)."""
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        stdin=None,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.close(0),  # fd 0 closed, as by `<&-`
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [("lesson", "paths", "--plain"), ("quiz", "--plain", "--count", "2", "--seed", "1")],
    ids=["lesson", "quiz"],
)
def test_closed_stdin_ends_the_dialogue_with_exit_0_and_progress_saved(
    args: tuple[str, ...], private_home: Path
) -> None:
    result = run_without_stdin(*args)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    saved = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    if args[0] == "lesson":
        last_step = re.findall(r"^Step (\d+) of", result.stdout, re.MULTILINE)[-1]
        assert saved["lessons"]["paths"]["step"] == int(last_step) - 1  # where the input ended
        assert "Stopped here; your progress is saved." in result.stdout
    else:
        assert "Quiz over: 0 of 0 solved" in result.stdout


class BrokenInput(io.StringIO):
    """A terminal that hung up: reading raises EIO."""

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise OSError(5, "Input/output error")


def test_a_broken_input_reads_as_its_end() -> None:
    assert read_line(BrokenInput()) is None
    closed = io.StringIO("x\n")
    closed.close()
    assert read_line(closed) is None
    assert read_line(io.StringIO("")) is None
    assert read_line(io.StringIO("0.5\n")) == "0.5\n"
