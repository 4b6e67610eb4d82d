"""The size budget of a lesson (issue 23): a line, the steps, one step and its code.

Past each limit the lesson is refused with the line and the numbers; at the limit
it is read.  (That a lesson at every limit opens in time: ``bench/lesson_open.py`` and
``tests/ui/test_lesson_budget_ui.py``.)
"""

from __future__ import annotations

import time
from pathlib import Path

from tutor.lesson.parser import (
    MAX_CODE_CHARS,
    MAX_LINE_CHARS,
    MAX_STEP_CHARS,
    MAX_STEPS,
    parse_lesson_text,
)

HEAD = '+++\nid = "big"\ntitle = "Big"\n+++\n\n'


def problems(text: str) -> list[tuple[int, str]]:
    parsed = parse_lesson_text(text, Path("big.md"))
    return [(p.line, p.message) for p in parsed.problems]


def test_the_numbers_are_the_authoring_guides() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text()
    assert f"| a line of a lesson | {MAX_LINE_CHARS:,} characters" in guide
    assert f"| steps in a lesson | {MAX_STEPS} |" in guide
    assert f"{MAX_STEP_CHARS:,} characters, of which {MAX_CODE_CHARS:,} in code blocks" in guide


def test_a_line_at_the_limit_is_read_one_past_it_is_refused_at_its_line() -> None:
    at_limit = HEAD + "## One\n\n" + "a" * MAX_LINE_CHARS + "\n"
    assert problems(at_limit) == []
    past = HEAD + "## One\n\nshort\n" + "a" * (MAX_LINE_CHARS + 1) + "\n"
    assert problems(past) == [
        (
            9,
            f"this line is {MAX_LINE_CHARS + 1:,} characters long; a lesson line holds at most "
            f"{MAX_LINE_CHARS:,} (break it: Markdown joins a paragraph's lines)",
        )
    ]


def test_steps_up_to_the_limit_are_read_the_next_is_refused_at_its_heading() -> None:
    steps = "".join(f"## Step {i}\n\nText.\n\n" for i in range(MAX_STEPS))
    parsed = parse_lesson_text(HEAD + steps, Path("big.md"))
    assert parsed.problems == [] and parsed.lesson is not None
    assert len(parsed.lesson.steps) == MAX_STEPS
    heading_line = 6 + 4 * MAX_STEPS  # 5 lines of front matter, then 4 lines a step
    assert problems(HEAD + steps + "## One too many\n") == [
        (heading_line, f"step {MAX_STEPS + 1}: a lesson has at most {MAX_STEPS} steps "
         "(split it into two lessons)")
    ]  # fmt: skip


def test_a_hundred_thousand_steps_are_refused_at_once() -> None:
    steps = "## S\n\nx\n\n" * 100_000
    start = time.perf_counter()
    found = problems(HEAD + steps)
    assert time.perf_counter() - start < 20  # a bound on a hang: parsing stops at step 101
    assert [line for line, _ in found] == [6 + 4 * MAX_STEPS]


def test_a_step_too_long_and_a_step_with_too_much_code_are_refused_at_their_heading() -> None:
    line = "b" * 99 + "\n"  # 100 characters a line
    prose = line * (MAX_STEP_CHARS // 100)  # with the heading and blank: past the limit
    assert problems(HEAD + "## Long\n\n" + prose)[0][0] == 6
    size = len("## Long\n\n" + prose) + 1  # and the empty last line
    assert problems(HEAD + "## Long\n\n" + prose)[0][1] == (
        f"this step is {size:,} characters long; a step holds at most "
        f"{MAX_STEP_CHARS:,} (split it into steps)"
    )
    code = "```python\n" + line * (MAX_CODE_CHARS // 100 + 1) + "```\n"
    found = problems(HEAD + "## Fine\n\nText.\n\n## Code\n\n" + code)
    assert found == [
        (
            10,
            f"this step has {(MAX_CODE_CHARS // 100 + 1) * 100:,} characters of code; a step "
            f"holds at most {MAX_CODE_CHARS:,} (shorten the code or split it over steps)",
        )
    ]
    at_limit = "```python\n" + line * (MAX_CODE_CHARS // 100) + "```\n"
    assert problems(HEAD + "## Code\n\n" + at_limit) == []
