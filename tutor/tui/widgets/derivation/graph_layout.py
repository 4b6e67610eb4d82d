"""Text layouts of a derivation's computational graph: one row across, or a compact column.

The horizontal layout puts the main chain ``x ─▶ z1 ─▶ a1 ─▶ … ─▶ L`` on one row,
the parameters (and the target) feeding in from a row above, and under every
node its value and then its gradient dL/d(node) once the backward pass has
found it.  The vertical layout lists the same nodes top to bottom, one per row,
for widths where the horizontal one does not fit.  Both only arrange strings
the :class:`GraphCells` hold; the numbers come from the engine's derivation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.content import Content

from tutor.text.numbers import format_number, format_shape
from tutor.tui.literal import literal

if TYPE_CHECKING:
    import numpy as np

    from tutor.engine import Derivation

SIDE_KINDS = ("param", "target")
ARROW_GAP = 3  # "─▶ " after a chain column (whose label is followed by at least one space)
SIDE_GAP = 2  # between two parameters over one node
LEGEND = "Under each node: its value, then dL/d(node) once found."
PARTIAL_MARK = "…"
CURRENT_STYLE = "reverse bold"
GRADIENT_STYLE = "green"
PAD_STYLE = "dim"
"""Padding between cells: invisible, but kept apart from the numbers in SVG screenshots."""


@dataclass
class GraphState:
    """What the graph shows: values known, gradients found, the highlighted node."""

    known_values: set[str] = field(default_factory=set)
    gradients: dict[str, np.ndarray] = field(default_factory=dict)
    partial: set[str] = field(default_factory=set)
    current: str | None = None
    backward: bool = False
    """Whether ``current`` is the node of a chain-rule product (else of a forward value)."""


def short(value: np.ndarray) -> str:
    """A number for a single value, else the array's shape."""
    if value.size == 1:
        return format_number(value.item())
    return format_shape(tuple(value.shape))


@dataclass(frozen=True)
class Column:
    """One chain node and the parameters that feed it, with the width they need."""

    node: str
    sides: tuple[str, ...]
    width: int


class GraphCells:
    """The strings of every node of one derivation, and the column widths they need."""

    def __init__(self, derivation: Derivation) -> None:
        self.derivation = derivation
        graph = derivation.graph
        self.chain = [node for node in graph if node.kind not in SIDE_KINDS]
        labels = {node.label for node in graph}
        self.sides: dict[str, tuple[str, ...]] = {}
        previous: str | None = None
        for node in self.chain:
            self.sides[node.label] = tuple(p for p in node.parents if p != previous and p in labels)
            previous = node.label
        self.partial_nodes = {r.node for r in derivation.trace if r.partial}
        self._gradient_widths: dict[str, int] = {}
        for record in derivation.trace:
            width = len(short(record.value)) + (len(PARTIAL_MARK) if record.partial else 0)
            self._gradient_widths[record.node] = max(
                width, self._gradient_widths.get(record.node, 0)
            )

    def value(self, label: str, state: GraphState) -> str:
        """The node's value as text, or ``?`` before the forward pass reaches it."""
        if label not in state.known_values:
            return "?"
        derivation = self.derivation
        if label == "L":
            return format_number(derivation.loss)
        params = derivation.spec.params()
        if label in params:
            return short(params[label])
        if label == "t":
            return short(derivation.spec.target)
        return short(derivation.values[label])

    def gradient(self, label: str, state: GraphState) -> str:
        """dL/d(label) as found so far, or an empty string."""
        found = state.gradients.get(label)
        if found is None:
            return ""
        return short(found) + (PARTIAL_MARK if label in state.partial else "")

    def cell_width(self, label: str) -> int:
        """The widest of the node's label, value and every gradient it will show."""
        full = GraphState(known_values={label})
        return max(len(label), len(self.value(label, full)), self._gradient_widths.get(label, 0))

    def columns(self) -> list[Column]:
        """The chain nodes in order, each as wide as its cells; parameters above may overhang
        the arrow to the next node."""
        result = []
        for index, node in enumerate(self.chain):
            last = index == len(self.chain) - 1
            sides = self.sides[node.label]
            above = sum(self.cell_width(s) for s in sides) + SIDE_GAP * max(len(sides) - 1, 0)
            own = self.cell_width(node.label) if last else len(node.label) + 1
            width = max(own, self.cell_width(node.label), above - (0 if last else ARROW_GAP))
            result.append(Column(node.label, sides, width))
        return result

    def horizontal_width(self) -> int:
        """Columns the horizontal layout needs."""
        columns = self.columns()
        return sum(c.width for c in columns) + ARROW_GAP * (len(columns) - 1)


