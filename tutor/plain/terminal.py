"""The plain terminal: one prompt loop, and the styling of tagged lines as ANSI text.

Provides :func:`reader` (show a prompt, read a line; from a pipe the line is echoed
so the output reads as a transcript), :func:`ask` (the one prompt loop: read answers
until the question is over, one verdict line and more per answer; ``forms``,
``skip`` and ``quit`` understood), :func:`styled` (a line with an ANSI code per
role, when colour is on) and :func:`wants_color`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TextIO

from tutor.answers.attempt import FORMS_REQUEST, Feedback
from tutor.answers.parse import ACCEPTED_FORMS
from tutor.present.lines import Line, Role
from tutor.present.verdict import feedback_lines

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
Say = Callable[[str], None]


class Quit(Exception):
    """The learner typed ``quit``, or the input ended."""


def wants_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return bool(stream.isatty()) and not os.environ.get("NO_COLOR")


def styled(line: Line, color: bool = False) -> str:
    """``line`` as text, each span in its role's ANSI style when ``color`` is on."""
    if not color:
        return line.text
    parts = []
    for span in line.spans:
        code = ROLE_CODES.get(span.role)
        parts.append(f"\x1b[{code}m{span.text}\x1b[0m" if code and span.text else span.text)
    return "".join(parts)


def reader(stdin: TextIO, stdout: TextIO) -> Read:
    """Show a prompt and read a line; from a pipe the line is echoed after the prompt."""
    echo = not stdin.isatty()

    def read(prompt: str) -> str | None:
        stdout.write(prompt)
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            return None
        if echo:
            stdout.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")

    return read


def ask(
    read: Read,
    say: Say,
    prompt: str,
    submit: Callable[[str], Feedback],
    skip: Callable[[], Feedback],
    *,
    solution: bool = True,
    color: bool = False,
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
            say(ACCEPTED_FORMS)
            continue
        feedback = skip() if text.lower() in SKIP else submit(text)
        for out in feedback_lines(feedback, solution=solution):
            say(styled(out, color))
        if feedback.question_over:
            return feedback
