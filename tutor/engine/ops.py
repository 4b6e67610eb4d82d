"""The operations of the autodiff, each with its local chain-rule step in words.

Elementwise arithmetic with broadcasting, reductions, matrix products, a dense
layer's weighted sum, the activations and the losses.  Each builds a
:class:`~tutor.engine.graph.Node` whose backward rule emits one record per parent.
"""

from __future__ import annotations

import numpy as np

from tutor.engine.functions import ACTIVATIONS, LOSSES
from tutor.engine.functions import log_softmax as log_softmax_values
from tutor.engine.functions import softmax as softmax_values
from tutor.engine.graph import Array, Contribution, Node, d, link, make_node
from tutor.engine.trace import Factor, TraceRecord

# Elementwise and broadcasting arithmetic ------------------------------------------


def add(a: Node, b: Node, label: str | None = None) -> Node:
    """a + b, with broadcasting."""
    label = label or f"({a.label} + {b.label})"
    return make_node(
        a.value + b.value,
        label,
        (a, b),
        f"{a.label} + {b.label}",
        "addition",
        lambda out, g: [
            link(out, a, g, 1.0, f"{out.label} = {a.label} + {b.label}, so {d(out, a)} = 1"),
            link(out, b, g, 1.0, f"{out.label} = {a.label} + {b.label}, so {d(out, b)} = 1"),
        ],
    )


def sub(a: Node, b: Node, label: str | None = None) -> Node:
    """a − b, with broadcasting."""
    label = label or f"({a.label} − {b.label})"
    return make_node(
        a.value - b.value,
        label,
        (a, b),
        f"{a.label} − {b.label}",
        "subtraction",
        lambda out, g: [
            link(out, a, g, 1.0, f"{out.label} = {a.label} − {b.label}, so {d(out, a)} = 1"),
            link(out, b, g, -1.0, f"{out.label} = {a.label} − {b.label}, so {d(out, b)} = −1"),
        ],
    )


def mul(a: Node, b: Node, label: str | None = None) -> Node:
    """a × b elementwise, with broadcasting."""
    label = label or f"{a.label}·{b.label}"
    return make_node(
        a.value * b.value,
        label,
        (a, b),
        f"{a.label} × {b.label}",
        "elementwise product",
        lambda out, g: [
            link(
                out, a, g, b.value, f"{out.label} = {a.label}·{b.label}, so {d(out, a)} = {b.label}"
            ),
            link(
                out, b, g, a.value, f"{out.label} = {a.label}·{b.label}, so {d(out, b)} = {a.label}"
            ),
        ],
    )


def power(a: Node, exponent: float, label: str | None = None) -> Node:
    """a ** exponent elementwise (exponent a constant)."""
    label = label or f"{a.label}^{exponent:g}"
    with np.errstate(divide="ignore", invalid="ignore"):
        local = exponent * a.value ** (exponent - 1)
    return make_node(
        a.value**exponent,
        label,
        (a,),
        f"{a.label}^{exponent:g}",
        "power",
        lambda out, g: [
            link(
                out,
                a,
                g,
                local,
                f"power rule: d({a.label}^{exponent:g}) = {exponent:g}·{a.label}^{exponent - 1:g}",
            )
        ],
    )


def square(a: Node, label: str | None = None) -> Node:
    """a² elementwise."""
    return power(a, 2.0, label or f"{a.label}²")


def exp(a: Node, label: str | None = None) -> Node:
    """e ** a elementwise."""
    label = label or f"exp({a.label})"
    value = np.exp(a.value)
    return make_node(
        value,
        label,
        (a,),
        f"exp({a.label})",
        "exponential",
        lambda out, g: [link(out, a, g, value, f"d exp({a.label}) = exp({a.label})")],
    )


def log(a: Node, label: str | None = None) -> Node:
    """Natural log elementwise."""
    label = label or f"log({a.label})"
    with np.errstate(divide="ignore", invalid="ignore"):
        value, local = np.log(a.value), 1.0 / a.value
    return make_node(
        value,
        label,
        (a,),
        f"log({a.label})",
        "natural logarithm",
        lambda out, g: [link(out, a, g, local, f"d log({a.label}) = 1/{a.label}")],
    )


