"""``lesson ID --plain`` fits an 80-column terminal: every line that can wrap does.

Each bundled lesson is played through a pipe with an empty answer (its ``?`` verdict
and the accepted forms), then wrong answers until every solution is shown, so its
prose, network cards, derivations, questions, verdicts, hints, worked solutions,
gradient checks and training runs are all printed.  A line may pass 80 columns only
if it is code the lesson quotes (indented, word for word from the lesson file) or a
row of a Markdown table.  A prompt still ends in ``> `` with the answer after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tutor.lesson.catalog import load_catalog
from tutor.store.locations import bundled_lessons_dir

WIDTH = 80
WRONG = "12345"
ENTRIES = {e.lesson.id: e.path for e in load_catalog([bundled_lessons_dir()]) if e.lesson}
PROMPT = re.compile(rf"^\S.*?> (?:{WRONG})?$")


def quoted_code(line: str, source: list[str]) -> bool:
    """Whether ``line`` is a code line of the lesson (indented, as written in the file)."""
    return line.startswith("    ") and line.strip() in source


@pytest.mark.parametrize("lesson_id", sorted(ENTRIES))
def test_every_line_that_can_wrap_fits_80_columns(private_home: Path, lesson_id: str) -> None:
    result = run_cli("lesson", lesson_id, "--plain", stdin="\n" + f"{WRONG}\n" * 3000)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "Lesson finished." in out  # every step was played
    source = [line.strip() for line in ENTRIES[lesson_id].read_text("utf-8").splitlines()]
    long = [
        line
        for line in out
        if len(line) > WIDTH and not quoted_code(line, source) and not line.startswith("|")
    ]
    assert long == []
    prompts = [line for line in out if PROMPT.match(line)]
    assert len(prompts) > 1 and all("> " in p for p in prompts)
