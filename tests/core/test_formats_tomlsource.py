"""TOML parsed with the line of every key: tables, arrays of tables, quoted keys, strings."""

from __future__ import annotations

import pytest

from tutor.formats.tomlsource import TomlSyntaxError, parse_toml

TEXT = '''\
id = "q"
question = """Line one
with "quotes" and a key = like this
"""
caption = "it\'\'\'s [not a bracket"
hints = [
  "a",
  "b = c",
]
one = """single line"""
two = 'literal # not a comment'
"W1[2,1]" = 3
x.y = 4
[vary]
W1 = [0.1, 0.9]
[[layers]]
W = [[1.0]]
[[layers]]
'b.c' = 2
'''


def test_every_key_has_its_line() -> None:
    source = parse_toml(TEXT)
    assert source.lines == {
        ("id",): 1,
        ("question",): 2,
        ("caption",): 5,
        ("hints",): 6,
        ("one",): 10,
        ("two",): 11,
        ("W1[2,1]",): 12,
        ("x", "y"): 13,
        ("vary",): 14,
        ("vary", "W1"): 15,
        ("layers", 0): 16,
        ("layers", 0, "W"): 17,
        ("layers", 1): 18,
        ("layers", 1, "b.c"): 19,
    }
    assert source.data["question"].startswith("Line one")


def test_line_of_falls_back_to_the_nearest_ancestor() -> None:
    source = parse_toml(TEXT)
    assert source.line_of(("layers", 1, "missing")) == 18
    assert source.line_of(("nothing",)) is None


@pytest.mark.parametrize(
    ("text", "line"), [("a = 1\nb = \n", 2), ("a = [1,\n2\n", 2), ('a = "x\n', 1)]
)
def test_syntax_errors_carry_their_line(text: str, line: int) -> None:
    with pytest.raises(TomlSyntaxError) as caught:
        parse_toml(text)
    assert caught.value.line == line
    assert "(at line" not in caught.value.message
