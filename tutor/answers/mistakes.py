"""Known mistakes: a wrong answer's value with a name and a description for the learner.

Provides :class:`Mistake`, the :data:`CATALOGUE` of named mistakes (their words
fitted to the question: the activation's own symbol, the layer, the parameter),
:func:`mistake` (a catalogue entry with its value) and :func:`sign_flipped`.  The
values come from the engine (:mod:`tutor.engine.variants` runs a derivation done
wrong on purpose); this module only names them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.answers.types import Value


@dataclass(frozen=True, eq=False)
class Mistake:
    """A known wrong answer: ``value`` is what the mistake would give."""

    name: str
    description: str
    value: Value


CATALOGUE: dict[str, tuple[str, str]] = {
    "variance for std": (
        "the variance, not the standard deviation",
        "that is the variance of the weights; the standard deviation is its square root.",
    ),
    "other init scheme": (
        "{other} instead of {scheme}",
        "that is the {other} scale; {scheme} is the one asked for (He: √(2/n_in) for ReLU, "
        "Xavier: √(2/(n_in + n_out)) for tanh).",
    ),
    "init factor 2 left out": (
        "factor 2 left out",
        "the variance has a 2 on top: 2/n_in for He (it makes up for ReLU zeroing half its "
        "inputs), 2/(n_in + n_out) for Xavier.",
    ),
    "fan out for fan in": (
        "n_out used for n_in",
        "He divides by the layer's inputs n_in (the columns of W), not by its units.",
    ),
    "sign flipped": (
        "sign flipped",
        "the right size with the wrong sign: check the sign of each factor.",
    ),
    "sign of y − t": ("sign flipped", "the sign is flipped; check (y − t) against (t − y)."),
    "derivative left out": (
        "{f}'({z}) left out",
        "the derivative {f}'({z}) of the activation was left out of the chain.",
    ),
    "derivative left out everywhere": (
        "{f}'(z) left out at every layer",
        "the activation's derivative {f}'(z) was left out of the chain at every layer.",
    ),
    "value for derivative": (
        "{f}({z}) for {f}'({z})",
        "the activation's value {f}({z}) was used instead of its derivative {f}'({z}).",
    ),
    "value for derivative everywhere": (
        "{f}(z) for {f}'(z) at every layer",
        "the activation's value {f}(z) was used instead of its derivative {f}'(z) at every layer.",
    ),
    "z in the derivative": (
        "{wrong} for {right}",
        "z (the pre-activation) was put where a belongs: {wrong} instead of {right}.",
    ),
    "z for a": (
        "z{layer} for a{layer}",
        "z{layer}, the weighted sum, was used where a{layer} = {f}(z{layer}) belongs.",
    ),
    "upstream gradient forgotten": (
        "upstream gradient forgotten",
        "only the local derivative: multiply it by the upstream gradient coming back from "
        "the loss.",
    ),
    "upstream gradient only": (
        "upstream gradient only",
        "that is {upstream}, the gradient arriving from above; multiply it by the local "
        "derivative {local} to get {target}.",
    ),
    "update added": (
        "update added",
        "the step was added; gradient descent subtracts lr × gradient.",
    ),
    "unchanged": ("{p} unchanged", "that is the old {p}: subtract lr × dL/d{p} from it."),
    "learning rate left out": (
        "learning rate left out",
        "the whole gradient was subtracted; scale it by the learning rate.",
    ),
    "factor 2 doubled": (
        "factor 2 doubled",
        "a factor 2 too many: the derivative of ½(y − t)² is y − t, not 2(y − t).",
    ),
    "factor 2 dropped": (
        "factor 2 dropped",
        "a factor 2 is missing: the derivative of (y − t)² is 2(y − t).",
    ),
    "1/m forgotten": (
        "1/m forgotten",
        "the gradients of the m = {m} examples were summed, not averaged: divide by m.",
    ),
    "transposed": (
        "transposed",
        "the shape is transposed: dL/dW has the shape of W, (units out, units in).",
    ),
    "wrong order": (
        "wrong order",
        "the right numbers in forward order; backprop finds the last layer's first.",
    ),
    "one layer only": (
        "one layer only",
        "that is one sigmoid's factor; k layers multiply k of them.",
    ),
    "σ' not cancelled": (
        "σ' not cancelled",
        "that is the squared-error gradient (y − t)·σ'(z); with cross-entropy the σ'(z) cancels, "
        "leaving y − t.",
    ),
    "stopped at dL/dy": (
        "stopped at dL/dy",
        "that is dL/dy; go one step further through the sigmoid to dL/dz.",
    ),
    "activation shape": (
        "activation shape",
        "that is the shape of dL/dz (units, examples), not of dL/dW.",
    ),
    "ε instead of 2ε": (
        "ε instead of 2ε",
        "divided by ε instead of 2ε: the points w − ε and w + ε are 2ε apart.",
    ),
    "t − p": (
        "t − p",
        "that is t − p: the gradient at the logits is p − t, prediction minus target.",
    ),
    "p alone": ("p alone", "that is p itself: subtract the one-hot target (1 at the right class)."),
    "softmax forgotten": (
        "softmax forgotten",
        "that is z − t: the logits were used as probabilities; apply softmax first.",
    ),
    "one-hot for p": (
        "one-hot for p",
        "the predicted class was taken as a one-hot; use the probabilities p.",
    ),
    "only the right class": (
        "only the right class",
        "every class gets a gradient: a wrong class gets its probability p.",
    ),
    "one path only": (
        "one path only (through {via})",
        "that is the path through {via} alone: the unit feeds more than one, so its "
        "gradient adds every path.",
    ),
    "product instead of sum": (
        "product instead of sum",
        "the paths were multiplied: factors multiply along a path, but paths add.",
    ),
    "blame split": (
        "blame split",
        "the gradient was shared out between the units; identical units each get the full "
        "gradient.",
    ),
    "one unit only": (
        "one unit only",
        "both units get a gradient: identical units get identical rows.",
    ),
}
"""Each mistake's name and description; ``{f}`` (the activation), ``{z}`` (its input, "z"
unless given) and the like are filled in per question."""

SYMBOLS = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "linear": "id"}
"""How an activation is written in a mistake's name."""
Z_SLOPES = {"sigmoid": ("z(1 − z)", "a(1 − a)"), "tanh": ("1 − z²", "1 − a²")}
"""An activation's derivative with z put where a belongs, and as it should read."""


def mistake(key: str, value: Value, **words: object) -> Mistake:
    """The catalogue's mistake ``key`` with the value it gives, its words filled in."""
    name, description = CATALOGUE[key]
    words = {"z": "z", **words}
    return Mistake(name.format(**words), description.format(**words), value)


def z_in_the_derivative(activation: str, value: Value) -> Mistake:
    """The derivative written with z where a belongs, e.g. z(1 − z) for a(1 − a)."""
    wrong, right = Z_SLOPES[activation]
    return mistake("z in the derivative", value, wrong=wrong, right=right)


def sign_flipped(value: Value, *, error_term: bool = False) -> Mistake:
    """The right magnitude with the wrong sign; ``error_term``: the question has a y − t."""
    return mistake("sign of y − t" if error_term else "sign flipped", np.negative(value))
