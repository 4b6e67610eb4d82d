"""``backprop-tutor list`` and ``validate`` through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.store.locations import LESSONS_ENV, bundled_lessons_dir

FIXTURE = Path(__file__).parents[1] / "fixtures" / "lessons" / "walkthrough.md"


def write_lesson(directory: Path, lesson_id: str, title: str, steps: int = 1) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    body = "".join(f"## Step {n}\n\nText {n}.\n\n" for n in range(1, steps + 1))
    path = directory / f"{lesson_id}.md"
    path.write_text(
        f'+++\nid = "{lesson_id}"\ntitle = "{title}"\nnumber = "9.{steps}"\n+++\n\n{body}'
    )
    return path


def listed(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    assert main([*argv, "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_list_json_with_lessons_dirs(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv(LESSONS_ENV, raising=False)
    first = write_lesson(tmp_path / "one", "extra-one", "Extra one", steps=3)
    broken = tmp_path / "two" / "broken.md"
    write_lesson(tmp_path / "two", "extra-two", "Extra two")
    broken.write_text('+++\nid = "broken"\n+++\n\n## S\n')
    entries = listed(capsys, "--lessons", str(tmp_path / "one"), "--lessons", str(tmp_path / "two"))
    by_path = {e["path"]: e for e in entries}
    assert by_path[str(first.resolve())] == {
        "id": "extra-one",
        "title": "Extra one",
        "number": "9.3",
        "steps": 3,
        "path": str(first.resolve()),
        "error": None,
    }
    assert by_path[str(broken.resolve())]["error"] == (
        f'{broken.resolve()}:1: front matter: missing `title`, e.g. title = "Backpropagation"'
    )
    assert by_path[str(broken.resolve())]["steps"] == 0
    assert {e["id"] for e in entries} >= {"extra-one", "extra-two"}
    for entry in entries:
        assert set(entry) == {"id", "title", "number", "steps", "path", "error"}
        assert isinstance(entry["steps"], int)
    bundled = {str(p.resolve()) for p in bundled_lessons_dir().glob("*.md")}
    assert bundled <= set(by_path)


def test_list_with_the_environment_variable(tmp_path: Path, capsys, monkeypatch) -> None:
    write_lesson(tmp_path / "a", "env-a", "From env A")
    write_lesson(tmp_path / "b", "env-b", "From env B")
    monkeypatch.setenv(LESSONS_ENV, f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    ids = {e["id"] for e in listed(capsys)}
    assert {"env-a", "env-b"} <= ids
    assert main(["list"]) == 0
    text = capsys.readouterr().out
    assert "env-a" in text and "From env B (1 step)" in text


def test_list_as_a_subprocess_uses_the_environment(tmp_path: Path) -> None:
    write_lesson(tmp_path, "sub-lesson", "Subprocess lesson", steps=2)
    env = {**os.environ, LESSONS_ENV: str(tmp_path), "BACKPROP_TUTOR_HOME": str(tmp_path / "h")}
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    entries = json.loads(result.stdout)
    assert {"id": "sub-lesson", "steps": 2} in [
        {"id": e["id"], "steps": e["steps"]} for e in entries
    ]


def test_validate_ok(capsys) -> None:
    assert main(["validate", str(FIXTURE)]) == 0
    assert capsys.readouterr().out == "1 lesson OK: 0 problems\n"


def test_validate_the_bundled_lessons(capsys) -> None:
    files = sorted(bundled_lessons_dir().glob("*.md"))
    assert files, "the bundled lessons are missing"
    assert main(["validate", *map(str, files)]) == 0, capsys.readouterr().out


def test_validate_prints_every_problem_and_exits_1(tmp_path: Path, capsys) -> None:
    good = write_lesson(tmp_path, "good", "Good")
    bad = tmp_path / "bad.md"
    bad.write_text('+++\nid = "bad"\ntitle = "Bad"\n+++\n\n## S\n\n```derive\nnetwork = "x"\n```\n')
    twin = tmp_path / "twin" / "good.md"
    twin.parent.mkdir()
    twin.write_text(good.read_text())
    missing = tmp_path / "missing.md"
    status = main(["validate", str(tmp_path), str(twin), str(missing)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out.splitlines() == [
        f"{missing}: no such file or directory",
        f'{bad}:9: derive block: no network "x" (networks: none in this lesson)',
        f'{twin}:2: lesson id "good" is already used by {good}',
    ]
    assert captured.err.strip() == "3 problems in 3 of 4 paths checked"


def test_validate_an_empty_directory(tmp_path: Path, capsys) -> None:
    assert main(["validate", str(tmp_path)]) == 1
    assert "no lesson files" in capsys.readouterr().err


def test_lessons_before_and_after_the_command_are_both_loaded(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.delenv(LESSONS_ENV, raising=False)
    write_lesson(tmp_path / "one", "before", "Before")
    write_lesson(tmp_path / "two", "after", "After")
    argv = ["--lessons", str(tmp_path / "one"), "list", "--json"]
    assert main([*argv, "--lessons", str(tmp_path / "two")]) == 0
    ids = {e["id"] for e in json.loads(capsys.readouterr().out)}
    assert {"before", "after"} <= ids


def test_a_missing_lessons_directory_is_listed_not_ignored(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope"
    entries = listed(capsys, "--lessons", str(missing))
    (entry,) = [e for e in entries if e["path"] == str(missing.resolve())]
    assert entry["error"] == f"{missing.resolve()}: no such lessons directory or file"


def test_a_superscript_lesson_number_is_a_problem_not_a_crash(tmp_path: Path, capsys) -> None:
    path = tmp_path / "odd.md"
    path.write_text('+++\nid = "odd"\ntitle = "Odd"\nnumber = "3.²"\n+++\n\n## S\n\nHi.\n')
    assert main(["--lessons", str(tmp_path), "list"]) == 0
    out = capsys.readouterr().out
    assert "odd.md: cannot be opened" in out and ":4: front matter: `number` must be" in out
    assert main(["validate", str(path)]) == 1
    assert f"{path}:4: front matter: `number` must be" in capsys.readouterr().out


def test_the_bundled_lessons_end_with_3_7(capsys, monkeypatch) -> None:
    monkeypatch.delenv(LESSONS_ENV, raising=False)
    entries = listed(capsys)
    assert [(e["id"], e["number"]) for e in entries] == [
        ("backprop", "3.4"),
        ("classification", "3.5"),
        ("paths", "3.6"),
        ("deep", "3.7"),
    ]
    deep = entries[-1]
    assert deep["title"] == "Deep networks from scratch" and deep["steps"] >= 15
    assert deep["error"] is None
