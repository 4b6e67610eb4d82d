"""``backprop-tutor exercise``: the learner's own failures, exit codes, the workspace, --watch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import HANG, run_cli

LESSONS = Path(__file__).parents[2] / "lessons"
SOLUTION = LESSONS / "exercises" / "three-layer" / "solution.py"


def check_json(tmp_path: Path, source: str, exercise: str = "three-layer") -> tuple[int, dict]:
    file = tmp_path / "mine.py"
    file.write_text(source, "utf-8")
    result = run_cli("exercise", "check", exercise, "--file", str(file), "--json")
    return result.returncode, json.loads(result.stdout)


def test_an_endless_loop_stops_at_the_time_limit_with_its_line(tmp_path: Path) -> None:
    source = SOLUTION.read_text("utf-8").replace(
        "        p = self.params\n        self.x = x\n",
        "        p = self.params\n        while True:\n            x = x + 0\n        self.x = x\n",
    )
    loop_line = source.splitlines().index("            x = x + 0") + 1
    started = time.monotonic()
    code, report = check_json(tmp_path, source)
    assert time.monotonic() - started < HANG  # stopped by the time limit, not left to hang
    assert code == 1 and not report["passed"]
    assert "time limit of 5 s" in report["error"] and f"line {loop_line}" in report["error"]
    assert all(not c["passed"] for c in report["checks"])


def test_a_syntax_error_shows_its_line(tmp_path: Path) -> None:
    source = "import numpy as np\n\nclass ThreeLayerNetwork:\n    def forward(self x):\n"
    code, report = check_json(tmp_path, source)
    assert code == 1
    assert report["error"].startswith("Syntax error at line 4")
    assert "def forward(self x):" in report["error"]


def test_an_exception_shows_the_learners_line_and_message_only(tmp_path: Path) -> None:
    source = SOLUTION.read_text("utf-8").replace("dz3 @ self.a2.T", "dz3 @ self.a2")
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "dz3 @ self.a2," in text)
    code, report = check_json(tmp_path, source)
    assert code == 1
    error = report["error"]
    assert error.startswith(f"ValueError at line {line} while running backward")
    assert '"W3": dz3 @ self.a2,' in error and "matmul" in error
    assert "tutor" not in error.replace("backprop-tutor", "") and "Traceback" not in error
    assert by_name(report)["forward: y"]["passed"]  # what ran before the error is still judged


def test_a_missing_method_is_named(tmp_path: Path) -> None:
    source = SOLUTION.read_text("utf-8").split("    def update_weights")[0]
    code, report = check_json(tmp_path, source)
    assert code == 1
    assert report["error"] == "Class `ThreeLayerNetwork` has no method `update_weights`."


def test_a_missing_function_is_named(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, "def sigmoid(z):\n    return z\n", "sigmoid")
    assert code == 1 and report["error"] == "Your file defines no function `sigmoid_prime`."


def test_unusable_checks_exit_2(tmp_path: Path) -> None:
    unknown = run_cli("exercise", "check", "no-such-thing", "--json")
    assert unknown.returncode == 2 and "no exercise 'no-such-thing'" in unknown.stderr
    assert json.loads(unknown.stdout)["error"].startswith("no exercise")
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\x00\x01")
    result = run_cli("exercise", "check", "three-layer", "--file", str(binary))
    assert result.returncode == 2 and "binary file" in result.stderr
    missing = run_cli("exercise", "check", "three-layer")
    assert missing.returncode == 2 and "exercise start three-layer" in missing.stderr


def test_start_copies_once_and_check_marks_solved(tmp_path: Path, private_home: Path) -> None:
    first = run_cli("exercise", "start", "sigmoid")
    copy = Path(first.stdout.strip())
    assert (
        first.returncode == 0
        and copy == private_home / "exercises" / "bundled" / "sigmoid" / "sigmoid.py"
    )
    starter = (LESSONS / "exercises" / "sigmoid" / "starter.py").read_text("utf-8")
    assert copy.read_text("utf-8") == starter
    copy.write_text("# my work\n", "utf-8")
    again = run_cli("exercise", "start", "sigmoid")
    assert again.returncode == 0 and "kept" in again.stderr
    assert copy.read_text("utf-8") == "# my work\n"

    def status() -> str:
        rows = json.loads(run_cli("exercise", "list", "--json").stdout)
        row = next(r for r in rows if r["id"] == "sigmoid")
        assert row["lesson"] == "backprop" and row["path"] == str(copy)
        return row["status"]

    assert status() == "started"
    solution = LESSONS / "exercises" / "sigmoid" / "solution.py"
    assert run_cli("exercise", "check", "sigmoid", "--file", str(solution)).returncode == 0
    assert status() == "started"  # another file passing does not solve the learner's
    copy.write_text(solution.read_text("utf-8"), "utf-8")
    checked = run_cli("exercise", "check", "sigmoid")
    assert checked.returncode == 0 and "All 3 checks pass." in checked.stdout
    assert status() == "solved"


def test_start_into_another_directory_is_where_check_looks(tmp_path: Path) -> None:
    result = run_cli("exercise", "start", "walkthrough", "--dir", str(tmp_path / "mine"))
    assert (
        Path(result.stdout.strip())
        == tmp_path / "mine" / "bundled" / "walkthrough" / "walkthrough.py"
    )
    check = run_cli("exercise", "check", "walkthrough")
    assert (
        check.returncode == 1
        and str(tmp_path / "mine" / "bundled" / "walkthrough" / "walkthrough.py") in check.stdout
    )
    assert "Not written yet" in check.stdout


def test_list_is_in_lesson_order() -> None:
    rows = json.loads(run_cli("exercise", "list", "--json").stdout)
    assert [r["id"] for r in rows] == [
        "sigmoid",
        "dense-layer",
        "walkthrough",
        "three-layer",
        "gradcheck",
        "softmax-cross-entropy",
        "two-heads",
        "deep-network",
    ]
    assert all(set(r) >= {"id", "title", "lesson", "status", "path"} for r in rows)


CHECK_SIGMOID = [sys.executable, "-m", "tutor", "exercise", "check", "sigmoid"]
WITH_CTRL_C = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def with_ctrl_c(argv: list[str]) -> list[str]:
    """``argv`` run with Ctrl-C's signal at its default, as a program started from a terminal
    has it.  A test run started in the background inherits SIGINT ignored, and a Python started
    so never turns it into KeyboardInterrupt: Ctrl-C sent to it would do nothing."""
    return [sys.executable, "-c", WITH_CTRL_C, *argv]


def test_watch_checks_again_after_each_save(tmp_path: Path) -> None:
    file = tmp_path / "mine.py"
    file.write_text("def sigmoid(z):\n    return z\n", "utf-8")
    process = subprocess.Popen(
        with_ctrl_c([*CHECK_SIGMOID, "--file", str(file), "--watch", "--json"]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())
        assert first["error"] == "Your file defines no function `sigmoid_prime`."
        time.sleep(0.5)  # the watcher is running once the first check is printed; let it settle
        solution = LESSONS / "exercises" / "sigmoid" / "solution.py"
        file.write_text(solution.read_text("utf-8"), "utf-8")
        second = json.loads(process.stdout.readline())
        assert second["passed"] is True and second["error"] is None
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=HANG)  # a bound on a hang: a loaded machine is slow
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert code == 0, (code, process.stdout.read(), process.stderr.read())  # the last passed


def by_name(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["checks"]}


def test_the_readme_names_every_key_of_check_json(tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"`--json` prints\s+`(\{.*?\})`", readme, re.S)
    assert documented is not None
    top, checks = documented.group(1).split('"checks": [')
    _, report = check_json(tmp_path, "def sigmoid(z):\n    return z\n", "sigmoid")
    assert set(re.findall(r'"(\w+)"', top)) | {"checks"} == set(report)
    assert set(re.findall(r'"(\w+)"', checks)) == set(report["checks"][0])


UNWRITTEN = sorted(
    starter.parent.name
    for starter in (LESSONS / "exercises").glob("*/starter.py")
    if "raise NotImplementedError" in starter.read_text("utf-8")
)


@pytest.mark.parametrize("exercise", UNWRITTEN)
def test_a_starter_still_unwritten_passes_no_check(tmp_path: Path, exercise: str) -> None:
    """Code that only raises NotImplementedError is credited with nothing ("unchanged" neither)."""
    starter = LESSONS / "exercises" / exercise / "starter.py"
    code, report = check_json(tmp_path, starter.read_text("utf-8"), exercise)
    assert code == 1 and not report["started"]
    assert [c["name"] for c in report["checks"] if c["passed"]] == []
