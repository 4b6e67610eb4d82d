"""Dense networks: the spec a lesson or a file describes, and its full derivation.

``z_i = W_i·a_(i−1) + b_i``, ``a_i = act_i(z_i)``, ``a_0 = x``, ``y = a_L``; columns
are examples.  :func:`derive` builds the labelled graph, runs the forward and the
backward pass, and returns every value, gradient and chain-rule record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from tutor.engine import autodiff as ad
from tutor.engine.functions import fused
from tutor.engine.fused import bce_loss, sigmoid_output
from tutor.engine.trace import ForwardStep, TraceRecord

Array = NDArray[np.float64]


@dataclass(frozen=True)
class LayerSpec:
    """One dense layer: weights (n_out, n_in), optional bias (n_out, 1), activation."""

    W: Array
    b: Array | None
    activation: str

    @property
    def n_out(self) -> int:
        """Number of units."""
        return int(self.W.shape[0])

    @property
    def n_in(self) -> int:
        """Number of inputs."""
        return int(self.W.shape[1])


@dataclass(frozen=True)
class NetworkSpec:
    """A network with its data: input (n_in, m), target (n_out, m), loss, layers.

    ``test_input`` and ``test_target`` are examples held out of training (a data set
    made in code has them), to measure how well the trained network generalises.
    """

    input: Array
    target: Array
    loss: str
    layers: tuple[LayerSpec, ...]
    name: str = ""
    test_input: Array | None = None
    test_target: Array | None = None

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer widths from the input to the output: (2, 4, 1) for XOR."""
        return (self.layers[0].n_in, *(layer.n_out for layer in self.layers))

    @property
    def examples(self) -> int:
        """Number of examples m (columns of the input)."""
        return int(self.input.shape[1])

    def params(self) -> dict[str, Array]:
        """Every parameter by name: W1, b1, W2, … (layers without bias have no b)."""
        found: dict[str, Array] = {}
        for i, layer in enumerate(self.layers, start=1):
            found[f"W{i}"] = layer.W
            if layer.b is not None:
                found[f"b{i}"] = layer.b
        return found

    def parameter_count(self) -> int:
        """How many numbers training adjusts."""
        return sum(int(p.size) for p in self.params().values())

    def with_params(self, params: dict[str, Array]) -> NetworkSpec:
        """The same network with the named parameters replaced."""
        layers = tuple(
            replace(
                layer,
                W=np.asarray(params.get(f"W{i}", layer.W), dtype=np.float64),
                b=None if layer.b is None else np.asarray(params.get(f"b{i}", layer.b)),
            )
            for i, layer in enumerate(self.layers, start=1)
        )
        return replace(self, layers=layers)

    def with_data(self, input: Array, target: Array) -> NetworkSpec:
        """The same network on other examples."""
        return replace(self, input=np.asarray(input, float), target=np.asarray(target, float))


NodeKind = Literal["input", "param", "value", "target", "loss"]


@dataclass(frozen=True)
class GraphNode:
    """A node of the computational graph as the UI draws it."""

    label: str
    kind: NodeKind
    layer: int  # 0 for x, i for W_i/b_i/z_i/a_i, L+1 for t and L
    parents: tuple[str, ...]
    shape: tuple[int, ...]


@dataclass(frozen=True)
class Derivation:
    """Everything one forward and backward pass of a network computed."""

    spec: NetworkSpec
    loss: float
    values: dict[str, Array]  # x, z1, a1, …, aL
    gradients: dict[str, Array]  # W1, b1, …, z1, a1, … (not x)
    forward: tuple[ForwardStep, ...]
    trace: tuple[TraceRecord, ...]
    graph: tuple[GraphNode, ...] = field(default=())

    @property
    def output(self) -> Array:
        """The network's prediction y = a_L."""
        return self.values[f"a{len(self.spec.layers)}"]

    def record_for(self, target: str) -> TraceRecord:
        """The last (complete) record whose target is ``target``, e.g. ``"dL/dW2"``."""
        for record in reversed(self.trace):
            if record.target == target:
                return record
        raise KeyError(target)


def build_graph(spec: NetworkSpec) -> tuple[ad.Node, dict[str, ad.Node]]:
    """The labelled graph of ``spec``: the loss node and every node by label."""
    a = ad.leaf(spec.input, "x")
    nodes: dict[str, ad.Node] = {"x": a}
    from_logits = fused(spec.loss, spec.layers[-1].activation)
    for i, layer in enumerate(spec.layers, start=1):
        w = ad.leaf(layer.W, f"W{i}", requires_grad=True)
        b = None if layer.b is None else ad.leaf(layer.b, f"b{i}", requires_grad=True)
        z = ad.linear(w, a, b, label=f"z{i}")
        if from_logits and i == len(spec.layers):
            a = sigmoid_output(z, spec.target, f"a{i}")
        else:
            a = ad.activate(z, layer.activation, label=f"a{i}")
        nodes.update({w.label: w, z.label: z, a.label: a})
        if b is not None:
            nodes[b.label] = b
    target = ad.leaf(spec.target, "t")
    if from_logits:
        loss = bce_loss(a, target, nodes[f"z{len(spec.layers)}"])
    else:
        loss = ad.loss_node(a, target, spec.loss)
    nodes.update({"t": target, "L": loss})
    return loss, nodes


def derive(spec: NetworkSpec) -> Derivation:
    """Run the forward and the backward pass of ``spec``, keeping every record."""
    with np.errstate(all="ignore"):
        loss, nodes = build_graph(spec)
        trace = ad.backward(loss)
    graph = tuple(
        GraphNode(
            label=label,
            kind=kind,
            layer=layer,
            parents=tuple(p.label for p in nodes[label].parents),
            shape=tuple(nodes[label].value.shape),
        )
        for label, kind, layer in _labels(spec)
    )
    return Derivation(
        spec=spec,
        loss=float(loss.value),
        values={label: nodes[label].value for label in _of_kind(graph, "input", "value")},
        gradients=ad.grads_of(nodes[label] for label in _of_kind(graph, "param", "value")),
        forward=tuple(nodes[label].forward_step() for label in _of_kind(graph, "value", "loss")),
        trace=tuple(trace),
        graph=graph,
    )


def _of_kind(graph: tuple[GraphNode, ...], *kinds: NodeKind) -> list[str]:
    return [node.label for node in graph if node.kind in kinds]


def _labels(spec: NetworkSpec) -> list[tuple[str, NodeKind, int]]:
    """Every node of the network's graph in drawing order: label, kind and layer."""
    found: list[tuple[str, NodeKind, int]] = [("x", "input", 0)]
    for i, layer in enumerate(spec.layers, start=1):
        found.append((f"W{i}", "param", i))
        if layer.b is not None:
            found.append((f"b{i}", "param", i))
        found += [(f"z{i}", "value", i), (f"a{i}", "value", i)]
    last = len(spec.layers) + 1
    return [*found, ("t", "target", last), ("L", "loss", last)]


def sgd_step(spec: NetworkSpec, lr: float) -> NetworkSpec:
    """The network after one gradient-descent step: θ ← θ − lr·dL/dθ (a step too large for
    floating point gives infinite parameters, quietly: the caller says what that means)."""
    gradients = derive(spec).gradients
    with np.errstate(over="ignore", invalid="ignore"):
        stepped = {name: p - lr * gradients[name] for name, p in spec.params().items()}
    return spec.with_params(stepped)
