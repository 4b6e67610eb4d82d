"""Hostile learner files: each changes no verdict, crashes nothing and leaves no process.

Every test runs twice: under bubblewrap and in the plain child (forced with
``BACKPROP_TUTOR_SANDBOX=process``).  Without bwrap the bubblewrap runs skip on a
developer's machine and fail under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import run_cli, sig
from tutor.exercises import sandbox
from tutor.exercises.catalog import load_exercise
from tutor.exercises.check import check_file
from tutor.exercises.model import Exercise, Report
from tutor.exercises.protocol import encode
from tutor.exercises.report_text import report_text
from tutor.exercises.runner import PROCESS_LIMIT, run_steps
from tutor.exercises.sandbox import ENV, IsolationUnavailable, choose
from tutor.store.locations import bundled_lessons_dir
from tutor.store.served import SERVED_ENV

SIGMOID = bundled_lessons_dir() / "exercises" / "sigmoid"
RIGHT = (SIGMOID / "solution.py").read_text("utf-8")
WRONG = RIGHT.replace("np.exp(-z)", "np.exp(z)")  # σ(−z): a wrong answer the checker names
REPO = Path(__file__).parents[2]


@pytest.fixture(params=["bwrap", "process"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test under bubblewrap, then in the plain child."""
    if request.param == "bwrap" and shutil.which("bwrap") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap (bwrap) is missing: CI must run the sandbox tests with it")
        pytest.skip("bubblewrap is not installed (sudo apt install bubblewrap)")
    monkeypatch.setenv(ENV, request.param)
    return request.param


def exercise() -> Exercise:
    found = load_exercise(SIGMOID, bundled=True).exercise
    assert found is not None
    return found


def check(tmp_path: Path, source: str) -> Report:
    file = tmp_path / "sigmoid.py"
    file.write_text(source, "utf-8")
    return check_file(exercise(), file)


