"""Which values and gradients of a derivation's graph are known after some stages are revealed.

Provides :func:`graph_state` for the graph view; the words beside the graph are
:mod:`tutor.present.derivation`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.tui.widgets.derivation.graph_layout import GraphState

if TYPE_CHECKING:
    from tutor.engine import Derivation, ForwardStep, TraceRecord


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
