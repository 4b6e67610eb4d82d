"""Strings from outside shown as what they are: the one boundary before a terminal.

A file or folder name, lesson text, a value in ``progress.json`` or what a learner's
code printed may hold characters a terminal obeys or hides: an escape sequence
(``ESC ] 0 ;`` sets the window title, ``ESC ] 52`` writes the clipboard), a carriage
return that overwrites the line, C1 controls, right-to-left overrides that reorder
what is read, zero-width characters.  :func:`visible` spells each of them out
(``\\u001b``, ``\\r``, ``\\u202e``), so nothing of them reaches the terminal, the
reader still sees that they are there, and JSON output stays valid JSON.

Provides :func:`visible` (one string), :class:`VisibleStream` (a text stream that
passes everything written to it through :func:`visible`; the command line wraps
stdout and stderr in it, so every ``print`` of the plain front end goes through the
boundary) and :func:`write_raw` (control sequences the tutor itself writes: a colour,
the ``\\r`` of a progress bar; never text from outside); :func:`read_line` reads a
line of input, a closed or broken input read as its end.  The TUI's boundary,
``tutor.tui.literal``, calls :func:`visible` too.
"""

from __future__ import annotations

import re
from typing import IO, Any, TextIO

HIDDEN = re.compile(
    "["
    "\x00-\x1f\x7f-\x9f"  # C0, DEL, C1 (Cc)
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"  # format (Cf)
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u2028\u2029"  # line and paragraph separators (Zl, Zp)
    "\ud800-\udfff"  # lone surrogates: undecodable bytes of a file name (surrogateescape)
    "]"
)
"""Every character a terminal obeys or does not show: categories Cc, Cf, Zl, Zp and Cs."""
HIDDEN_OR_LINES = re.compile(HIDDEN.pattern.replace("\x00-\x1f", "\x00-\x08\x0b-\x1f"))
"""The same, less newline and tab: for text of several lines."""
NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _spelled(match: re.Match[str]) -> str:
    """A character as a JSON (and Python) escape: ``\\u001b``, ``\\u202e``, ``\\r``.

    The spelling is valid inside a JSON string, so ``--json`` output stays valid and
    gives a program the very character back; past U+FFFF it is the UTF-16 pair, as
    JSON writes it.  A lone surrogate (a byte of a file name that was not UTF-8) is
    spelled as itself, which ``os.fsencode`` turns back into that byte.
    """
    char = match.group()
    if char in NAMED:
        return NAMED[char]
    code = ord(char)
    if code > 0xFFFF:
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        return f"\\u{high:04x}\\u{low:04x}"
    return f"\\u{code:04x}"


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with every control, format or invisible character spelled out.

    With ``lines``, newlines and tabs are kept (a text of several lines);
    otherwise they are spelled out too (a name, one line of a list).
    """
    pattern = HIDDEN_OR_LINES if lines else HIDDEN
    if pattern.search(text) is None:
        return text
    return pattern.sub(_spelled, text)


class VisibleStream:
    """A text stream that writes everything through :func:`visible` (newlines and tabs kept).

    Anything else (``flush``, ``isatty``, ``fileno``, ``encoding``…) is the wrapped stream's.
    """

    def __init__(self, stream: TextIO | IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` as :func:`visible` shows it."""
        self.stream.write(visible(text, lines=True))
        return len(text)

    def writelines(self, lines: Any) -> None:
        """Write each of ``lines``."""
        for line in lines:
            self.write(line)

    def raw(self, sequence: str) -> None:
        """Write a control sequence of the tutor's own, unchanged (see :func:`write_raw`)."""
        self.stream.write(sequence)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def write_raw(stream: TextIO | IO[str], sequence: str) -> None:
    """Write ``sequence``, a control sequence the tutor wrote itself, past the boundary.

    For the tutor's own colours and carriage returns only: text from outside is
    written with ``print``/``write`` and so goes through :func:`visible`.
    """
    raw = getattr(stream, "raw", None)
    if raw is not None:
        raw(sequence)
    else:
        stream.write(sequence)


def read_line(stream: TextIO | IO[str]) -> str | None:
    """One line of ``stream``; None at the end of the input, or when the input is broken.

    A terminal that hung up (``EIO``) or a descriptor closed under us ends the
    dialogue as the end of the input does, with the progress saved.
    """
    try:
        return stream.readline() or None
    except (OSError, ValueError):  # EIO, EBADF; ValueError: the file was closed
        return None


def wrap_standard_streams() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` :class:`VisibleStream` s (once).

    A closed stdin (``sys.stdin`` is None) reads as an empty input, and bytes typed
    that are not UTF-8 as U+FFFD, so neither stops a plain mode with a traceback.
    """
    import os
    import sys

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, VisibleStream):
            setattr(sys, name, VisibleStream(stream))
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (the process's stdin)
    elif hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
