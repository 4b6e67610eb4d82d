"""Nodes of the computation graph and the backward pass that narrates itself.

A :class:`Node` holds a value, a learner-readable label and a local backward
rule (written by the operations in ``ops``).  :func:`backward` walks the graph
from the loss in reverse topological order; every gradient contribution it
computes is returned as a :class:`~tutor.engine.trace.TraceRecord` at the moment
it is computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from tutor.engine.trace import Factor, ForwardStep, TraceRecord

Array = NDArray[np.float64]
Contribution = tuple["Node", TraceRecord]
BackwardRule = Callable[[Array], list[Contribution]]


class Node:
    """A value in the computation graph."""

    __slots__ = (
        "backward_rule",
        "formula",
        "grad",
        "label",
        "on_the_way",
        "parents",
        "requires_grad",
        "rule",
        "value",
    )

    def __init__(
        self,
        value: Array | float,
        label: str,
        *,
        parents: Sequence[Node] = (),
        requires_grad: bool | None = None,
        formula: str = "",
        rule: str = "",
    ) -> None:
        self.value = np.asarray(value, dtype=np.float64)
        self.label = label
        self.parents: tuple[Node, ...] = tuple(parents)
        if requires_grad is None:
            requires_grad = any(p.requires_grad for p in self.parents)
        self.requires_grad: bool = requires_grad
        self.formula = formula
        self.rule = rule
        self.grad: Array | None = None
        self.backward_rule: BackwardRule | None = None
        self.on_the_way: tuple[Factor, ...] = ()  # shown with the value (a softmax loss's p)

    @property
    def gradient(self) -> Array:
        """``grad`` once :func:`backward` has reached this node (``ValueError`` before)."""
        if self.grad is None:
            raise ValueError(f"{self.label} has no gradient: backward has not reached it")
        return self.grad

    def __repr__(self) -> str:
        return f"Node({self.label!r}, shape={self.value.shape})"

    def forward_step(self) -> ForwardStep:
        """How this node's value was computed, for the forward-pass display."""
        return ForwardStep(
            label=self.label,
            formula=self.formula,
            inputs=tuple(Factor(p.label, p.value) for p in self.parents),
            value=self.value,
            rule=self.rule,
            on_the_way=self.on_the_way,
        )


def leaf(value: Array | float, label: str, *, requires_grad: bool = False) -> Node:
    """An input, target or parameter: a node with no parents."""
    return Node(value, label, requires_grad=requires_grad)


def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` over the axes NumPy broadcast to reach it from ``shape``."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad.reshape(shape)


def d(num: Node, den: Node) -> str:
    """The name of a derivative: ``d(a2, z2)`` is ``"da2/dz2"``."""
    return f"d{num.label}/d{den.label}"


def link(out: Node, parent: Node, upstream: Array, local: Array | float, rule: str) -> Contribution:
    """The elementwise chain-rule product dL/dparent = dL/dout × dout/dparent."""
    local = np.asarray(local, dtype=np.float64)
    value = unbroadcast(upstream * local, parent.value.shape)
    record = TraceRecord(
        target=f"dL/d{parent.label}",
        node=parent.label,
        via=out.label,
        factors=(Factor(f"dL/d{out.label}", upstream), Factor(d(out, parent), local)),
        value=value,
        rule=rule,
    )
    return parent, record


def make_node(
    value: Array,
    label: str,
    parents: Sequence[Node],
    formula: str,
    rule: str,
    backward_rule: Callable[[Node, Array], list[Contribution]],
) -> Node:
    node = Node(value, label, parents=parents, formula=formula, rule=rule)
    node.backward_rule = lambda g: [c for c in backward_rule(node, g) if c[0].requires_grad]
    return node


def topological_order(root: Node) -> list[Node]:
    """Nodes reachable from ``root``, each after all of its parents."""
    order: list[Node] = []
    seen: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    return order


def backward(root: Node) -> list[TraceRecord]:
    """Fill ``grad`` of every node that needs one; return the records in order.

    A node used in several places receives several partial records and then a
    ``sum`` record that adds them up.
    """
    order = topological_order(root)
    for node in order:
        node.grad = None
    root.grad = np.ones_like(root.value)
    pending: dict[int, list[TraceRecord]] = {}
    records: list[TraceRecord] = []
    for node in reversed(order):
        parts = pending.pop(id(node), [])
        if len(parts) == 1:
            node.grad = parts[0].value
        elif parts:
            records.append(_sum_record(node, parts))
            node.grad = records[-1].value
        if node.grad is None or node.backward_rule is None:
            continue
        for parent, record in node.backward_rule(node.grad):
            pending.setdefault(id(parent), []).append(record)
            records.append(record)
    return _mark_partials(records)


def _sum_record(node: Node, parts: list[TraceRecord]) -> TraceRecord:
    return TraceRecord(
        target=f"dL/d{node.label}",
        node=node.label,
        via=", ".join(p.via for p in parts),
        factors=tuple(Factor(f"{p.target} via {p.via}", p.value) for p in parts),
        value=sum((p.value for p in parts[1:]), start=parts[0].value.copy()),
        rule=f"{node.label} is used {len(parts)} times: its gradient is the sum of the paths",
        combine="sum",
    )


def _mark_partials(records: list[TraceRecord]) -> list[TraceRecord]:
    summed = {r.node for r in records if r.combine == "sum"}
    return [
        replace(r, partial=True) if r.node in summed and r.combine != "sum" else r for r in records
    ]


def grads_of(nodes: Iterable[Node]) -> dict[str, Array]:
    """The gradients found for ``nodes``, by label (nodes without one are left out)."""
    return {n.label: n.grad for n in nodes if n.grad is not None}