def processes_named(token: str) -> list[int]:
    """Live processes whose command line starts with ``token`` (zombies are gone already)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
            state = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if cmdline.startswith(token.encode()) and state != "Z":
            found.append(int(name))
    return found


def no_process_left(token: str) -> bool:
    """Whether every process called ``token`` is gone (killing takes a moment to finish)."""
    for _ in range(50):
        if not processes_named(token):
            return True
        time.sleep(0.1)
    return False


def forking(body: str, token: str, count: int = 200) -> str:
    """A file that starts ``count`` children that sleep as ``token``, then defines ``body``."""
    return (
        "import os\n"
        f"for _ in range({count}):\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        f"            os.execv('/usr/bin/sleep', [{token!r}, '300'])\n"
        "    except OSError:\n"
        "        break\n" + body
    )


def test_the_plain_files_verdicts(mode: str, tmp_path: Path) -> None:
    assert check(tmp_path, RIGHT).passed
    wrong = check(tmp_path, WRONG)
    assert not wrong.passed and "σ(−z)" in (wrong.checks[0].diagnosis or "")


def test_importing_the_engine_is_refused_before_anything_runs(mode: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    source = (
        f"open({str(marker)!r}, 'w').close()\n"
        "from tutor.engine.functions import ACTIVATIONS\n"
        "sigmoid = lambda z: ACTIVATIONS['sigmoid'].forward(z)\n"
        "sigmoid_prime = lambda z: ACTIVATIONS['sigmoid'].derivative(z, sigmoid(z))\n"
    )
    report = check(tmp_path, source)
    assert not report.passed and report.error_line == 2
    assert report.error == (
        "Line 2: your file imports tutor: the tutor's own engine computes the answers, "
        "so a check cannot use it."
    )
    assert not marker.exists()  # refused by name: nothing ran


@pytest.mark.parametrize("package", ["torch", "jax", "autograd.numpy", "tensorflow"])
def test_autograd_libraries_are_refused_by_name(tmp_path: Path, package: str) -> None:
    bom = "\ufeff" if package == "jax" else ""  # a file saved with a byte-order mark too
    report = check(tmp_path, f"{bom}import numpy as np\nimport {package} as lib\n" + RIGHT)
    top = package.partition(".")[0]
    assert not report.passed
    assert report.error.startswith(f"Line 2: your file imports {top}: it computes gradients")


def test_an_engine_import_hidden_from_the_static_check_fails_when_it_runs(
    mode: str, tmp_path: Path
) -> None:
    source = (
        "import importlib, sys\n"
        f"sys.path[:0] = [{str(REPO)!r}]\n"
        "name = 'tu' + 'tor.engine.functions'\n"
        "if sys.meta_path and type(sys.meta_path[0]).__name__ == 'Refuse':\n"
        "    sys.meta_path.pop(0)  # the harness's hook, gone: only the sandbox is left\n"
        "engine = importlib.import_module(name)\n"
        "sigmoid = lambda z: engine.ACTIVATIONS['sigmoid'].forward(z)\n"
        "sigmoid_prime = lambda z: engine.ACTIVATIONS['sigmoid'].derivative(z, sigmoid(z))\n"
    )
    if mode == "process":
        pytest.skip("the plain child can reach the tutor's files; only bubblewrap hides them")
    report = check(tmp_path, source)
    assert not report.passed
    assert report.error.startswith(
        "ModuleNotFoundError at line 6 while loading your file: No module named 'tutor'"
    )


def test_many_forked_children_change_no_verdict_and_none_is_left(mode: str, tmp_path: Path) -> None:
    right_token, wrong_token = f"right-{uuid.uuid4().hex}", f"wrong-{uuid.uuid4().hex}"
    assert check(tmp_path, forking(RIGHT, right_token)).passed
    wrong = check(tmp_path, forking(WRONG, wrong_token))
    assert not wrong.passed and "σ(−z)" in (wrong.checks[0].diagnosis or "")
    assert no_process_left(right_token) and no_process_left(wrong_token)


def test_the_number_of_processes_is_limited(mode: str, tmp_path: Path) -> None:
    if mode == "process" and os.geteuid() == 0 and not choose().drops_root:
        pytest.skip("root is held to no process limit, and this Python is not open to other users")
    token = f"bomb-{uuid.uuid4().hex}"
    source = (
        "import os\nimport numpy as np\n"
        "def f(z):\n"
        "    made = 0\n"
        "    for _ in range(1000):\n"
        "        try:\n"
        "            if os.fork() == 0:\n"
        f"                os.execv('/usr/bin/sleep', [{token!r}, '300'])\n"
        "        except OSError:\n"
        "            break\n"
        "        made += 1\n"
        "    return np.array([made])\n"
    )
    file = tmp_path / "bomb.py"
    file.write_text(source, "utf-8")
    step = {"do": "call", "target": "f", "args": [encode(np.zeros(1))], "report": "r", "what": ""}
    run = run_steps(file, [step], {"functions": ["f"]})
    assert run.failure is None
    assert run.results["r"].array[0] <= PROCESS_LIMIT  # its own user: nothing else counts
    assert no_process_left(token)


def test_one_checks_processes_do_not_stop_another_check(mode: str, tmp_path: Path) -> None:
    """Two learners' checks at once (a class): one forks to its limit and waits; the other,
    started meanwhile, still passes and may start processes of its own."""
    if mode == "process" and os.geteuid() == 0 and not choose().drops_root:
        pytest.skip("root is held to no process limit, and this Python is not open to other users")
    hog_token, other_token = f"hog-{uuid.uuid4().hex}", f"other-{uuid.uuid4().hex}"
    (tmp_path / "hog").mkdir()
    (tmp_path / "other").mkdir()
    hogging = forking("import time\ntime.sleep(8)\n" + RIGHT, hog_token)
    with ThreadPoolExecutor(1) as pool:
        hog = pool.submit(check, tmp_path / "hog", hogging)
        deadline = time.monotonic() + 60
        while len(processes_named(hog_token)) < PROCESS_LIMIT - 8 and not hog.done():
            assert time.monotonic() < deadline, "the forking check never reached its limit"
            time.sleep(0.05)
        assert not hog.done(), "the forking check ended before the other one started"
        other = check(tmp_path / "other", forking(RIGHT, other_token, count=3))
        assert len(processes_named(hog_token)) >= PROCESS_LIMIT - 8  # still there meanwhile
        assert other.passed, report_text(other)
        assert hog.result().passed
    assert no_process_left(hog_token) and no_process_left(other_token)


def test_killing_its_parent_changes_no_verdict_and_the_tutor_lives_on(
    mode: str, tmp_path: Path
) -> None:
    kill = (
        "import os, signal\n"
        "try:\n"
        "    os.kill(os.getppid(), signal.SIGKILL)\n"
        "except OSError:\n"
        "    pass  # as root the child runs as a user of its own\n"
    )
    assert check(tmp_path, kill + RIGHT).passed
    assert not check(tmp_path, kill + WRONG).passed


def channel_writer(body: str, written: str) -> str:
    """A file that writes ``written`` (a Python expression of bytes) to the check's channel."""
    return f"import os, sys\nfd = int(sys.argv[-1])\nos.write(fd, {written})\n" + body


def test_a_flood_of_brackets_on_the_channel_crashes_nothing(mode: str, tmp_path: Path) -> None:
    for body, passes in ((RIGHT, True), (WRONG, False)):
        report = check(tmp_path, channel_writer(body, "b'[' * 200_000 + b'\\n'"))
        assert report.passed is passes
    unended = check(tmp_path, channel_writer(RIGHT, "b'[' * 200_000"))  # no newline at all
    assert unended.passed


