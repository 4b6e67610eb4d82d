"""Words for a finished quiz, shared by plain mode and the results screen (no Textual)."""

from __future__ import annotations

from tutor.quiz.families import get_family
from tutor.quiz.session import QuizResults


def duration_text(seconds: float) -> str:
    """``42 s`` or ``4 min 12 s``."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def score_line(results: QuizResults) -> str:
    """``Quiz over: 7 of 10 solved (5 at the first try) in 4 min 12 s · seed 1234``."""
    return (
        f"Quiz over: {results.solved} of {results.asked} solved ({results.first_try} at the "
        f"first try) in {duration_text(results.seconds)} · seed {results.seed}"
    )


def family_title(family_id: str) -> str:
    """A family's title, or its id if it is no longer known."""
    try:
        return get_family(family_id).title
    except KeyError:
        return family_id


def review_line(results: QuizResults) -> str:
    """``Due for review soon: Chain rule (chain); …``, or that nothing is."""
    due = [f"{family_title(f)} ({f})" for f in results.due]
    return "Due for review soon: " + "; ".join(due) if due else "Nothing due for review soon."
