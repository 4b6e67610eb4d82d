"""No byte of a control sequence from a name or a string reaches the output (issue 23).

Hypothesis draws file names, folder names, lesson strings (written raw, or as TOML
escapes such as ``\\u001b`` that the parser turns into the character) and
progress values from an alphabet of what a terminal obeys or hides: ESC, BEL, CSI,
DEL, CR, right-to-left overrides, zero-width characters, line separators, and bytes
that are not UTF-8.  They go through ``list``, ``validate``, ``exercise list`` and
``lesson --plain`` (the command line in this process, so each example costs
milliseconds), and every character written to stdout and stderr is checked against
the Unicode database: none may be a control (Cc, bar newline and tab), a format
character (Cf), a line or paragraph separator or a lone surrogate.  The home screen
gets the same names in ``tests/ui/test_hostile_names_ui.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.cli import main
from tutor.commands import exercise as exercise_command
from tutor.store import locations
from tutor.store.locations import bundled_lessons_dir

HOSTILE = [
    "\x1b", "\x07", "\x9b", "\x9d", "\x7f", "\x00", "\r", "\n", "\t", "\x08", "\x0c",
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200d", "\u200f", "\ufeff",
    "\u2028", "\u2029", "\u061c", "\U000e0041",
]  # fmt: skip
SEQUENCES = ["\x1b]0;PWNED\x07", "\x1b]52;c;SGVsbG8=\x07", "\x1b[2J", "\x1b[31m", "\x9b1m"]
PLAIN = list("aZ9 -_.é∂σ日[]")
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs"}
SIGMOID = bundled_lessons_dir() / "exercises" / "sigmoid"

fragments = st.sampled_from(HOSTILE + SEQUENCES + PLAIN)
hostile_text = st.lists(fragments, min_size=1, max_size=6).map("".join)
name_text = hostile_text.map(lambda s: s.replace("\x00", "").replace("/", "")).filter(bool)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def leaks(text: str) -> list[str]:
    """Every character of ``text`` a terminal would obey or hide (newline and tab are fine)."""
    return [
        f"U+{ord(c):04X}" for c in text if c not in "\n\t" and unicodedata.category(c) in HIDDEN
    ]


def toml_escaped(text: str) -> str:
    """``text`` as a TOML basic string, every character past ASCII letters as an escape."""
    escaped = (c if c.isalnum() and c.isascii() else f"\\U{ord(c):08X}" for c in text)
    return '"' + "".join(escaped) + '"'


def run(*args: str, stdin: str = "") -> tuple[int, str]:
    """``backprop-tutor ARGS`` in this process: its exit status and all it wrote."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.sys.stdin  # type: ignore[attr-defined]
    os.sys.stdin = io.StringIO(stdin)  # type: ignore[attr-defined]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(args))
    finally:
        os.sys.stdin = saved  # type: ignore[attr-defined]
    return status, out.getvalue() + err.getvalue()


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    """A fresh folder of lessons and a fresh data directory (hypothesis runs many examples)."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        (root / "lessons").mkdir()
        (root / "home").mkdir()
        (root / "bundled").mkdir()
        old = os.environ.get("BACKPROP_TUTOR_HOME")
        os.environ["BACKPROP_TUTOR_HOME"] = str(root / "home")
        with contextlib.ExitStack() as patches:  # the bundled lessons are not under test here
            for module in (locations, exercise_command):
                patches.enter_context(
                    _patched(module, "bundled_lessons_dir", lambda: root / "bundled")
                )
            try:
                yield root
            finally:
                if old is None:
                    os.environ.pop("BACKPROP_TUTOR_HOME", None)
                else:
                    os.environ["BACKPROP_TUTOR_HOME"] = old


@contextlib.contextmanager
def _patched(module: object, name: str, value: object) -> Iterator[None]:
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


def lesson_text(title: str, raw: str, lesson_id: str = "hostile") -> str:
    """A lesson whose title is ``title`` (TOML-escaped) and whose prose holds ``raw``.

    Characters the reader refuses in a file (C0, DEL, C1) are left out of the raw text:
    they make the file unreadable, which other tests cover.
    """
    allowed = "".join(c for c in raw if c in "\r\t\n" or unicodedata.category(c) != "Cc")
    return (
        f'+++\nid = "{lesson_id}"\ntitle = {toml_escaped("T" + title)}\n'
        f"summary = {toml_escaped('S' + title)}\n+++\n\n"
        f"## Step {allowed.replace(chr(10), ' ')}\n\nProse {allowed} here.\n\n"
        f'```quiz\nid = "q"\nquestion = {toml_escaped("Q" + title)}\n'
        f'answer = "grad W1 of tiny"\nhints = [{toml_escaped("H" + title)}]\n```\n'
    )


@SETTINGS
@given(name=name_text, title=hostile_text, raw=hostile_text)
def test_list_and_validate_show_names_and_strings_visibly(name: str, title: str, raw: str) -> None:
    with workspace() as root:
        lessons = root / "lessons"
        try:
            (lessons / f"{name}.md").write_text(lesson_text(title, raw), encoding="utf-8")
        except (OSError, ValueError):  # a name this file system refuses
            return
        (lessons / os.fsdecode(os.fsencode(name) + b"\xff.md")).write_text("not a lesson")
        os.symlink(f"{name}-nowhere", lessons / f"{name}-dangling.md")
        for args in (["--lessons", str(lessons), "list"], ["validate", str(lessons)]):
            _, output = run(*args)
            assert leaks(output) == [], args
        status, output = run("--lessons", str(lessons), "list", "--json")
        assert status == 0 and leaks(output) == []
        json.loads(output)  # still valid JSON


@SETTINGS
@given(name=name_text, value=hostile_text)
def test_exercise_list_shows_folder_names_and_progress_values_visibly(
    name: str, value: str
) -> None:
    with workspace() as root:
        exercises = root / "lessons" / "exercises"
        exercises.mkdir()
        try:
            shutil.copytree(SIGMOID, exercises / name)
        except (OSError, ValueError):
            return
        progress = {
            "version": 2,
            "lessons": {value: {"step": value}},
            "exercises": {"sigmoid": {"path": value, "solved": False, "trusted": value}},
        }
        (root / "home" / "progress.json").write_text(json.dumps(progress), encoding="utf-8")
        status, output = run("--lessons", str(root / "lessons"), "exercise", "list")
        assert status == 0 and leaks(output) == []


@SETTINGS
@given(title=hostile_text, raw=hostile_text, answer=hostile_text)
def test_lesson_plain_shows_lesson_strings_and_answers_visibly(
    title: str, raw: str, answer: str
) -> None:
    with workspace() as root:
        lessons = root / "lessons"
        title = "".join(c for c in title if c in "\r\t\n" or unicodedata.category(c) != "Cc")
        text = lesson_text(title, raw).replace(
            "```quiz", '```network\nid = "tiny"\ninput = [[1.0]]\ntarget = [[1.0]]\n'
            'loss = "half_squared_error"\n[[layers]]\nW = [[0.5]]\nactivation = "sigmoid"\n'
            "```\n\n```quiz",
        )  # fmt: skip
        (lessons / "hostile.md").write_text(text, encoding="utf-8")
        progress = {"version": 2, "lessons": {"hostile": {"step": 0, "revealed": {title: raw}}}}
        (root / "home" / "progress.json").write_text(json.dumps(progress), encoding="utf-8")
        status, output = run(
            "--lessons", str(lessons), "lesson", "hostile", "--plain", stdin=f"{answer}\nquit\n"
        )
        assert status == 0, output
        assert "Step 1 of 1" in output and leaks(output) == []


def test_a_name_with_an_osc_sequence_is_shown_spelled_out() -> None:
    """The example the issue names: a file named with the title sequence, shown spelled."""
    with workspace() as root:
        lessons = root / "lessons"
        name = "a\x1b]0;PWNED\x07"
        (lessons / f"{name}.md").write_text(lesson_text("T\x1b]0;X\x07", "\r\u202e"))
        _, listed = run("--lessons", str(lessons), "list")
        assert "a\\u001b]0;PWNED\\u0007.md" in listed
        assert "\x1b" not in listed and "\x07" not in listed