# Reductions -------------------------------------------------------------------------


def sum_(a: Node, axis: int | None = None, label: str | None = None) -> Node:
    """Sum over ``axis`` (all axes when None), keeping reduced axes as size 1."""
    label = label or f"Σ{a.label}"
    value = np.asarray(np.sum(a.value, axis=axis, keepdims=axis is not None))
    return make_node(
        value,
        label,
        (a,),
        f"Σ {a.label}",
        "sum",
        lambda out, g: [
            (
                a,
                _spread(
                    out,
                    a,
                    np.broadcast_to(g, a.value.shape),
                    1.0,
                    "a sum passes its gradient to every term",
                ),
            )
        ],
    )


def mean(a: Node, axis: int | None = None, label: str | None = None) -> Node:
    """Mean over ``axis`` (all axes when None), keeping reduced axes as size 1."""
    label = label or f"mean({a.label})"
    count = a.value.size if axis is None else a.value.shape[axis]
    value = np.mean(a.value, axis=axis, keepdims=axis is not None)
    return make_node(
        value,
        label,
        (a,),
        f"mean({a.label})",
        "mean",
        lambda out, g: [
            (
                a,
                _spread(
                    out,
                    a,
                    np.broadcast_to(g, a.value.shape),
                    1.0 / count,
                    f"a mean over {count} passes 1/{count} of its gradient to every term",
                ),
            )
        ],
    )


def _spread(out: Node, a: Node, upstream: Array, local: float, rule: str) -> TraceRecord:
    return link(out, a, upstream, np.full(a.value.shape, local), rule)[1]


# Matrix products ------------------------------------------------------------------


def matmul(a: Node, b: Node, label: str | None = None) -> Node:
    """The matrix product a · b."""
    label = label or f"{a.label}·{b.label}"
    return make_node(
        a.value @ b.value,
        label,
        (a, b),
        f"{a.label}·{b.label}",
        "matrix product",
        lambda out, g: [_matmul_left(out, a, b, g), _matmul_right(out, a, b, g)],
    )


def linear(w: Node, a: Node, b: Node | None, label: str) -> Node:
    """One dense layer's pre-activation z = W·a + b (b optional, broadcast over columns)."""
    value = w.value @ a.value
    formula = f"{w.label}·{a.label}"
    if b is not None:
        value = value + b.value
        formula += f" + {b.label}"
    parents = (w, a) if b is None else (w, a, b)

    def rule(out: Node, g: Array) -> list[Contribution]:
        found = [_matmul_left(out, w, a, g)]
        if b is not None:
            why = f"{out.label} = {formula}, so {d(out, b)} = 1"
            if g.shape[1] > 1:
                why += " (summed over the examples)"
            found.append(link(out, b, g, 1.0, why))
        found.append(_matmul_right(out, w, a, g))
        return found

    return make_node(value, label, parents, formula, "weighted sum", rule)


def _matmul_left(out: Node, a: Node, b: Node, g: Array) -> Contribution:
    """dL/da for out = a·b: dL/dout · bᵀ."""
    record = TraceRecord(
        target=f"dL/d{a.label}",
        node=a.label,
        via=out.label,
        factors=(Factor(f"dL/d{out.label}", g), Factor(d(out, a), b.value)),
        value=g @ b.value.T,
        rule=f"{out.label} = {out.formula}, so {d(out, a)} = {b.label}",
        combine="matmul_rt",
    )
    return a, record


def _matmul_right(out: Node, a: Node, b: Node, g: Array) -> Contribution:
    """dL/db for out = a·b: aᵀ · dL/dout."""
    record = TraceRecord(
        target=f"dL/d{b.label}",
        node=b.label,
        via=out.label,
        factors=(Factor(f"dL/d{out.label}", g), Factor(d(out, b), a.value)),
        value=a.value.T @ g,
        rule=f"{out.label} = {out.formula}, so {d(out, b)} = {a.label}",
        combine="lt_matmul",
    )
    return b, record


# Activations and losses ---------------------------------------------------------


