"""The text and graph state of a derivation after some stages are revealed.

Pure layout of the engine's records: each line is ``forward_line`` or
``record_line`` from :mod:`tutor.derivation_text`, with the rule in words, the
learner's predictions and the update after the last product.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from tutor.ui.widgets.graph_view import GraphState

if TYPE_CHECKING:
    from tutor.engine import Derivation, ForwardStep, TraceRecord
    from tutor.progress import Prediction

OUTCOME_STYLES = {"correct": "bold green", "close": "bold yellow", "wrong": "bold red"}
CURRENT = "▶ "
EARLIER = "  "


def derivation_lines(
    result: Any,
    stages: list[ForwardStep | TraceRecord],
    revealed: int,
    forward_count: int,
    *,
    predictions: dict[str, Prediction],
    verdicts: dict[str, str],
) -> Text:
    """The revealed part of a derivation as text, newest line marked, with a hint at the end."""
    from tutor.derivation_text import forward_line, record_line, record_value

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
            text.append(f"{marker}{forward_line(stage)}\n", style=style)  # type: ignore[arg-type]
            continue
        record: TraceRecord = stage  # type: ignore[assignment]
        _prediction(text, record, predictions, verdicts)
        text.append(f"{marker}{record_line(record)}\n", style=style)
        if not record.is_scalar:
            for row in record_value(record).splitlines():
                text.append(f"      {row}\n", style=style)
        text.append(f"      {record.rule}\n", style="dim italic")
    if revealed < len(stages):
        if revealed >= forward_count:  # the next stage is a product
            pending: TraceRecord = stages[revealed]  # type: ignore[assignment]
            if pending.target in predictions:
                _prediction(text, pending, predictions, verdicts)
                text.append("  n reveals the product.\n", style="dim")
                return _trimmed(text)
        text.append(_hint(revealed, forward_count), style="dim")
    else:
        if result.update:
            text.append("\n" + result.update + "\n")
        text.append("\nDerivation complete: n moves on.", style="dim")
    return _trimmed(text)


def _prediction(
    text: Text, record: TraceRecord, predictions: dict[str, Prediction], verdicts: dict[str, str]
) -> None:
    prediction = predictions.get(record.target)
    if prediction is None:
        return
    text.append(f"{EARLIER}You predicted {record.target} = {prediction.answer}. ")
    message = verdicts.get(record.target) or prediction.outcome.capitalize() + "."
    text.append(f"{message}\n", style=OUTCOME_STYLES.get(prediction.outcome, "bold"))


def _hint(revealed: int, forward_count: int) -> str:
    if revealed == 0:
        which = "forward pass, value by value" if forward_count else "backward pass"
        return f"Press n to start the {which}."
    if revealed < forward_count:
        return "n: next value · p: back"
    if revealed == forward_count:
        return "n: first product of the backward pass · p: back"
    return "n: next product · p: hide the last product"


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
        state.current = newest.label if revealed <= forward_count else newest.node  # type: ignore[union-attr]
    return state
