"""The outline's word wrap: whole words where they fit, a hyphen where one cannot."""

from __future__ import annotations

import pytest

from tutor.text.wrap import wrap_words


def test_words_wrap_whole_and_a_long_word_is_hyphenated() -> None:
    assert wrap_words("Initialisation: Xavier and He", 12) == [
        "Initialisat-",
        "ion: Xavier",
        "and He",
    ]
    assert wrap_words("Cross-entropy: how surprised", 12) == [
        "Cross-entro-",
        "py: how",
        "surprised",
    ]


@pytest.mark.parametrize("room", range(2, 30))
def test_no_line_is_longer_than_its_room_and_no_letter_is_lost(room: int) -> None:
    title = "Initialisation that keeps gradients alive: Xavier/Glorot and He"
    lines = wrap_words(title, room)
    assert all(len(line) <= room for line in lines)
    assert "".join("".join(lines).replace("-", "").split()) == "".join(title.split())
