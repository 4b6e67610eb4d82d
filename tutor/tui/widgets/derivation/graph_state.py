"""Which values and gradients of a derivation's graph are known after some stages are revealed.

Provides :func:`graph_state` for the graph view; the words beside the graph are
:mod:`tutor.present.derivation`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.engine.trace import TraceRecord
from tutor.tui.widgets.derivation.graph_layout import GraphState

if TYPE_CHECKING:
    from tutor.engine import Derivation, ForwardStep


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
    for stage in stages[:revealed]:
        if not isinstance(stage, TraceRecord):  # a forward step
            known.add(stage.label)
            continue
        state.gradients[stage.node] = stage.value
        if stage.partial:
            state.partial.add(stage.node)
        else:
            state.partial.discard(stage.node)
    if revealed:
        newest = stages[revealed - 1]
        state.backward = isinstance(newest, TraceRecord)
        state.current = newest.node if isinstance(newest, TraceRecord) else newest.label
    return state
