"""``exercise check`` on the command line logs every check as a try, numbered on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def tutor(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BACKPROP_TUTOR_HOME": str(home), "BACKPROP_TUTOR_SANDBOX": "process"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_each_exercise_check_is_a_try_in_the_log(private_home: Path):
    tutor("exercise", "start", "sigmoid", home=private_home)
    for _ in range(2):
        assert tutor("exercise", "check", "sigmoid", home=private_home).returncode == 1
    lines = [json.loads(line) for line in (private_home / "tries.jsonl").read_text().splitlines()]
    assert [line["object"]["id"].rsplit("/", 2)[-2:] for line in lines] == [
        ["exercise", "sigmoid"]
    ] * 2
    extensions = [line["result"]["extensions"] for line in lines]
    numbers = [next(v for k, v in e.items() if k.endswith("/try")) for e in extensions]
    assert numbers == [1, 2]
    assert all(line["result"]["success"] is False for line in lines)
    assert lines[0]["result"]["response"] == "sigmoid.py"
