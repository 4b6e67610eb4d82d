"""Disk full (issue 23): a save that fails is said ("not saved"), the exit status is 1,
and the progress saved before it is intact at the next start.

The child process gets a ``sitecustomize`` that hands the tutor ``/dev/full`` for its
progress file's temporary copy once a number of saves have been written, so the
kernel itself answers ``ENOSPC`` (No space left on device) at the flush, exactly as
on a full disk; nothing in the tutor knows about it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import run_cli

FULL_DISK = """
import os, tempfile

_real_mkstemp = tempfile.mkstemp
_left = [int(os.environ["SAVES_BEFORE_FULL"])]


def mkstemp(suffix=None, prefix=None, dir=None, text=False):
    fd, path = _real_mkstemp(suffix, prefix, dir, text)
    if (prefix or "").startswith(".progress"):
        if _left[0] <= 0:
            os.close(fd)
            return os.open("/dev/full", os.O_WRONLY), path
        _left[0] -= 1
    return fd, path


tempfile.mkstemp = mkstemp
"""

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


def full_disk_env(tmp_path: Path, saves: int) -> dict[str, str]:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(FULL_DISK, encoding="utf-8")
    path = os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")])
    return {"PYTHONPATH": path, "SAVES_BEFORE_FULL": str(saves)}


def test_a_session_on_a_full_disk_says_not_saved_exits_1_and_loses_nothing_saved_before(
    tmp_path: Path, private_home: Path
) -> None:
    first = run_cli("lesson", "paths", "--plain", stdin="skip\n" * 3)
    assert first.returncode == 0, first.stderr
    saved = (private_home / "progress.json").read_bytes()
    finished = set(json.loads(saved)["lessons"]["paths"]["finished_steps"])
    assert finished

    full = run_cli("lesson", "paths", "--plain", stdin="skip\n" * 3, env=full_disk_env(tmp_path, 0))
    assert full.returncode == 1
    assert "Not saved: your progress could not be written (No space left on device)" in (
        full.stderr
    )
    assert "Your progress is NOT saved: No space left on device" in full.stderr
    assert "Stopped here; your progress is NOT saved." in full.stdout
    assert "your progress is saved" not in full.stdout
    assert full.stderr.count("Not saved:") == 1  # said once, not at every step
    assert (private_home / "progress.json").read_bytes() == saved  # the old file intact
    assert not [p.name for p in private_home.iterdir() if p.name.startswith(".progress")]

    again = run_cli("lesson", "paths", "--plain", stdin="")  # the next start, disk free again
    assert again.returncode == 0, again.stderr
    kept = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    assert finished <= set(kept["lessons"]["paths"]["finished_steps"])


def test_a_disk_that_fills_during_the_session_keeps_what_was_saved_and_says_so(
    tmp_path: Path, private_home: Path
) -> None:
    result = run_cli(
        "quiz", "--plain", "--count", "3", "--seed", "4",
        stdin="skip\n" * 3, env=full_disk_env(tmp_path, 1),
    )  # fmt: skip
    assert result.returncode == 1
    assert "Not saved:" in result.stderr and "NOT saved" in result.stderr
    kept = json.loads((private_home / "progress.json").read_text(encoding="utf-8"))
    assert kept  # the one save before the disk filled is whole
