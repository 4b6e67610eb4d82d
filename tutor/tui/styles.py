"""The TUI's one colour table: the style of each role a line of :mod:`tutor.present` carries.

The styles are Textual style strings built on the theme's colour variables
(``$text-success``, ``$text-warning``, …), so a verdict follows the theme, dark or
light.  :mod:`tutor.tui.tagged` turns tagged lines into
:class:`~textual.content.Content` with them, which resolves the variables when drawn.
"""

from __future__ import annotations

from textual.content import Content

from tutor.present.lines import Role, outcome_role
from tutor.tui.literal import literal

ROLE_STYLES: dict[Role, str] = {
    Role.TEXT: "",
    Role.HEADING: "bold underline",
    Role.LEAD: "bold",
    Role.NEWEST: "bold",
    Role.RULE: "dim italic",
    Role.HINT: "dim",
    Role.NOTE: "italic",
    Role.CORRECT: "bold $text-success",
    Role.CLOSE: "bold $text-warning",
    Role.WRONG: "bold $text-error",
    Role.UNREADABLE: "bold $text-secondary",
    Role.SKIPPED: "bold",
}
"""The style of each role (the verdict roles: the attempt machine's and the quiz's outcomes)."""
FINISHED_STYLE = "$text-success"
"""A finished step in the lesson outline, or a finished prerequisite on the home screen."""
UNFINISHED_STYLE = "$text-warning"
"""A prerequisite lesson the learner has not finished (the lesson stays open)."""


def outcome_content(text: str, outcome: str) -> Content:
    """``text`` in the style of ``outcome`` (bold if it is unknown)."""
    return literal(text, ROLE_STYLES[outcome_role(outcome)])