def activate(z: Node, name: str, label: str) -> Node:
    """An activation from :data:`~tutor.engine.functions.ACTIVATIONS` applied to z."""
    act = ACTIVATIONS[name]
    value = act.forward(z.value)
    local = act.derivative(z.value, value)
    formula = f"{act.formula}({z.label})" if act.formula else z.label
    rule_text = act.derivative_rule.format(z=z.label, a=label)
    return make_node(
        value,
        label,
        (z,),
        formula,
        act.name,
        lambda out, g: [link(out, z, g, local, rule_text)],
    )


def sigmoid(z: Node, label: str | None = None) -> Node:
    """σ(z) elementwise."""
    return activate(z, "sigmoid", label or f"σ({z.label})")


def tanh(z: Node, label: str | None = None) -> Node:
    """tanh(z) elementwise."""
    return activate(z, "tanh", label or f"tanh({z.label})")


def relu(z: Node, label: str | None = None) -> Node:
    """max(z, 0) elementwise."""
    return activate(z, "relu", label or f"relu({z.label})")


def identity(z: Node, label: str | None = None) -> Node:
    """z unchanged (a linear activation)."""
    return activate(z, "linear", label or f"id({z.label})")


def log_softmax(z: Node, axis: int = 0, label: str | None = None) -> Node:
    """log(softmax(z)) along ``axis`` (down the columns by default)."""
    label = label or f"logsoftmax({z.label})"
    value = log_softmax_values(z.value, axis=axis)
    probabilities = np.exp(value)

    def rule(out: Node, g: Array) -> list[Contribution]:
        record = TraceRecord(
            target=f"dL/d{z.label}",
            node=z.label,
            via=out.label,
            factors=(Factor(f"dL/d{out.label}", g), Factor(f"softmax({z.label})", probabilities)),
            value=g - probabilities * np.sum(g, axis=axis, keepdims=True),
            rule="through log-softmax: its Jacobian is I − softmax(z) along each column",
            combine="softmax",
        )
        return [(z, record)]

    return make_node(value, label, (z,), f"log softmax({z.label})", "log-softmax", rule)


def softmax(z: Node, axis: int = 0, label: str | None = None) -> Node:
    """softmax(z) along ``axis``, as exp(log_softmax(z))."""
    return exp(log_softmax(z, axis=axis), label=label or f"softmax({z.label})")


def loss_node(y: Node, target: Node, name: str, label: str = "L") -> Node:
    """A loss from :data:`~tutor.engine.functions.LOSSES`: mean over the columns."""
    loss = LOSSES[name]
    local = [Factor(n, np.asarray(v)) for n, v in loss.local(y.value, target.value, y.label)]
    node = mean_loss(y, target, name, loss.value(y.value, target.value), local, label)
    if name == "cross_entropy":  # the probabilities the loss compares with t
        node.on_the_way = (Factor(f"p = softmax({y.label})", softmax_values(y.value)),)
    return node


def mean_loss(
    y: Node, target: Node, name: str, value: float, local: list[Factor], label: str = "L"
) -> Node:
    """The loss node ``name`` of value ``value``, a mean over the m columns of ``y``.

    ``local`` holds the factors of one example's dL/dy; the record of dL/dy adds
    the 1/m of the mean (and the upstream gradient, if the loss is not the root).
    """
    loss = LOSSES[name]
    m = y.value.shape[1]

    def rule(out: Node, g: Array) -> list[Contribution]:
        factors = list(local)
        if not np.all(g == 1.0):
            factors.insert(0, Factor(f"dL/d{out.label}", np.asarray(g)))
        if m > 1:
            factors.append(Factor("1/m", np.asarray(1.0 / m)))
        product = np.ones((), dtype=np.float64)
        for factor in factors:
            product = product * factor.value
        record = TraceRecord(
            target=f"dL/d{y.label}",
            node=y.label,
            via=out.label,
            factors=tuple(factors),
            value=np.broadcast_to(product, y.value.shape).copy(),
            rule=loss.rule.format(y=y.label)
            + (f", averaged over the m = {m} examples" if m > 1 else ""),
        )
        return [(y, record)]

    formula = loss.formula.format(y=y.label)
    if m > 1:
        formula = f"(1/m)·{formula}"  # the mean over the m examples
    return make_node(np.asarray(value), label, (y, target), formula, loss.name, rule)
