"""Hostile files through the real command line (issue 14): exit 2 and one message, in seconds.

Also: a crash exits 70 with a crash log, an unreadable progress file survives a
session, and a second tutor on one data directory saves nothing.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tutor.formats.spec import MAX_PARAMETERS

SPEC_TAIL = 'target = [[1.0]]\nloss = "half_squared_error"\n[[layers]]\nW = [[1.0]]\n'
HOSTILE_SPECS = {
    "deep nesting": "input = " + "[" * 500 + "]" * 500 + "\n" + SPEC_TAIL,
    "400-digit integer": "input = [[" + "9" * 400 + "]]\n" + SPEC_TAIL,
    "5000-digit integer": "input = [[" + "9" * 5000 + "]]\n" + SPEC_TAIL,
    "three 4096-unit layers": (
        'input = [[1.0]]\ntarget = [[1.0]]\nloss = "squared_error"\n'
        + "[[layers]]\nunits = 4096\n" * 3
        + "[[layers]]\nunits = 1\n"
    ),
}
QUIZ_ANSWERS = "0\n" * 4


def timed(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command; it must end at once: within 20 s of processor time (not of wall time,
    which a loaded machine stretches), where a network built before it is refused takes minutes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_cli(*args, stdin=stdin, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 20, f"{args} took {cpu:.1f} s of processor time"
    return result


@pytest.mark.parametrize("command", ["solve", "train"])
@pytest.mark.parametrize("name", HOSTILE_SPECS)
def test_hostile_specs_end_at_once_with_exit_2_and_one_message(
    tmp_path: Path, command: str, name: str
) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(HOSTILE_SPECS[name])
    result = timed(command, str(spec))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"backprop-tutor {command}: {spec}:")
    assert "Traceback" not in result.stderr


def test_a_fifo_is_refused_by_every_command_that_reads_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    for command in ("solve", "train"):
        result = timed(command, str(fifo))
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"backprop-tutor {command}: {fifo}: is a FIFO (named pipe), not a TOML spec file"
        )
    result = timed("validate", str(fifo))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{fifo}:1: is a FIFO (named pipe), not a lesson file"]
    listed = timed("--lessons", str(tmp_path), "list", "--json")
    (entry,) = [e for e in json.loads(listed.stdout) if e["path"] == str(fifo)]
    assert entry["error"] == f"{fifo}:1: is a FIFO (named pipe), not a lesson file"


def test_hostile_lessons_are_listed_with_their_errors_beside_the_bundled_one(
    tmp_path: Path,
) -> None:
    head = '+++\nid = "x"\ntitle = "X"\n+++\n\n## One\n\n```network\nid = "n"\n'
    (tmp_path / "deep.md").write_text(head + "input = " + "[" * 400 + "]" * 400 + "\n```\n")
    (tmp_path / "big.md").write_text(head + "input = [[" + "9" * 900 + "]]\n```\n")
    result = timed("--lessons", str(tmp_path), "list", "--json")
    assert result.returncode == 0, result.stderr
    entries = {Path(e["path"]).name: e for e in json.loads(result.stdout)}
    assert entries["backprop.md"]["error"] is None  # the bundled lesson still opens
    assert entries["deep.md"]["error"] == (
        f"{tmp_path / 'deep.md'}:10: network block: TOML syntax error: "
        "values are nested more than 32 levels deep"
    )
    assert entries["big.md"]["error"].startswith(f"{tmp_path / 'big.md'}:10: network block: ")
    checked = timed("validate", str(tmp_path))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr


def test_solve_summarises_large_matrices_and_json_stays_complete(tmp_path: Path) -> None:
    examples = 160
    row = ", ".join(["0.5"] * examples)
    spec = tmp_path / "big.toml"
    spec.write_text(
        f"input = [[{row}]]\ntarget = [[{row}]]\nloss = 'squared_error'\n"
        "[[layers]]\nunits = 300\nactivation = 'tanh'\n"
        "[[layers]]\nunits = 300\nactivation = 'tanh'\n[[layers]]\nunits = 1\n"
    )
    text = timed("solve", str(spec))
    assert text.returncode == 0, text.stderr
    assert len(text.stdout) < 200_000 and "…" in text.stdout
    assert "dL/dW2 = [[" in text.stdout
    full = timed("solve", str(spec), "--json")
    result = json.loads(full.stdout)
    assert len(result["gradients"]["W2"]) == 300 and len(result["gradients"]["W2"][0]) == 300
    assert len(result["values"]["a1"][0]) == examples
    check = timed("solve", str(spec), "--check")
    assert check.returncode == 2
    assert "--check takes at most 1,000" in check.stderr
    assert MAX_PARAMETERS >= 300 * 300


def test_a_crash_exits_70_and_leaves_a_log_whose_path_is_printed(
    tmp_path: Path, private_home: Path
) -> None:
    code = (
        "import sys, tutor.commands.solve as solve\n"
        "def boom(args):\n"
        "    raise RuntimeError('boom [/] ' + str(args.spec))\n"
        "solve.run_solve = boom\n"
        "from tutor.cli import main\n"
        "raise SystemExit(main(['solve', 'some.toml']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "BACKPROP_TUTOR_HOME": str(private_home)},
        timeout=60,
    )
    assert result.returncode == 70
    first, second = result.stderr.splitlines()
    assert first == "backprop-tutor: internal error: RuntimeError: boom [/] some.toml"
    (log,) = private_home.glob("crash-*.log")
    assert second == f"The details are in {log}; please attach that file to a report."
    text = log.read_text()
    assert "command: backprop-tutor solve some.toml" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom" in text


def test_an_unreadable_progress_file_is_intact_after_a_session(private_home: Path) -> None:
    progress = private_home / "progress.json"
    original = json.dumps({"version": 1, "lessons": {"intro": {"step": 7}}, "families": {}})
    progress.write_text(original)
    command = [sys.executable, "-m", "tutor", "quiz", "--plain", "--count", "1", "--seed", "1"]
    if os.geteuid() == 0:  # root reads anything: a file of another user, and no override
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop the override")
        os.chown(progress, 65534, -1)
        progress.chmod(0o600)
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
        hint = f"make it yours with: sudo chown -R $USER {progress}"
    else:
        progress.chmod(0o000)
        hint = f"Give yourself access with: chmod -R u+rwX {progress}"
    result = subprocess.run(
        command,
        input=QUIZ_ANSWERS,
        capture_output=True,
        text=True,
        env={**os.environ, "BACKPROP_TUTOR_HOME": str(private_home)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(
        f"Progress will not be saved: your progress file {progress} cannot be read "
        "(Permission denied), and it is kept as it is."
    )
    assert hint in result.stderr
    progress.chmod(0o600)
    assert progress.read_text() == original


def test_a_second_tutor_on_one_data_directory_saves_nothing(private_home: Path) -> None:
    from tutor.store.progress_file import ProgressStore

    first = ProgressStore(private_home)
    first.claim()
    first.save(first.load())
    before = (private_home / "progress.json").read_bytes()
    second = timed("quiz", "--plain", "--count", "1", "--seed", "1", stdin=QUIZ_ANSWERS)
    assert second.returncode == 0
    assert f"another backprop-tutor (process {os.getpid()})" in second.stderr
    assert (private_home / "progress.json").read_bytes() == before
    first.release()
    third = timed("quiz", "--plain", "--count", "1", "--seed", "1", stdin=QUIZ_ANSWERS)
    assert "will not be saved" not in third.stderr
    assert (private_home / "progress.json").read_bytes() != before  # now it saves


@pytest.mark.parametrize(
    "argv",
    [
        ("lesson", "backprop", "--plain"),
        ("exercise", "start", "sigmoid"),
    ],
)
def test_every_command_that_saves_respects_another_tutors_lock(
    private_home: Path, argv: tuple[str, ...]
) -> None:
    """lesson --plain and exercise save progress too: while a tutor holds the lock, nothing."""
    from tutor.store.progress_file import ProgressStore

    first = ProgressStore(private_home)
    first.claim()
    first.save(first.load())
    before = (private_home / "progress.json").read_bytes()
    second = timed(*argv, stdin="quit\n")
    assert second.returncode == 0, second.stderr
    assert f"another backprop-tutor (process {os.getpid()})" in second.stderr
    assert (private_home / "progress.json").read_bytes() == before
    first.release()
