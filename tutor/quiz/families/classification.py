"""Families of lesson 3.5 (classification): the softmax-with-cross-entropy gradient
p − t, and a sigmoid output with binary cross-entropy (y − t)."""

from __future__ import annotations

import numpy as np

from tutor.answers.mistakes import mistake, sign_flipped
from tutor.engine import LayerSpec, NetworkSpec, derive
from tutor.engine.functions import softmax
from tutor.engine.variants import gradients_with_loss
from tutor.quiz.families.base import Family, draw, family, num
from tutor.quiz.question import Question

LESSON = "classification"
CLASSES = 3
ORDINAL = {1: "first", 2: "second", 3: "third"}


def _logits_network(z: list[float], right: int) -> NetworkSpec:
    """Logits z as the output of a linear layer with identity weights, one-hot target ``right``."""
    target = np.zeros((len(z), 1))
    target[right, 0] = 1.0
    return NetworkSpec(
        input=np.array(z, dtype=float).reshape(-1, 1),
        target=target,
        loss="cross_entropy",
        layers=(LayerSpec(W=np.eye(len(z)), b=None, activation="linear"),),
        name="quiz",
    )


def _draw_logits(rng: np.random.Generator) -> tuple[list[float], int]:
    z = [draw(rng, -2.5, 2.5) for _ in range(CLASSES)]
    return z, int(rng.integers(0, CLASSES))


def _logits_text(z: list[float], right: int) -> str:
    values = ", ".join(num(v) for v in z)
    return (
        f"A classifier's last layer gives the logits **z = ({values})** for one example whose "
        f"right class is the **{ORDINAL[right + 1]}** (target t one-hot)"
    )


@family("softmax-ce-gradient", "Softmax with cross-entropy: dL/dz = p − t", "losses", 2, LESSON)
def softmax_ce_gradient(meta: Family, rng: np.random.Generator) -> Question:
    """dL/dz of softmax with cross-entropy for three logits: p − t."""
    z, right = _draw_logits(rng)
    spec = _logits_network(z, right)
    derivation = derive(spec)
    expected = derivation.gradients["z1"].ravel()
    p = softmax(derivation.output, axis=0).ravel()
    t = spec.target.ravel()
    hard = np.eye(CLASSES)[int(np.argmax(p))]  # the predicted class as a one-hot
    only_right = np.where(t == 1.0, expected, 0.0)
    mistakes = (
        mistake("t − p", np.negative(expected)),
        mistake("p alone", p),
        mistake("softmax forgotten", gradients_with_loss(spec, "half_squared_error")["z1"].ravel()),
        mistake("one-hot for p", hard - t),
        mistake("only the right class", only_right),
    )
    text = (
        f"{_logits_text(z, right)}. The loss is softmax followed by cross-entropy. What is "
        "**dL/dz**? Give the three entries as a list like [0.1, −0.3, 0.2]."
    )
    hints = (
        "With softmax and cross-entropy the gradient at the logits is p − t.",
        f"p = softmax(z) ≈ ({', '.join(num(float(v)) for v in p)}); subtract 1 at the right class.",
    )
    return meta.question(
        text,
        about={"z": np.array(z), "class": float(right + 1)},
        expected=expected,
        kind="array",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=derivation.trace[:2],
        conclusion="The entries add up to 0: p and t both sum to 1.",
    )


@family("bce-output", "Sigmoid + binary cross-entropy output gradient", "losses", 2, LESSON)
def bce_output(meta: Family, rng: np.random.Generator) -> Question:
    """dL/dz of a sigmoid output with binary cross-entropy (which comes out as y − t)."""
    x, w, b = draw(rng, 0.5, 2.0), draw(rng, -1.5, 1.5), draw(rng, -1.0, 1.0)
    t = float(rng.integers(0, 2))
    spec = NetworkSpec(
        input=np.array([[x]]),
        target=np.array([[t]]),
        loss="binary_cross_entropy",
        layers=(LayerSpec(W=np.array([[w]]), b=np.array([[b]]), activation="sigmoid"),),
        name="quiz",
    )
    derivation = derive(spec)
    expected = float(derivation.gradients["z1"].item())
    mistakes = (
        sign_flipped(expected, error_term=True),
        mistake(
            "σ' not cancelled",
            float(gradients_with_loss(spec, "half_squared_error")["z1"].item()),
        ),
        mistake("stopped at dL/dy", float(derivation.gradients["a1"].item())),
    )
    text = (
        f"A sigmoid output unit y = σ(z), z = w·x + b, with **x = {num(x)}, w = {num(w)}, "
        f"b = {num(b)}**, is trained with binary cross-entropy "
        f"L = −[t·log y + (1 − t)·log(1 − y)] and target **t = {num(t)}**. What is **dL/dz**?"
    )
    hints = (
        "dL/dz = dL/dy × dy/dz, with dL/dy = (y − t)/(y(1 − y)) and dy/dz = y(1 − y).",
        "The y(1 − y) cancels: dL/dz = y − t. Compute y = σ(w·x + b) first.",
    )
    records = tuple(r for r in derivation.trace if r.target in ("dL/da1", "dL/dz1"))
    return meta.question(
        text,
        about={"x": x, "w": w, "b": b, "t": t},
        expected=expected,
        kind="number",
        hints=hints,
        mistakes=mistakes,
        forward=derivation.forward,
        trace=records,
        conclusion=f"The y(1 − y) cancels: dL/dz1 = a1 − t = {num(expected)}.",
    )
