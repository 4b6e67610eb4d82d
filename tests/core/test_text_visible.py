"""The boundary before the terminal: every hidden or obeyed character is spelled out (issue 23)."""

from __future__ import annotations

import io
import json
import os
import sys
import unicodedata

from tutor.text.visible import VisibleStream, visible, write_raw

HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def test_every_control_format_and_separator_character_is_spelled_out() -> None:
    """Checked against the Unicode database itself, every code point: none passes unchanged."""
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in HIDDEN_CATEGORIES and visible(chr(code)) == chr(code)
    ]
    assert missed == []


def test_nothing_else_is_touched() -> None:
    text = "Backprop: δL/δW₂ = −0.0889 · σ'(z) 日本語 العربية ✓ ✗ ~ ? [b]x[/b] \\u001b"
    assert visible(text) == text
    assert visible("two\nlines\tand a tab", lines=True) == "two\nlines\tand a tab"


def test_the_spelling_says_what_was_there() -> None:
    assert visible("a\x1b]0;PWNED\x07.md") == "a\\u001b]0;PWNED\\u0007.md"
    assert visible("over\rwrite") == "over\\rwrite"
    assert visible("two\nlines\ttab") == "two\\nlines\\ttab"
    assert visible("abc\u202edef") == "abc\\u202edef"
    assert visible("zero\u200bwidth\ufeff") == "zero\\u200bwidth\\ufeff"
    assert visible("\x9b31m \x7f") == "\\u009b31m \\u007f"
    assert visible("caf\udce9") == "caf\\udce9"  # the byte 0xE9 of a Latin-1 file name
    assert visible("tag\U000e0041") == "tag\\udb40\\udc41"
    assert visible("line\r\nnext", lines=True) == "line\\r\nnext"


def test_the_spelling_is_json_that_gives_the_character_back() -> None:
    """Inside a JSON string the spelling is an escape: ``--json`` output stays valid."""
    every = "".join(chr(c) for c in range(0x3000)) + "\u2028\udcff\U000e0041\U0001d173"
    text = json.dumps({"name": every}, ensure_ascii=False)
    assert json.loads(visible(text, lines=True)) == {"name": every}
    assert os.fsencode(json.loads('"x' + visible("\udcff") + '"')) == b"x\xff"


def test_the_spelled_text_holds_no_byte_of_a_control_sequence() -> None:
    every = "".join(chr(c) for c in range(0x3000)) + "\u2028\u2029\ufeff\U000e0001"
    shown = visible(every)
    assert all(unicodedata.category(c) not in HIDDEN_CATEGORIES for c in shown)
    shown.encode("utf-8")  # no lone surrogate left: it can be printed


def test_a_visible_stream_passes_text_through_the_boundary_and_raw_codes_past_it() -> None:
    out = io.StringIO()
    stream = VisibleStream(out)
    print("name: a\x1b]52;c;SGVsbG8=\x07", file=stream)
    write_raw(stream, "\x1b[1m")
    print("bold\tline", file=stream)
    assert out.getvalue() == "name: a\\u001b]52;c;SGVsbG8=\\u0007\n\x1b[1mbold\tline\n"
    assert stream.getvalue() == out.getvalue()  # everything else is the wrapped stream's


def test_write_raw_on_a_plain_stream_writes_unchanged() -> None:
    out = io.StringIO()
    write_raw(out, "\r")
    assert out.getvalue() == "\r"