class _Row:
    """Styled pieces of one line (or several) of the graph, measured as they are added."""

    def __init__(self) -> None:
        self.pieces: list[Content] = []
        self.cell_len = 0

    def append(self, text: str, style: str = "") -> None:
        """``text`` in ``style`` at the end."""
        piece = literal(text, style)
        self.pieces.append(piece)
        self.cell_len += piece.cell_length

    def content(self) -> Content:
        """The pieces as one Content."""
        return Content.assemble(*self.pieces)


def _styled(label: str, state: GraphState, base: str) -> str:
    return CURRENT_STYLE if label == state.current else base


def horizontal(cells: GraphCells, state: GraphState) -> Content:
    """The chain on one row, parameters above, values and gradients below every node."""
    columns = cells.columns()
    rows = [_Row() for _ in range(7)]  # side label, value, gradient; connector; node ×3
    for index, column in enumerate(columns):
        span = column.width + (0 if index == len(columns) - 1 else ARROW_GAP)
        _side_cells(rows[:4], cells, state, column, span)
        _node_cells(rows[4:], cells, state, column, span)
    lines = [row.content().rstrip() for row in rows]
    return Content("\n").join([*lines, literal(LEGEND, "dim")])


def _side_cells(
    rows: list[_Row], cells: GraphCells, state: GraphState, column: Column, span: int
) -> None:
    """The parameters over one column, and ``▼──┴──┘`` joining them to its node."""
    start = rows[0].cell_len
    offsets: list[int] = []
    for side in column.sides:
        offsets.append(rows[0].cell_len - start + (SIDE_GAP if offsets else 0))
        value = cells.value(side, state)
        for row, content, style in (
            (rows[0], side, _styled(side, state, "bold")),
            (rows[1], value, "dim" if value == "?" else ""),
            (rows[2], cells.gradient(side, state), _gradient_style(side, state)),
        ):
            row.append(" " * (start + offsets[-1] - row.cell_len), style=PAD_STYLE)
            _cell(row, content, cells.cell_width(side), style)
    for row in rows[:3]:
        row.append(" " * (start + span - row.cell_len), style=PAD_STYLE)
    connector = [" "] * span
    if offsets:
        connector[: offsets[-1]] = "─" * offsets[-1]
        for offset in offsets[1:-1]:
            connector[offset] = "┴"
        connector[offsets[-1]] = "┘"
        connector[0] = "▼"
    rows[3].append("".join(connector), style="dim")


def _node_cells(
    rows: list[_Row], cells: GraphCells, state: GraphState, column: Column, span: int
) -> None:
    """One chain node: its label with the arrow to the next, its value, its gradient."""
    label = column.node
    rows[0].append(label, style=_styled(label, state, "bold"))
    if span > column.width:
        rows[0].append(" " + "─" * (column.width - len(label) - 1) + "─▶ ", style="dim")
    value = cells.value(label, state)
    forward_current = label == state.current and not state.backward
    value_style = "dim" if value == "?" else ("reverse bold" if forward_current else "")
    _cell(rows[1], value, span, value_style)
    _cell(rows[2], cells.gradient(label, state), span, _gradient_style(label, state))


def _cell(row: _Row, content: str, width: int, style: str) -> None:
    """``content`` in ``style``, then spaces up to ``width`` (unstyled, so no highlight spills)."""
    row.append(content, style=style)
    row.append(" " * (width - len(content)), style=PAD_STYLE)


def _gradient_style(label: str, state: GraphState) -> str:
    """Green; reversed for the gradient the newest product just found."""
    if label == state.current and state.backward:
        return f"reverse bold {GRADIENT_STYLE}"
    return GRADIENT_STYLE


def vertical(cells: GraphCells, state: GraphState) -> Content:
    """Every node on its own row, top to bottom: ``├◂`` for a parameter, ``▼`` for the chain."""
    entries: list[tuple[str, str]] = []
    for index, node in enumerate(cells.chain):
        entries += [("├◂ ", side) for side in cells.sides[node.label]]
        entries.append(("▼ " if index else "  ", node.label))
    label_width = max(len(prefix + label) for prefix, label in entries) + 2
    value_width = (
        max(len(cells.value(label, GraphState(known_values={label}))) for _, label in entries) + 2
    )
    text = _Row()
    text.append(f"{'node':<{label_width}}{'value':<{value_width}}dL/d(node)", style="dim")
    for prefix, label in entries:
        text.append("\n")
        text.append(prefix, style="dim")
        style = _styled(label, state, "bold")
        text.append(f"{label:<{label_width - len(prefix)}}", style=style)
        value = cells.value(label, state)
        _cell(text, value, value_width, "dim" if value == "?" else "")
        text.append(cells.gradient(label, state), style=_gradient_style(label, state))
    return text.content()