@pytest.mark.long  # the wrong file then holds the check to its time limit
def test_forged_results_on_the_channel_do_not_pass_a_wrong_file(mode: str, tmp_path: Path) -> None:
    zs = [np.array(case) for case in _cases()]
    right = [np.vectorize(sig)(z) for z in zs] + [
        np.vectorize(lambda v: sig(v) * (1 - sig(v)))(z) for z in zs
    ]
    names = [f"s/{i}" for i in range(3)] + [f"ds/{i}" for i in range(3)]
    forged = [{"event": "loaded", "n": 0}]
    for i, (name, value) in enumerate(zip(names, right, strict=True)):
        forged += [{"event": "start", "step": i, "n": 1 + 2 * i}]
        forged += [
            {"event": "report", "step": i, "name": name, "value": encode(value), "n": 2 + 2 * i}
        ]
    forged += [{"event": "done", "n": 13}]
    text = "".join("\n" + json.dumps(event) + "\n" for event in forged).encode()
    report = check(tmp_path, channel_writer(WRONG, repr(text)))
    assert not report.passed
    assert "check channel" in (report.error or "")


def _cases() -> list[list[list[float]]]:
    """The sigmoid checker's cases, as the tutor draws them (seed 0), read from a run."""
    from tutor.exercises.checkers.sigmoid import arrays

    return [z.tolist() for z in arrays(np.random.default_rng(0))]


def test_exercise_check_survives_a_flooded_channel(mode: str, tmp_path: Path) -> None:
    file = tmp_path / "mine.py"
    file.write_text(channel_writer(WRONG, "b'[' * 200_000 + b'\\n'"), "utf-8")
    result = run_cli("exercise", "check", "sigmoid", "--file", str(file), "--json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["passed"] is False


def test_served_mode_refuses_the_plain_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(IsolationUnavailable, match="sudo apt install bubblewrap"):
        choose(require_isolation=True)
    assert not choose().isolated
    monkeypatch.setenv(SERVED_ENV, "1")  # a tutor the class server started for a learner
    monkeypatch.setenv(ENV, "process")
    with pytest.raises(IsolationUnavailable):
        choose()
    with pytest.raises(IsolationUnavailable):
        check_file(exercise(), SIGMOID / "solution.py")


THREE_LAYER = bundled_lessons_dir() / "exercises" / "three-layer"
LATER_GRADIENTS = """
    def backward(self, y, t):
        import gc, json, sys
        import numpy as np
        steps = json.load(open(sys.argv[1]))["steps"]
        mine = next(i for i, s in enumerate(steps) if s["target"] == self.name + ".backward")
        later = next(
            i for i, s in enumerate(steps) if s["target"] == self.name + ".update_weights"
        )
        if ASK:  # ask the tutor for the later step's arguments, as the harness would
            channel = next(o for o in gc.get_objects() if type(o).__name__ == "Channel")
            channel.emit(event="args", step=later)
            sent = json.loads(sys.stdin.buffer.readline()).get("args", [None])[0]
        else:  # read them from the request
            sent = steps[later]["args"][0]
        grads = sent["dict"]
        return {
            k: np.array(v["array"]["data"]).reshape(v["array"]["shape"]) for k, v in grads.items()
        }
"""


def stealing(ask: bool) -> str:
    """The three-layer solution whose backward returns the right gradients a later step gets."""
    source = (
        (THREE_LAYER / "solution.py")
        .read_text("utf-8")
        .replace(
            "    def __init__(self, params):\n",
            "    def __init__(self, params):\n        self.name = next(NAMES)\n",
        )
    )
    start, end = source.index("    def backward"), source.index("    def update_weights")
    backward = LATER_GRADIENTS.lstrip("\n") + "\n"
    head = f"import itertools\nNAMES = (f'net{{i}}' for i in itertools.count())\nASK = {ask}\n"
    return head + source[:start] + backward + source[end:]


@pytest.mark.parametrize("ask", [False, True], ids=["read the request", "ask the tutor"])
def test_no_step_sees_the_arguments_of_a_later_step(mode: str, tmp_path: Path, ask: bool) -> None:
    found = load_exercise(THREE_LAYER, bundled=True).exercise
    solution = tmp_path / "three_layer.py"
    solution.write_text((THREE_LAYER / "solution.py").read_text("utf-8"), "utf-8")
    assert check_file(found, solution).passed
    file = tmp_path / "stealing.py"
    file.write_text(stealing(ask), "utf-8")
    report = check_file(found, file)
    assert next(c for c in report.checks if c.name == "forward: y").passed, report  # it ran
    backward = [c for c in report.checks if "backward" in c.name]
    assert backward and not any(c.passed for c in backward), report
    assert not report.passed


def test_without_bubblewrap_the_learner_is_told_once_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap to be found
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(sandbox, "_noticed", False)
    first, second = check(tmp_path, RIGHT), check(tmp_path, RIGHT)
    assert first.passed and second.passed  # the plain child, with the same limits
    assert first.notice.startswith("Note: bubblewrap (bwrap) is not installed; install it")
    assert "`sudo apt install bubblewrap`" in first.notice and second.notice == ""
    assert first.notice in report_text(first)
