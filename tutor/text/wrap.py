"""Words broken into lines of a given width, for narrow columns such as the lesson outline."""

from __future__ import annotations


def wrap_words(text: str, room: int) -> list[str]:
    """``text`` in lines of at most ``room`` cells, broken between words; a word longer than
    a line is split with a hyphen at the end of each part ("Initialisa-", "tion")."""
    cut = max(1, room - 1)  # the letters before a hyphen
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) <= room:
            line += " " + word
            continue
        if line:
            lines.append(line)
        while len(word) > room:
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines
