"""How outcomes and verdicts look, in one table for every screen and widget.

The styles are Textual style strings built on the theme's colour variables
(``$text-success``, ``$text-warning``, …), so a verdict follows the theme, dark or
light.  Use them in :class:`~textual.content.Content` (:func:`outcome_content`),
which resolves the variables when it is drawn.
"""

from __future__ import annotations

from textual.content import Content

from tutor.tui.literal import literal

OUTCOME_STYLES: dict[str, str] = {
    "correct": "bold $text-success",
    "close": "bold $text-warning",
    "wrong": "bold $text-error",
    "unreadable": "bold $text-secondary",
    "skipped": "bold",
}
"""The style of each verdict of an answer (the attempt machine's and the quiz's outcomes)."""
DEFAULT_OUTCOME_STYLE = "bold"
"""The style of an outcome the table does not know (e.g. one saved by an older version)."""
FINISHED_STYLE = "$text-success"
"""A finished step in the lesson outline, or a finished prerequisite on the home screen."""
UNFINISHED_STYLE = "$text-warning"
"""A prerequisite lesson the learner has not finished (the lesson stays open)."""


def outcome_content(text: str, outcome: str) -> Content:
    """``text`` in the style of ``outcome`` (:data:`DEFAULT_OUTCOME_STYLE` if it is unknown)."""
    return literal(text, OUTCOME_STYLES.get(outcome, DEFAULT_OUTCOME_STYLE))
