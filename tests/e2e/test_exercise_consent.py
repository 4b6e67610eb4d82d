"""No code from a lesson folder outside the tutor runs, and nothing is written, without a yes.

The checks here run in the plain child (``BACKPROP_TUTOR_SANDBOX=process``), where a
file that ran can leave a mark in a folder of the test's (:func:`marks`); under bubblewrap
it could not.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tutor.exercises.catalog import load_exercise
from tutor.lesson.model import ExerciseBlock
from tutor.lesson.parser import parse_lesson_file
from tutor.store.locations import bundled_lessons_dir
from tutor.store.progress_file import ProgressStore

BUNDLED = bundled_lessons_dir()
SIGMOID = BUNDLED / "exercises" / "sigmoid"
PLAIN = {"BACKPROP_TUTOR_SANDBOX": "process"}


def leaves_a_mark(mark: Path, code: str) -> str:
    """Python that writes ``mark`` when it runs, then ``code``."""
    return f"open({str(mark)!r}, 'w').close()\n" + code


@pytest.fixture
def marks() -> Iterator[Path]:
    """Where code that ran leaves its mark: a folder every user can write in.  A plain child
    started as root goes on as a user of its own where this Python is open to every user
    (a system Python, say), and could not reach the test's own folder."""
    folder = Path(tempfile.mkdtemp(prefix="backprop-tutor-marks-"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def outside_lessons(
    tmp_path: Path, marks: Path, exercise_id: str = "own-sigmoid", **toml: str
) -> Path:
    """A lesson folder of the learner's with one sigmoid exercise whose files leave marks."""
    lessons = tmp_path / "their-lessons"
    folder = lessons / "exercises" / exercise_id
    shutil.copytree(SIGMOID, folder)
    spec = folder / "exercise.toml"
    spec.write_text(spec.read_text("utf-8") + "".join(f'{k} = "{v}"\n' for k, v in toml.items()))
    solution = (SIGMOID / "solution.py").read_text("utf-8")
    (folder / "solution.py").write_text(leaves_a_mark(marks / "solution-ran", solution))
    (folder / "starter.py").write_text(leaves_a_mark(marks / "starter-ran", solution))
    block = f'```exercise\nid = "{exercise_id}"\n```\n'
    (lessons / "own.md").write_text(
        '+++\nid = "own"\ntitle = "Own"\n+++\n\n## Code\n\n' + block, "utf-8"
    )
    return lessons


def written(home: Path) -> list[str]:
    """What the tutor wrote in the data directory."""
    return sorted(p.name for p in home.iterdir())


def cli(lessons: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--lessons", str(lessons), *args, env=PLAIN)


def test_check_without_a_terminal_refuses_without_trust(
    tmp_path: Path, marks: Path, private_home: Path
) -> None:
    lessons = outside_lessons(tmp_path, marks)
    solution = lessons / "exercises" / "own-sigmoid" / "solution.py"
    refused = cli(lessons, "exercise", "check", "own-sigmoid", "--file", str(solution))
    assert refused.returncode == 2
    assert "outside the lessons that come with the tutor" in refused.stderr
    assert "not run: there is no terminal to ask you on; `--trust` runs it" in refused.stderr
    assert not (marks / "solution-ran").exists()
    assert written(private_home) == []  # nothing written, not even progress

    trusted = cli(lessons, "exercise", "check", "own-sigmoid", "--file", str(solution), "--trust")
    assert trusted.returncode == 0, trusted.stderr
    assert (marks / "solution-ran").exists()
    (marks / "solution-ran").unlink()
    again = cli(lessons, "exercise", "check", "own-sigmoid", "--file", str(solution))
    assert again.returncode == 0 and (marks / "solution-ran").exists()  # agreed once


def test_start_without_a_terminal_writes_nothing_without_trust(
    tmp_path: Path, marks: Path, private_home: Path
) -> None:
    lessons = outside_lessons(tmp_path, marks)
    refused = cli(lessons, "exercise", "start", "own-sigmoid")
    assert refused.returncode == 2 and "`--trust` runs it" in refused.stderr
    assert written(private_home) == []
    made = cli(lessons, "exercise", "start", "own-sigmoid", "--trust")
    assert made.returncode == 0
    assert Path(made.stdout.strip()).read_text("utf-8").startswith("open(")


def on_a_terminal(lessons: Path, answer: str, *args: str) -> tuple[int, str]:
    """Run ``exercise ARGS`` with a terminal as stdin, answering ``answer``; status and output."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tutor", "--lessons", str(lessons), "exercise", *args],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, **PLAIN},
        )
        os.write(controller, answer.encode() + b"\n")
        output, _ = process.communicate(timeout=120)
    finally:
        os.close(controller)
        os.close(terminal)
    return process.returncode, output.decode("utf-8", "replace")


@pytest.mark.parametrize(("answer", "runs"), [("n", False), ("", False), ("y", True)])
def test_check_on_a_terminal_asks_first(
    tmp_path: Path, marks: Path, answer: str, runs: bool
) -> None:
    lessons = outside_lessons(tmp_path, marks)
    solution = lessons / "exercises" / "own-sigmoid" / "solution.py"
    code, output = on_a_terminal(lessons, answer, "check", "own-sigmoid", "--file", str(solution))
    assert "Run it? [y/N]" in output
    assert (marks / "solution-ran").exists() is runs
    assert code == (0 if runs else 2), output
    if not runs:
        assert "not run: you did not agree to run it" in output


def test_an_outside_exercise_cannot_name_a_bundled_exercises_file(
    tmp_path: Path, marks: Path, private_home: Path
) -> None:
    lessons = outside_lessons(tmp_path, marks, "evil", file="sigmoid.py")
    theirs = Path(cli(lessons, "exercise", "start", "evil", "--trust").stdout.strip())
    ours = Path(cli(lessons, "exercise", "start", "sigmoid").stdout.strip())
    assert theirs != ours and theirs.name == ours.name == "sigmoid.py"
    assert ours.read_bytes() == (SIGMOID / "starter.py").read_bytes()
    checked = cli(lessons, "exercise", "check", "sigmoid")
    assert checked.returncode == 1 and "Not written yet" in checked.stdout
    assert not (marks / "starter-ran").exists()  # the bundled exercise ran its own starter
    progress = ProgressStore(private_home).load().exercises
    evil = load_exercise(lessons / "exercises" / "evil").exercise
    assert progress["sigmoid"].path == str(ours) and progress[evil.key].path == str(theirs)


def test_a_bundled_exercises_file_moves_into_its_folder(private_home: Path) -> None:
    old = private_home / "exercises" / "sigmoid.py"
    old.parent.mkdir(parents=True)
    old.write_text("# my work from an earlier version\n", "utf-8")
    store = ProgressStore(private_home)
    progress = store.load()
    progress.exercise("sigmoid").path = str(old)
    store.save(progress)
    checked = run_cli("exercise", "check", "sigmoid")
    new = private_home / "exercises" / "bundled" / "sigmoid" / "sigmoid.py"
    assert new.read_text("utf-8") == "# my work from an earlier version\n" and not old.exists()
    assert str(new) in checked.stdout and checked.returncode == 1
    assert ProgressStore(private_home).load().exercises["sigmoid"].path == str(new)


def test_validate_runs_solutions_only_when_asked(tmp_path: Path, marks: Path) -> None:
    lessons = outside_lessons(tmp_path, marks)
    solution = lessons / "exercises" / "own-sigmoid" / "solution.py"
    solution.write_text(solution.read_text("utf-8").replace("np.exp(-z)", "np.exp(z)"))
    quiet = run_cli("validate", str(lessons), env=PLAIN)
    assert quiet.returncode == 0, quiet.stdout
    assert "1 reference solution not run: --run-solutions runs them" in quiet.stderr
    assert not (marks / "solution-ran").exists()
    ran = run_cli("validate", "--run-solutions", str(lessons), env=PLAIN)
    assert ran.returncode == 1 and "the reference solution does not pass" in ran.stdout
    assert "ran 1 reference solution in the sandbox" in ran.stderr
    assert (marks / "solution-ran").exists()


def test_the_bundled_solutions_all_pass_when_run() -> None:
    result = run_cli("validate", "--run-solutions", str(BUNDLED))
    assert result.returncode == 0, result.stdout
    used = {
        block.exercise
        for path in BUNDLED.glob("*.md")
        for step in parse_lesson_file(path).lesson.steps
        for block in step.blocks
        if isinstance(block, ExerciseBlock)
    }
    assert len(used) > 1
    assert f"ran {len(used)} reference solutions in the sandbox" in result.stderr
