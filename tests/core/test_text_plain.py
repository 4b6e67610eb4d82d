"""Markdown as plain text for lesson --plain."""

from __future__ import annotations

from tutor.text.plain import plain_markdown


def test_markup_is_dropped_and_words_kept() -> None:
    text = (
        "### The chain rule\n\n"
        "It is **reuse**, not *locality*: see [the notes](https://example.org).\n"
        "Type `0.25` or 2 * 3 * 4.\n"
        "![a graph](graph.png)"
    )
    assert plain_markdown(text) == (
        "The chain rule\n\n"
        "It is reuse, not locality: see the notes (https://example.org).\n"
        "Type 0.25 or 2 * 3 * 4.\n"
        "[image: a graph]"
    )


def test_code_is_indented_and_its_hashes_kept() -> None:
    text = "Before\n```python\n# a comment\nx = 1\n```\nAfter"
    assert plain_markdown(text) == "Before\n    # a comment\n    x = 1\nAfter"


def test_tables_and_lists_stay() -> None:
    text = "| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two"
    assert plain_markdown(text) == text
