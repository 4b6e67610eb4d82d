"""The home screen through Pilot: a blank line after every lesson, whatever wraps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import screen_text, settle
from tutor.tui.app import make_app


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (120, 30)])
async def test_each_lesson_entry_ends_with_a_blank_line(tmp_path: Path, size) -> None:
    app = make_app(data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        bars = [i for i, line in enumerate(lines) if "steps · " in line]
        assert bars  # some entries are on screen
        for i in bars:
            if i + 1 < len(lines) - 1:  # not cut off by the footer
                left = lines[i + 1][: size[0] - 4]  # the scrollbar, if any, is on the right
                assert left.strip() == "", lines[i : i + 2]
