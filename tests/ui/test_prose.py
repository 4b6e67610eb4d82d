"""A step's prose (light widgets, parsed once) reads as Textual's Markdown of the same text."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from tests.ui.support import screen_text, settle
from tutor.tui.literal_markdown import VisibleMarkdown
from tutor.tui.widgets.prose import Prose, ProseText, WideCode
from tutor.tui.widgets.prose_layout import prose_pieces

SAMPLE = """\
Every training step has two halves: the **forward pass** and the *backward
pass*, which uses `dL/dy` and ~~guesses~~ the chain rule.

In this lesson you will:

- take gradient descent steps by hand and see how the learning rate matters,
  over several lines of text so that the item wraps;
- use the chain rule:
  - first nested point, long enough to wrap onto a second line at this width;
  - second nested point
- train a network.

1. one
2. two, with a longer text that wraps at the width of the page given here
3. three

```python
w_new = w - lr * grad
```

A last paragraph with [a link](https://example.org) and x[i] as written.
"""


class Side(App[None]):
    """The prose widget and Textual's Markdown of one text, one above the other."""

    def __init__(self, text: str, widget: str) -> None:
        super().__init__()
        self.text, self.widget = text, widget

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            if self.widget == "prose":
                yield Prose(self.text)
            else:
                yield VisibleMarkdown(self.text)


async def shown(text: str, widget: str, width: int) -> str:
    app = Side(text, widget)
    async with app.run_test(size=(width, 60)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        return screen_text(app).rstrip()


@pytest.mark.parametrize("width", [40, 72])
async def test_prose_shows_what_textuals_markdown_shows(width):
    prose = await shown(SAMPLE, "prose", width)
    assert prose == await shown(SAMPLE, "markdown", width)
    assert "x[i] as written" in prose and "▪ first nested point" in prose


async def test_prose_is_a_few_widgets_and_its_code_scrolls_sideways():
    line = "x ──▶ layer 1 ──▶ layer 2 ──▶ prediction y ──▶ loss L"
    wide = SAMPLE.replace("w_new = w - lr * grad", line)
    app = Side(wide, "prose")
    async with app.run_test(size=(40, 60)) as pilot:
        await settle(pilot)
        prose = app.query_one(Prose)
        kinds = [type(child) for child in prose.children]
        assert kinds == [ProseText, WideCode, ProseText]
        code = app.query_one(WideCode)
        assert code.virtual_size.width > code.scrollable_content_region.width
        assert code.show_horizontal_scrollbar


def test_markup_and_control_characters_in_prose_are_text():
    (run,) = prose_pieces("A [b]bold[/b] claim and [@click=app.quit]x[/] with \x1b[31m.")
    plain = run.blocks[0].content.plain
    assert "[b]bold[/b]" in plain and "[@click=app.quit]x[/]" in plain
    assert "\x1b" not in plain and "\\u001b[31m" in plain
    assert all(span.style for span in run.blocks[0].content.spans)  # no style came from the text


def test_a_table_is_left_to_textuals_markdown():
    pieces = prose_pieces("Before.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter.")
    assert [type(piece).__name__ for piece in pieces] == ["TextRun", "TablePiece", "TextRun"]
    assert pieces[1].source == "| a | b |\n|---|---|\n| 1 | 2 |"
