"""Lines tagged with a role: what the tutor says, before any front end styles it.

Provides :class:`Role` (what a piece of text is: a heading, the newest stage, a
rule in words, a key hint, a verdict by its outcome …), :class:`Span` (text in one
role) and :class:`Line` (spans on one line).  A front end maps each role to its
own look (the TUI to a Textual style, the plain terminal to ANSI codes or
nothing); no colour is named here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tutor.store.outcomes import Outcome, Result


class Role(StrEnum):
    """What a span of text is; the verdict roles share the values of :class:`Outcome`."""

    TEXT = "text"
    HEADING = "heading"  # "Forward pass", "Worked solution"
    LEAD = "lead"  # a bold lead-in: "Your turn:", "Network tiny:"
    NEWEST = "newest"  # the stage just revealed
    RULE = "rule"  # a chain rule in words
    HINT = "hint"  # what the keys do next, a note in passing
    NOTE = "note"  # the precision an answer needs
    CORRECT = "correct"
    CLOSE = "close"
    WRONG = "wrong"
    UNREADABLE = "unreadable"
    SKIPPED = "skipped"


def outcome_role(outcome: Outcome | str) -> Role:
    """The role a verdict with ``outcome`` is shown in (:attr:`Role.LEAD` if it is unknown)."""
    try:
        return Role(Outcome(outcome).value)
    except ValueError:
        return Role.LEAD


def result_role(result: Result) -> Role:
    """The role a finished question's result is shown in."""
    if result == Result.FIRST_TRY:
        return Role.CORRECT
    if result == Result.RETRIED:
        return Role.CLOSE
    if result == Result.REVEALED:
        return Role.WRONG
    return Role.SKIPPED


@dataclass(frozen=True)
class Span:
    """Text in one role."""

    text: str
    role: Role = Role.TEXT


@dataclass(frozen=True)
class Line:
    """One line of spans (no newline inside)."""

    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, text: str, role: Role = Role.TEXT) -> Line:
        """A line of one span."""
        return cls((Span(text, role),))

    @classmethod
    def join(cls, *parts: tuple[str, Role] | str) -> Line:
        """A line of several spans, each ``(text, role)`` or a str in :attr:`Role.TEXT`."""
        return cls(tuple(Span(p) if isinstance(p, str) else Span(*p) for p in parts))

    @property
    def text(self) -> str:
        """The words without their roles."""
        return "".join(span.text for span in self.spans)

    def indented(self, prefix: str) -> Line:
        """This line after ``prefix`` (in the role of its first span)."""
        if not self.spans:
            return self
        first = self.spans[0]
        return Line((Span(prefix + first.text, first.role), *self.spans[1:]))

    @property
    def roles(self) -> frozenset[Role]:
        """The roles on this line."""
        return frozenset(span.role for span in self.spans)


BLANK = Line()


def lines_of(text: str, role: Role = Role.TEXT) -> list[Line]:
    """``text`` (maybe several lines) as lines, all in ``role``."""
    return [Line.of(part, role) for part in text.split("\n")]


def plain_text(lines: Iterable[Line]) -> str:
    """The words of ``lines``, one per text line, without their roles."""
    return "\n".join(line.text for line in lines)
