"""The computational graph of a derivation, drawn top to bottom in the terminal.

The main chain x → z1 → a1 → … → L runs down the left; the parameters W_i, b_i
(and the target t) join the node they feed with ``├◂``.  Each node shows its value
(a number, or the shape of an array) once the forward pass has reached it and the
gradient dL/d(node) once the backward pass has revealed a product for it; the node
of the current product is highlighted.  Everything shown comes from the engine's
:class:`~tutor.engine.Derivation`; this widget only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from tutor.numbers import format_number, format_shape

if TYPE_CHECKING:
    import numpy as np

    from tutor.engine import Derivation, GraphNode

SIDE_KINDS = ("param", "target")
LABEL_WIDTH, VALUE_WIDTH = 6, 9


@dataclass
class GraphState:
    """What the graph shows: values known, gradients found, the highlighted node."""

    known_values: set[str] = field(default_factory=set)
    gradients: dict[str, np.ndarray] = field(default_factory=dict)
    partial: set[str] = field(default_factory=set)
    current: str | None = None


def short(value: np.ndarray) -> str:
    """A number for a single value, else the array's shape."""
    if value.size == 1:
        return format_number(value.item())
    return format_shape(tuple(value.shape))


class GraphView(Widget):
    """Nodes of the derivation's graph with values, gradients so far and the current node."""

    DEFAULT_CSS = """
    GraphView { width: auto; height: auto; min-width: 26; padding: 0 1; }
    """

    def __init__(self, derivation: Derivation, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.derivation = derivation
        self.state = GraphState()

    def show(self, state: GraphState) -> None:
        """Redraw with ``state``."""
        self.state = state
        self.refresh(layout=True)

    @property
    def highlighted(self) -> str | None:
        """The label of the highlighted node, if any."""
        return self.state.current

    def render(self) -> Text:
        nodes = {node.label: node for node in self.derivation.graph}
        chain = [n for n in self.derivation.graph if n.kind not in SIDE_KINDS]
        text = Text()
        text.append(f"{'node':<{LABEL_WIDTH}}{'value':<{VALUE_WIDTH}}dL/d(node)\n", style="dim")
        previous: GraphNode | None = None
        for node in chain:
            if previous is not None:
                sides = [nodes[p] for p in node.parents if p != previous.label and p in nodes]
                text.append("│\n", style="dim")
                for side in sides:
                    self._row(text, side, "├◂ ")
                text.append("▼\n", style="dim")
            self._row(text, node, "")
            previous = node
        text.rstrip()
        return text

    def _row(self, text: Text, node: GraphNode, prefix: str) -> None:
        state = self.state
        label = f"{prefix}{node.label}"
        value = self._value(node)
        style = "reverse bold" if node.label == state.current else ""
        text.append(f"{label:<{LABEL_WIDTH}}", style=style or ("dim" if prefix else "bold"))
        text.append(f"{value:<{VALUE_WIDTH}}", style=style)
        gradient = state.gradients.get(node.label)
        if gradient is not None:
            mark = " (part)" if node.label in state.partial else ""
            text.append(f"{short(gradient)}{mark}", style=style or "green")
        text.append("\n")

    def _value(self, node: GraphNode) -> str:
        if node.label not in self.state.known_values:
            return "?"
        if node.label == "L":
            return format_number(self.derivation.loss)
        params = self.derivation.spec.params()
        if node.label in params:
            return short(params[node.label])
        if node.label == "t":
            return short(self.derivation.spec.target)
        return short(self.derivation.values[node.label])
