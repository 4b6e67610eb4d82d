"""Exercise folders: reading exercise.toml, the bundled ones, the workspace copy.

Checking the reference solutions and starters (a sandboxed run each) is in
``tests/e2e/test_exercise_references.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

from tutor.exercises.catalog import find_exercise, find_exercises, load_exercise
from tutor.exercises.workspace import reset, start
from tutor.store.locations import bundled_lessons_dir

BUNDLED = bundled_lessons_dir()
IDS = [
    "deep-network",
    "dense-layer",
    "gradcheck",
    "sigmoid",
    "softmax-cross-entropy",
    "three-layer",
    "two-heads",
    "walkthrough",
]


def make(
    tmp_path: Path,
    toml: str,
    name: str = "mine",
    files: tuple[str, ...] = ("starter.py", "solution.py"),
) -> Path:
    folder = tmp_path / "exercises" / name
    folder.mkdir(parents=True)
    (folder / "exercise.toml").write_text(toml, "utf-8")
    for file in files:
        (folder / file).write_text("", "utf-8")
    return folder


def test_the_bundled_exercises_load_and_are_marked_bundled() -> None:
    entries = find_exercises([BUNDLED], BUNDLED)
    assert [e.id for e in entries] == IDS
    assert all(e.exercise is not None and e.exercise.bundled and not e.problems for e in entries)
    assert all(len(e.exercise.hints) >= 2 for e in entries)


def test_every_key_problem_is_reported_at_its_line(tmp_path: Path) -> None:
    toml = (
        'title = "T"\nchecker = "sigmod"\ntask = "x"\nhint = ["h"]\n'
        'time_limit = 100\nfile = "a b.py"\n'
    )
    entry = load_exercise(make(tmp_path, toml, files=("starter.py",)))
    assert entry.exercise is None
    found = [(Path(p.path).name, p.line, p.message) for p in entry.problems]
    assert ("exercise.toml", 4, "unknown key `hint`; did you mean `hints`?") in found
    assert any(
        line == 2 and "`checker` must be one of" in m and '"sigmod"' in m for _, line, m in found
    )
    assert any(line == 0 and "missing `hints`" in m for _, line, m in found)  # the whole file
    assert any(line == 5 and "from 1 to 30" in m for _, line, m in found)
    assert any(line == 6 and "Python file name" in m for _, line, m in found)
    assert ("solution.py", 0, "missing: every exercise has a solution.py") in found


def test_a_toml_syntax_error_and_a_bad_folder_name(tmp_path: Path) -> None:
    entry = load_exercise(make(tmp_path, 'title = "T\n', name="Bad_Name"))
    messages = [str(p) for p in entry.problems]
    assert any("the folder's name is the exercise id" in m for m in messages)
    assert any("exercise.toml:1: TOML syntax error" in m for m in messages)


def test_an_id_found_twice_is_reported_for_the_later_folder(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED / "exercises" / "sigmoid", tmp_path / "exercises" / "sigmoid")
    entries = find_exercises([BUNDLED, tmp_path], BUNDLED)
    later = [e for e in entries if e.id == "sigmoid"][1]
    assert later.exercise is None and "already used by" in str(later.problems[-1])
    assert not find_exercise("sigmoid", [tmp_path], BUNDLED).exercise.bundled


def test_start_never_overwrites_and_reset_keeps_a_copy(tmp_path: Path) -> None:
    exercise = find_exercise("sigmoid", [BUNDLED], BUNDLED).exercise
    path, made = start(exercise, tmp_path)
    assert made and path == tmp_path / "bundled" / "sigmoid" / "sigmoid.py"
    assert path.read_bytes() == exercise.starter.read_bytes()
    path.write_text("mine", "utf-8")
    assert start(exercise, tmp_path) == (path, False) and path.read_text("utf-8") == "mine"
    kept = reset(exercise, path)
    assert kept is not None and kept.read_text("utf-8") == "mine"
    assert path.read_bytes() == exercise.starter.read_bytes()
