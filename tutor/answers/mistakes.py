"""Known mistakes: a wrong answer's value with a name and a description for the learner.

Provides :class:`Mistake`, the catalogue of :data:`DESCRIPTIONS`, :func:`mistake`
(a catalogue entry with its value) and :func:`sign_flipped`.  The values come from
the engine (:mod:`tutor.engine.variants` runs a derivation done wrong on purpose);
this module only names them.
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


DESCRIPTIONS: dict[str, str] = {
    "sign flipped": "the sign is flipped; check (y − t) against (t − y).",
    "activation derivative left out": "the activation's derivative was left out of the chain.",
    "σ(z) for σ'(z)": "the activation's value was used instead of its derivative.",
    "z for a": "z (the pre-activation) was used where the activation a belongs.",
    "upstream gradient forgotten": "only the local derivative: multiply it by the upstream "
    "gradient coming back from the loss.",
    "update added": "the step was added; gradient descent subtracts lr × gradient.",
    "weight unchanged": "that is the old weight: subtract lr × gradient from it.",
    "learning rate left out": "the whole gradient was subtracted; scale it by the learning rate.",
    "factor 2 doubled": "a factor 2 too many: the derivative of ½(y − t)² is y − t, not 2(y − t).",
    "factor 2 dropped": "a factor 2 is missing: the derivative of (y − t)² is 2(y − t).",
    "1/m forgotten": "the gradients of the examples were summed, not averaged: divide by m.",
    "transposed": "the shape is transposed: dL/dW has the shape of W, (units out, units in).",
    "wrong order": "the right numbers in forward order; backprop finds the last layer's first.",
    "one layer only": "that is one sigmoid's factor; k layers multiply k of them.",
    "σ' not cancelled": "that is the squared-error gradient (y − t)·σ'(z); with cross-entropy "
    "the σ'(z) cancels, leaving y − t.",
    "stopped at dL/dy": "that is dL/dy; go one step further through the sigmoid to dL/dz.",
    "activation shape": "that is the shape of dL/dz (units, examples), not of dL/dW.",
    "forward difference": "divided by ε instead of 2ε: the two points are 2ε apart.",
    "t − p": "that is t − p: the gradient at the logits is p − t, prediction minus target.",
    "p alone": "that is p itself: subtract the one-hot target (1 at the right class).",
    "softmax forgotten": "that is z − t: the logits were used as probabilities; apply softmax "
    "first.",
    "one-hot for p": "the predicted class was taken as a one-hot; use the probabilities p.",
    "only the right class": "every class gets a gradient: a wrong class gets its probability p.",
    "one path only": "that is one path: the unit feeds two outputs, so add both paths.",
    "product instead of sum": "the paths were multiplied: factors multiply along a path, "
    "but paths add.",
    "blame split": "the gradient was shared out between the units; identical units each get "
    "the full gradient.",
    "one unit only": "both units get a gradient: identical units get identical rows.",
}


def mistake(name: str, value: Value) -> Mistake:
    """The catalogue's mistake ``name`` with the value it gives."""
    return Mistake(name, DESCRIPTIONS[name], value)


def sign_flipped(value: Value) -> Mistake:
    """The right magnitude with the wrong sign."""
    return mistake("sign flipped", np.negative(value))
