"""The text and graph state of a derivation after some stages are revealed.

Pure layout of the engine's records: each line is ``forward_line`` or
``record_line`` from :mod:`tutor.text.derivation`, with the rule in words, the
learner's predictions, a matrix product's paths where asked (:mod:`tutor.lesson.path_lines`)
and the update after the last product.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tutor.tui.literal import literal_text
from tutor.tui.widgets.derivation.graph_layout import GraphState

if TYPE_CHECKING:
    from tutor.engine import Derivation, ForwardStep, TraceRecord
    from tutor.store.progress import Answered

OUTCOME_STYLES = {
    "correct": "bold green",
    "close": "bold yellow",
    "wrong": "bold red",
    "unreadable": "bold magenta",
    "skipped": "bold",
}
SAVED_VERDICTS = {"correct": "Correct.", "close": "Close.", "wrong": "Not quite."}
"""How a prediction made in an earlier session reads (its full message is not saved)."""
SAVED_RESULTS = {
    "first_try": "Correct at the first try.",
    "retried": "Correct after {tries} tries.",
    "revealed": "Not quite after {tries} tries: the product shows the answer.",
}
CURRENT = "▶ "
EARLIER = "  "
RULE_INDENT = "      "
BREAKS = re.compile(r"(?= = )|(?<=   )(?=\S)")
"""Where a long equation may break: before `` = ``, or before the shapes of an array product."""


def derivation_lines(
    result: Any,
    stages: list[ForwardStep | TraceRecord],
    revealed: int,
    forward_count: int,
    *,
    predictions: dict[str, Answered],
    verdicts: dict[str, str],
    width: int = 0,
    prompting: bool = False,
    expanded: frozenset[int] | set[int] = frozenset(),
) -> Text:
    """The revealed part of a derivation as text, newest line marked, with a hint at the end.

    While the learner is ``prompting`` for a prediction, no key hint is shown.
    With a ``width``, an equation too long for it continues on the next line with
    its ``=`` under the first one, and the rule in words wraps under itself.
    The records at the indexes in ``expanded`` are followed by their paths.
    """
    from tutor.lesson.path_lines import path_lines
    from tutor.text.derivation import forward_line, record_line
    from tutor.text.numbers import array_lines

    text = Text()
    if forward_count:
        text.append("Forward pass\n", style="bold underline")
    for index, stage in enumerate(stages[:revealed]):
        newest = index == revealed - 1
        marker = CURRENT if newest else EARLIER
        style = "bold" if newest else ""
        if index == forward_count:
            text.append("Backward pass\n", style="bold underline")
        if index < forward_count:
            equation = forward_line(stage)  # type: ignore[arg-type]
            text.append(_equation(marker, equation, width), style=style)
            continue
        record: TraceRecord = stage  # type: ignore[assignment]
        _prediction(text, record, predictions, verdicts)
        text.append(_equation(marker, record_line(record), width), style=style)
        if not record.is_scalar:
            room = width - len(RULE_INDENT) if width else 10_000
            for row in array_lines(record.value, room):
                text.append(f"{RULE_INDENT}{row}\n", style=style)
        rule = textwrap.fill(
            record.rule,
            width=max(width, 40) if width else 10_000,
            initial_indent=RULE_INDENT,
            subsequent_indent=RULE_INDENT,
        )
        text.append(f"{rule}\n", style="dim italic")
        if index in expanded:
            for line in path_lines(result.derivation, record):
                indent = RULE_INDENT + " " * (len(line) - len(line.lstrip()))
                wrapped = textwrap.fill(
                    line.strip(),
                    width=max(width, 40) if width else 10_000,
                    initial_indent=indent,
                    subsequent_indent=indent + "  ",
                )
                text.append(f"{wrapped}\n", style=style)
    if revealed < len(stages):
        if revealed >= forward_count:  # the next stage is a product
            pending: TraceRecord = stages[revealed]  # type: ignore[assignment]
            if pending.target in predictions:
                _prediction(text, pending, predictions, verdicts)
                text.append("  n reveals the product.\n", style="dim")
                return _trimmed(text)
        if not prompting:  # the prompt says what to do; "n" would be typed into it
            text.append(_hint(revealed, forward_count), style="dim")
            text.append(_paths_hint(stages, revealed, expanded), style="dim")
    else:
        if result.update:
            text.append("\n" + result.update + "\n")
        text.append("\nDerivation complete: n moves on.", style="dim")
    return _trimmed(text)


def wrap_equation(line: str, width: int) -> list[str]:
    """``line`` in pieces of at most ``width`` columns, broken before an `` = `` or a shape story.

    Continuation pieces are indented so that their ``=`` sits under the first one.
    A piece that cannot be broken is left long (the widget wraps it).
    """
    if width <= 0 or len(line) <= width:
        return [line]
    pieces = [p for p in BREAKS.split(line) if p]
    hang = " " * (len(pieces[0]) + 1)
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + len(piece) <= width:
            lines[-1] += piece
        else:
            lines[-1] = lines[-1].rstrip()
            lines.append(hang + piece.strip())
    return lines


def _equation(marker: str, line: str, width: int) -> str:
    usable = width - len(marker) if width else 0
    pieces = wrap_equation(line, usable)
    return "".join(f"{marker if n == 0 else EARLIER}{piece}\n" for n, piece in enumerate(pieces))


def _prediction(
    text: Text, record: TraceRecord, predictions: dict[str, Answered], verdicts: dict[str, str]
) -> None:
    prediction = predictions.get(record.target)
    if prediction is None or prediction.outcome == "skipped":
        return
    text.append(f"{EARLIER}You predicted {record.target} = {prediction.answer}. ")
    message = verdicts.get(record.target) or _saved(prediction)
    text.append(f"{message}\n", style=OUTCOME_STYLES.get(prediction.outcome, "bold"))


def _saved(prediction: Answered) -> str:
    """How a prediction kept from an earlier session reads."""
    if prediction.result in SAVED_RESULTS:
        return SAVED_RESULTS[prediction.result].format(tries=prediction.tries)
    return SAVED_VERDICTS.get(prediction.outcome, "")


def feedback_text(status: str, lines: list[str]) -> Text:
    """The judge's feedback lines: the verdict in its outcome's style, the rest plain."""
    text = literal_text(lines[0], style=OUTCOME_STYLES.get(status, "bold"))
    for line in lines[1:]:
        text.append("\n" + line)
    return text


def _hint(revealed: int, forward_count: int) -> str:
    if revealed == 0:
        which = "forward pass, value by value" if forward_count else "backward pass"
        return f"Press n to start the {which}."
    if revealed < forward_count:
        return "n: next value · p: back"
    if revealed == forward_count:
        return "n: first product of the backward pass · p: back"
    return "n: next product · p: hide the last product"


def _paths_hint(
    stages: list[ForwardStep | TraceRecord], revealed: int, expanded: frozenset[int] | set[int]
) -> str:
    """`` · x: its paths`` when the newest product adds up several paths (else "")."""
    from tutor.engine.entry_paths import expandable
    from tutor.engine.trace import TraceRecord

    newest = stages[revealed - 1] if revealed else None
    if not isinstance(newest, TraceRecord) or not expandable(newest):
        return ""
    return " · x: hide its paths" if revealed - 1 in expanded else " · x: its paths, one by one"


def _trimmed(text: Text) -> Text:
    text.rstrip()
    return text


def graph_state(
    derivation: Derivation,
    stages: list[ForwardStep | TraceRecord],
    revealed: int,
    forward_count: int,
) -> GraphState:
    """Which values are known, which gradients found, and the node of the newest stage."""
    known = {node.label for node in derivation.graph if node.kind in ("input", "param", "target")}
    if forward_count == 0:
        known |= {node.label for node in derivation.graph}
    state = GraphState(known_values=known)
    for index, stage in enumerate(stages[:revealed]):
        if index < forward_count:
            known.add(stage.label)  # type: ignore[union-attr]
            continue
        record: TraceRecord = stage  # type: ignore[assignment]
        state.gradients[record.node] = record.value
        if record.partial:
            state.partial.add(record.node)
        else:
            state.partial.discard(record.node)
    if revealed:
        newest = stages[revealed - 1]
        state.backward = revealed > forward_count
        state.current = newest.node if state.backward else newest.label  # type: ignore[union-attr]
    return state
