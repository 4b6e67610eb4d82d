"""The child process: the learner's code runs there only, within limits, reported in its terms."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from tests.helpers import HANG
from tutor.exercises.protocol import encode
from tutor.exercises.runner import WAIT_FACTOR, run_steps

CALL = [
    {
        "do": "call",
        "target": "f",
        "args": [encode(np.array([[1.0, 2.0]]))],
        "report": "r",
        "what": "f(z)",
    }
]
NEEDS_F = {"functions": ["f"]}


def run(tmp_path: Path, source: str, **limits: float) -> object:
    """Run ``source`` in the child; the time limit is a generous bound on a hang unless a test
    sets it (the tutor's 5 s is too short for a loaded machine)."""
    file = tmp_path / "learner.py"
    file.write_text(source, "utf-8")
    return run_steps(file, CALL, NEEDS_F, **{"time_limit": HANG, **limits})


def test_results_printed_output_and_warnings_come_back(tmp_path: Path) -> None:
    source = "import numpy as np\ndef f(z):\n    print('hello')\n    return np.log(z - 1.0)\n"
    result = run(tmp_path, source)
    assert result.failure is None
    assert np.array_equal(result.results["r"].array, [[-np.inf, 0.0]])
    assert result.output == "hello\n"
    assert result.warnings == ("line 4: RuntimeWarning: divide by zero encountered in log",)
    assert "learner" not in sys.modules  # never imported here


def test_an_endless_loop_is_stopped_at_the_time_limit_with_its_line(tmp_path: Path) -> None:
    result = run(tmp_path, "def f(z):\n    n = 0\n    while True:\n        n += 1\n", time_limit=1)
    assert result.failure.kind == "timeout" and result.failure.line in (3, 4)
    assert "time limit of 1 s of computing" in result.failure.message


def test_the_time_limit_counts_computing_not_waiting(tmp_path: Path) -> None:
    """A busy machine slows a check without stopping it: 1.5 s asleep is within a 1 s limit."""
    source = "import time\ndef f(z):\n    time.sleep(1.5)\n    return z\n"
    result = run(tmp_path, source, time_limit=1)
    assert result.failure is None
    assert result.results["r"].array.tolist() == [[1.0, 2.0]]  # z, returned as it came


def test_code_that_waits_is_stopped_after_the_wait_limit_with_its_line(tmp_path: Path) -> None:
    source = "import time\ndef f(z):\n    time.sleep(10**6)\n"
    result = run(tmp_path, source, time_limit=1)
    assert result.failure.kind == "timeout" and result.failure.line == 3
    assert f"Stopped after waiting {WAIT_FACTOR} s" in result.failure.message
    assert "input() or time.sleep()" in result.failure.message


def test_running_out_of_memory_is_reported_as_such(tmp_path: Path) -> None:
    source = "import numpy as np\ndef f(z):\n    return np.ones((50_000, 50_000))\n"
    result = run(tmp_path, source)
    assert result.failure.kind == "memory" and result.failure.line == 3
    assert "512 MB" in result.failure.message


def test_printing_without_end_is_kept_short(tmp_path: Path) -> None:
    source = (
        "def f(z):\n    for i in range(2 * 10**5):\n        print('spam spam spam')\n    return z\n"
    )
    result = run(tmp_path, source)
    assert result.failure is None and len(result.output) < 5000
    assert result.output.endswith("more characters)")


def test_exit_and_a_hard_crash_are_the_learners(tmp_path: Path) -> None:
    quit_ = run(tmp_path, "import sys\ndef f(z):\n    sys.exit(3)\n")
    assert quit_.failure.kind == "exit" and quit_.failure.line == 3
    crash = run(tmp_path, "import os\ndef f(z):\n    os._exit(7)\n")
    assert crash.failure.message == "Your code ended the check early (exit status 7) (f(z))."
    writes = "import os\ndef f(z):\n    os.write(2, b'one\\ntwo\\n')\n    os._exit(1)\n"
    said = run(tmp_path, writes)
    assert said.failure.message == (
        "Your code ended the check early (exit status 1) (f(z)). The last it wrote: two"
    )


def test_a_name_error_at_import_points_at_the_learners_line(tmp_path: Path) -> None:
    result = run(tmp_path, "import numpy as np\n\nx = undefined_name\n")
    assert result.failure.message.startswith("NameError at line 3")
    assert "x = undefined_name" in result.failure.message and not result.loaded


def test_files_the_code_writes_stay_out_of_the_tutors_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run(tmp_path, "open('stray.txt', 'w').write('x')\ndef f(z):\n    return z\n")
    assert not (tmp_path / "stray.txt").exists()


def test_a_step_that_raises_stops_only_the_steps_it_feeds(tmp_path: Path) -> None:
    file = tmp_path / "learner.py"
    file.write_text("def f(z):\n    raise ValueError('no')\ndef g(z):\n    return z * 2\n", "utf-8")
    z = encode(np.array([[1.0, 2.0]]))
    steps = [
        {"do": "call", "target": "f", "args": [z], "as": "kept", "report": "f", "what": "f"},
        {"do": "call", "target": "g", "args": [z], "report": "g", "what": "g"},
        {"do": "call", "target": "g", "args": [{"ref": "kept"}], "report": "gf", "what": "g(f)"},
    ]
    result = run_steps(file, steps, {"functions": ["f", "g"]})
    assert np.array_equal(result.results["g"].array, [[2.0, 4.0]])
    assert "f" not in result.results and "gf" not in result.results
    assert len(result.errors) == 1 and result.failure.message.startswith("ValueError at line 2")


def test_a_file_named_like_the_harness_runs_as_the_learners(tmp_path: Path) -> None:
    file = tmp_path / "harness.py"
    file.write_text("import numpy as np\ndef f(z):\n    return z * 2\n", "utf-8")
    result = run_steps(file, CALL, NEEDS_F)
    assert result.failure is None and np.array_equal(result.results["r"].array, [[2.0, 4.0]])


def test_the_channel_is_cut_into_lines_and_an_overlong_one_is_dropped(monkeypatch) -> None:
    from tutor.exercises import exchange

    monkeypatch.setattr(exchange, "MAX_LINE_BYTES", 10)
    lines = exchange._Lines()
    assert lines.feed(b"ab") == [] and lines.feed(b"c\nde\n\nf") == [b"abc", b"de", b""]
    assert lines.feed(b"ghijklmnopqrstu") == []  # past the longest line: dropped
    assert lines.feed(b"vw\nxy\n") == [b"\x00", b"xy"]
    assert lines.feed(b"g\n") == [b"g"]
