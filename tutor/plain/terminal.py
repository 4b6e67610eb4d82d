"""The plain terminal: one prompt loop, and the styling of tagged lines as ANSI text.

Provides :func:`reader` (show a prompt, read a line; from a pipe the line is echoed
so the output reads as a transcript), :func:`ask` (the one prompt loop: read answers
until the question is over, one verdict line and more per answer; ``forms``,
``skip`` and ``quit`` understood), :func:`show_line` (a line with an ANSI code per
role, when colour is on: the codes pass the boundary of :mod:`tutor.text.visible` by
``write_raw``, the words through it), :func:`wrapped` (a tagged line broken to fit
:data:`WIDTH`, each piece keeping its roles) and :func:`wants_color`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TextIO

from tutor.answers.attempt import FORMS_REQUEST, Feedback
from tutor.answers.parse import ACCEPTED_FORMS
from tutor.present.lines import Line, Role, Span
from tutor.present.verdict import feedback_lines
from tutor.text.visible import read_line, write_raw
from tutor.text.wrap import wrap_line

WIDTH = 80
"""Columns of the terminal the plain players wrap their text for."""

SKIP, QUIT = {"skip", "s"}, {"quit", "q", "exit"}
ROLE_CODES: dict[Role, str] = {
    Role.HEADING: "1",
    Role.LEAD: "1",
    Role.NEWEST: "1",
    Role.RULE: "2;3",
    Role.HINT: "2",
    Role.NOTE: "3",
    Role.CORRECT: "32",
    Role.CLOSE: "33",
    Role.WRONG: "31",
    Role.UNREADABLE: "35",
    Role.SKIPPED: "2",
}
"""The one colour table of the plain terminal: an SGR code per role (none: plain text)."""

Read = Callable[[str], str | None]
"""Show a prompt and read one line (None at the end of the input)."""
Show = Callable[[Line], None]
"""Print one tagged line."""


class Quit(Exception):
    """The learner typed ``quit``, or the input ended."""


def wants_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return bool(stream.isatty()) and not os.environ.get("NO_COLOR")


def wrapped(line: Line, width: int = WIDTH) -> list[Line]:
    """``line`` in pieces of at most ``width`` columns (as :func:`~tutor.text.wrap.wrap_line`
    breaks its words), each character in the role it had on ``line``."""
    text = line.text
    pieces = wrap_line(text, width)
    if len(pieces) == 1:
        return [line]
    roles = [span.role for span in line.spans for _ in span.text]
    lines, at = [], 0
    for number, piece in enumerate(pieces):
        body = piece
        if number:  # the break took the spaces between two words; the indent is new
            while at < len(text) and text[at] == " ":
                at += 1
            body = piece.lstrip(" ")
        spans = [Span(piece[: len(piece) - len(body)])] if body != piece else []
        for char in body:
            if at < len(text) and text[at] == char:
                role, at = roles[at], at + 1
            else:  # the hyphen of a word split across lines
                role = roles[at - 1]
            if spans and spans[-1].role == role:
                spans[-1] = Span(spans[-1].text + char, role)
            else:
                spans.append(Span(char, role))
        lines.append(Line(tuple(spans)))
    return lines


def show_line(out: TextIO, line: Line, *, color: bool = False) -> None:
    """Print ``line`` on ``out``, each span in its role's ANSI style when ``color`` is on."""
    for span in line.spans:
        styled = color and bool(span.text) and span.role in ROLE_CODES
        if styled:
            write_raw(out, f"\x1b[{ROLE_CODES[span.role]}m")
        out.write(span.text)
        if styled:
            write_raw(out, "\x1b[0m")
    out.write("\n")
    out.flush()


def reader(stdin: TextIO, stdout: TextIO) -> Read:
    """Show a prompt and read a line; from a pipe the line is echoed after the prompt."""
    echo = not stdin.isatty()

    def read(prompt: str) -> str | None:
        stdout.write(prompt)
        stdout.flush()
        line = read_line(stdin)  # a closed or broken input reads as its end
        if line is None:
            stdout.write("\n")
            return None
        if echo:
            stdout.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")

    return read


def ask(
    read: Read,
    show: Show,
    prompt: str,
    submit: Callable[[str], Feedback],
    skip: Callable[[], Feedback],
    *,
    solution: bool = True,
) -> Feedback:
    """Read answers until the question is over; one verdict line (and more) per answer.

    Raises :class:`Quit` on ``quit`` or at the end of the input.
    """
    while True:
        line = read(prompt)
        if line is None:
            raise Quit
        text = line.strip()
        if text.lower() in QUIT:
            raise Quit
        if text.lower() in FORMS_REQUEST:
            for row in ACCEPTED_FORMS.split("\n"):
                show(Line.of(row))
            continue
        feedback = skip() if text.lower() in SKIP else submit(text)
        for out in feedback_lines(feedback, solution=solution):
            show(out)
        if feedback.question_over:
            return feedback
