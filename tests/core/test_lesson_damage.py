"""Damaged lessons: truncated, lines lost or repeated, bytes flipped, garbage inserted.

Whatever the damage, validation returns problems (each with a line inside the
file) or succeeds; it never raises.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.lesson.catalog import check_lessons
from tutor.lesson.parser import parse_lesson_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lessons"
BUNDLED = Path(__file__).resolve().parents[2] / "lessons"
SOURCES = sorted(FIXTURES.glob("*.md")) + sorted(BUNDLED.glob("*.md"))
ORIGINALS = {path.name: path.read_bytes() for path in SOURCES}


def _damage(data: bytes, draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "flip", "garbage"]))
    lines = data.split(b"\n")
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind in ("delete", "duplicate"):
        start = draw(st.integers(0, len(lines) - 1))
        stop = draw(st.integers(start, min(len(lines), start + 8)))
        chunk = lines[start:stop]
        rest = lines[:start] + lines[stop:]
        return b"\n".join(rest if kind == "delete" else lines[:stop] + chunk + lines[stop:])
    if kind == "flip":
        damaged = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(damaged) - 1))
            damaged[at] ^= 1 << draw(st.integers(0, 7))
        return bytes(damaged)
    at = draw(st.integers(0, len(lines)))
    garbage = draw(
        st.one_of(
            st.binary(max_size=40),
            st.sampled_from(
                [b"```", b"```quiz", b"+++", b"## ", b"[[layers]]", b'id = "tiny"', b"\r", b"\x00"]
            ),
            st.text(max_size=40).map(str.encode),
        )
    )
    return b"\n".join([*lines[:at], garbage, *lines[at:]])


@st.composite
def damaged_lessons(draw: st.DrawFn) -> bytes:
    data = ORIGINALS[draw(st.sampled_from(sorted(ORIGINALS)))]
    for _ in range(draw(st.integers(1, 3))):
        data = _damage(data, draw) if data else data
    return data


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_the_undamaged_lessons_validate(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(ORIGINALS[name])
    source = next(p for p in SOURCES if p.name == name)
    if (source.parent / "exercises").is_dir():  # the exercises a lesson uses live beside it
        shutil.copytree(source.parent / "exercises", tmp_path / "exercises")
    (entry,) = check_lessons([path])
    assert entry.problems == ()
    assert entry.lesson is not None


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=damaged_lessons())
def test_damaged_lessons_give_problems_never_exceptions(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "damaged.md"
    path.write_bytes(data)
    (entry,) = check_lessons([path])
    lines = max(1, data.count(b"\n") + 1)
    assert (entry.lesson is None) == bool(entry.problems)
    for problem in entry.problems:
        assert problem.path == str(path)
        assert 1 <= problem.line <= lines
        assert problem.message.strip() and "please report this" not in problem.message


@given(text=st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_never_raises(text: str) -> None:
    parsed = parse_lesson_text(text, Path("any.md"))
    assert parsed.lesson is not None or parsed.problems
