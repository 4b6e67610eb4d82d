"""How a lesson went, in words: the totals and the table of every prediction and question.

Provides :func:`summary_lines` (steps visited, each result counted, the weakest
topics, what is left) and :func:`asked_lines` (one line per prediction or question
with its result), for the summary screen and the end of ``lesson --plain``.
"""

from __future__ import annotations

from tutor.lesson.model import Quantity
from tutor.lesson.summary import Asked, LessonSummary
from tutor.present.lines import Line, Role, result_role
from tutor.present.verdict import RESULT_WORDS, result_words
from tutor.store.outcomes import Result


def summary_lines(summary: LessonSummary) -> list[Line]:
    """The summary in words: steps, each result counted, the weakest topics, what is left."""
    lines = [Line.of(f"{summary.title}: {summary.visited} of {summary.steps} steps visited.")]
    if summary.asked:
        counts = [
            f"{summary.count(result)} {words}"
            for result, words in RESULT_WORDS.items()
            if summary.count(result)
        ]
        total = len(summary.asked)
        lines.append(Line.of(f"Predictions and questions ({total}): " + ", ".join(counts) + "."))
    if summary.weakest:
        lines.append(Line.of("Weakest topics: " + ", ".join(summary.weakest) + "."))
    if summary.finished:
        lines.append(Line.of("Lesson finished.", Role.CORRECT))
    elif summary.to_do:
        lines.append(
            Line.of(
                f"Still to do: {summary.to_do} of {len(summary.asked)} (answer them to finish)."
            )
        )
    return lines


def asked_label(asked: Asked) -> str:
    """What was asked, as the learner saw it: ``predict dL/dz2``, ``question W2 after a step``."""
    if isinstance(asked.what, str):
        return f"predict {asked.what}"
    return f"question {quantity_words(asked.what)}"


def quantity_words(quantity: Quantity) -> str:
    """A quantity a question asks for, in a few words: ``dL/dW1[2,1]``, ``He std of W2``."""
    name = quantity.name or ""
    if quantity.index is not None:
        row, column = quantity.index
        name += f"[{row + 1},{column + 1}]"
    match quantity.kind:
        case "grad":
            return f"dL/d{name}"
        case "value":
            return name
        case "loss":
            return "the loss L"
        case "param_after_step":
            return f"{name} after a step"
        case "loss_after_step":
            return "L after a step"
        case "shape":
            return f"shape of {name if quantity.of_value else 'dL/d' + name}"
        case "init_std":
            scheme = "He" if quantity.scheme == "he" else "Xavier"
            return f"{scheme} std of {name}"


def asked_lines(summary: LessonSummary) -> list[Line]:
    """``step  3  predict dL/dz2   right first time``: each prediction and question."""
    lines = []
    for asked in summary.asked:
        role = Role.HINT if asked.result == Result.UNANSWERED else result_role(asked.result)
        lines.append(
            Line.join(
                f"step {asked.step + 1:>2}  {asked_label(asked):<28} ",
                (result_words(asked.result), role),
            )
        )
    return lines
