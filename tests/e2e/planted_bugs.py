"""A corpus of planted bugs: each a small edit of an exercise's reference solution.

Every :class:`Bug` names the exercise, the edits (each ``right`` text occurs once in
the solution and becomes ``wrong``) and a fragment the diagnosis of a failing check
must contain.  ``listed`` marks the bugs issue 19 lists by name; the rest are the
common slips of each exercise.  Which diagnosis a bug deserves is worked out by
hand from the edit, not read from the checker.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bug:
    exercise: str
    id: str
    edits: tuple[tuple[str, str], ...]
    expect: str
    listed: bool = False


def bug(exercise: str, id: str, expect: str, *edits: tuple[str, str], listed: bool = False) -> Bug:
    return Bug(exercise, id, tuple(edits), expect, listed)


DY = "dy = (y - t) / m"
DZ3 = "dz3 = dy * y * (1.0 - y)"
DZ2 = 'dz2 = (p["W3"].T @ dz3) * self.a2 * (1.0 - self.a2)'
DZ1 = 'dz1 = (p["W2"].T @ dz2) * self.a1 * (1.0 - self.a1)'
A1 = 'self.a1 = sigmoid(p["W1"] @ x + p["b1"])'
A2 = 'self.a2 = sigmoid(p["W2"] @ self.a1 + p["b2"])'
A3 = 'self.a3 = sigmoid(p["W3"] @ self.a2 + p["b3"])'
KEEP_Z1 = (A1, 'self.z1 = p["W1"] @ x + p["b1"]\n        self.a1 = sigmoid(self.z1)')
KEEP_Z2 = (A2, 'self.z2 = p["W2"] @ self.a1 + p["b2"]\n        self.a2 = sigmoid(self.z2)')
KEEP_Z3 = (A3, 'self.z3 = p["W3"] @ self.a2 + p["b3"]\n        self.a3 = sigmoid(self.z3)')
UPDATE = "self.params[name] -= lr * gradient"

THREE_LAYER = [
    bug("three-layer", "factor 2", "factor 2", (DY, "dy = 2 * (y - t) / m")),
    bug("three-layer", "sign of dL/dy", "sign flipped", (DY, "dy = (t - y) / m")),
    bug("three-layer", "1/m forgotten", "1/m forgotten", (DY, "dy = y - t")),
    bug("three-layer", "1/m twice", "divided by m twice", (DY, "dy = (y - t) / m / m")),
    bug("three-layer", "σ′ left out, layer 3", "left out at layer 3", (DZ3, "dz3 = dy")),
    bug(
        "three-layer",
        "σ′ left out, layer 2",
        "left out at layer 2",
        (DZ2, 'dz2 = p["W3"].T @ dz3'),
    ),
    bug(
        "three-layer",
        "σ′ left out, layer 1",
        "left out at layer 1",
        (DZ1, 'dz1 = p["W2"].T @ dz2'),
    ),
    bug(
        "three-layer",
        "z(1 − z) at layer 3",
        "z3(1 − z3) for σ′(z3) at layer 3",
        KEEP_Z3,
        (DZ3, "dz3 = dy * self.z3 * (1.0 - self.z3)"),
        listed=True,
    ),
    bug(
        "three-layer",
        "z(1 − z) at layer 2",
        "z2(1 − z2) for σ′(z2) at layer 2",
        KEEP_Z2,
        (DZ2, 'dz2 = (p["W3"].T @ dz3) * self.z2 * (1.0 - self.z2)'),
        listed=True,
    ),
    bug(
        "three-layer",
        "σ(z) for σ′(z) at layer 2",
        "σ(z2) for σ′(z2) at layer 2",
        (DZ2, 'dz2 = (p["W3"].T @ dz3) * self.a2'),
    ),
    bug(
        "three-layer",
        "z for a in dL/dW3",
        "z2 where a2 belongs at layer 3",
        KEEP_Z2,
        ('"W3": dz3 @ self.a2.T', '"W3": dz3 @ self.z2.T'),
        listed=True,
    ),
    bug(
        "three-layer",
        "z for a in dL/dW2",
        "z1 where a1 belongs at layer 2",
        KEEP_Z1,
        ('"W2": dz2 @ self.a1.T', '"W2": dz2 @ self.z1.T'),
        listed=True,
    ),
    bug(
        "three-layer",
        "reshape for transpose in dL/dW2",
        "reshape where a transpose belongs at layer 2",
        ('"W2": dz2 @ self.a1.T', '"W2": dz2 @ self.a1.reshape(self.a1.shape[1], -1)'),
        listed=True,
    ),
    bug(
        "three-layer",
        "reshape for transpose in dL/dW1",
        "reshape where a transpose belongs at layer 1",
        ('"W1": dz1 @ self.x.T', '"W1": dz1 @ self.x.reshape(self.x.shape[1], -1)'),
        listed=True,
    ),
    bug(
        "three-layer",
        "reshape for W3ᵀ",
        "W3.reshape(…) where W3ᵀ belongs at layer 3",
        (DZ2, 'dz2 = (p["W3"].reshape(p["W3"].shape[1], -1) @ dz3) * self.a2 * (1.0 - self.a2)'),
        listed=True,
    ),
    bug(
        "three-layer",
        "reshape for W2ᵀ",
        "W2.reshape(…) where W2ᵀ belongs at layer 2",
        (DZ1, 'dz1 = (p["W2"].reshape(p["W2"].shape[1], -1) @ dz2) * self.a1 * (1.0 - self.a1)'),
        listed=True,
    ),
    bug(
        "three-layer",
        "off by one layer in dL/dW2",
        "a2 where a1 belongs at layer 2 (off by one layer)",
        ('"W2": dz2 @ self.a1.T', '"W2": dz2 @ self.a2.T'),
        listed=True,
    ),
    bug(
        "three-layer",
        "off by one layer in dL/dW1",
        "a1 where x belongs at layer 1 (off by one layer)",
        ('"W1": dz1 @ self.x.T', '"W1": dz1 @ self.a1.T'),
        listed=True,
    ),
    bug(
        "three-layer",
        "bias gradient not summed",
        "not summed over the examples",
        ('"b2": dz2.sum(axis=1, keepdims=True)', '"b2": dz2'),
    ),
    bug(
        "three-layer",
        "transposed dL/dW2",
        "transposed",
        ('"W2": dz2 @ self.a1.T', '"W2": self.a1 @ dz2.T'),
    ),
    bug(
        "three-layer",
        "bias left out of forward",
        "the bias b2 is left out",
        (A2, 'self.a2 = sigmoid(p["W2"] @ self.a1)'),
    ),
    bug(
        "three-layer",
        "sigmoid left out of forward",
        "the sigmoid is left out at layer 3",
        (A3, 'self.a3 = p["W3"] @ self.a2 + p["b3"]'),
    ),
    bug(
        "three-layer",
        "update up the gradient",
        "the update's sign",
        (UPDATE, UPDATE.replace("-=", "+=")),
    ),
    bug(
        "three-layer",
        "learning rate left out",
        "the learning rate is left out",
        (UPDATE, "self.params[name] -= gradient"),
    ),
    bug(
        "three-layer",
        "= for -=",
        "`=` where `-=` belongs",
        (UPDATE, "self.params[name] = lr * gradient"),
        listed=True,
    ),
    bug(
        "three-layer",
        "update of a copy",
        "the weights did not change",
        (UPDATE, "weight = self.params[name]\n            weight = weight - lr * gradient"),
    ),
    bug(
        "three-layer",
        "t changed in place",
        "in-place change of an argument",
        (DY, "t -= y\n        t /= -m\n        dy = t"),
        listed=True,
    ),
    bug(
        "three-layer",
        "y changed in place",
        "in-place change of an argument",
        (DY, "dy = y\n        dy -= t\n        dy /= m"),
        listed=True,
    ),
    bug(
        "three-layer",
        "x changed in place",
        "in-place change of an argument",
        ("self.x = x\n", "self.x = x.copy()\n        x *= 0.5\n"),
        listed=True,
    ),
]

GRAD_Z = "grad_z = grad_a * self.a * (1.0 - self.a)"
DENSE = [
    bug("dense-layer", "σ′ left out", "derivative is left out", (GRAD_Z, "grad_z = grad_a")),
    bug(
        "dense-layer",
        "sign",
        "sign flipped",
        (GRAD_Z, "grad_z = -grad_a * self.a * (1.0 - self.a)"),
    ),
    bug(
        "dense-layer",
        "divided by m",
        "divided by m",
        (GRAD_Z, "grad_z = grad_a * self.a * (1.0 - self.a) / self.x.shape[1]"),
    ),
    bug(
        "dense-layer",
        "= for +=",
        "`=` where `+=` accumulates",
        ("self.grad_W += grad_z @ self.x.T", "self.grad_W = grad_z @ self.x.T"),
        listed=True,
    ),
    bug(
        "dense-layer",
        "reshape for xᵀ",
        "reshape where a transpose belongs",
        (
            "self.grad_W += grad_z @ self.x.T",
            "self.grad_W += grad_z @ self.x.reshape(self.x.shape[1], -1)",
        ),
        listed=True,
    ),
    bug(
        "dense-layer",
        "reshape for Wᵀ",
        "W.reshape(…) where Wᵀ belongs",
        ("return self.W.T @ grad_z", "return self.W.reshape(self.W.shape[1], -1) @ grad_z"),
        listed=True,
    ),
    bug(
        "dense-layer",
        "sigmoid left out",
        "the sigmoid is left out",
        ("self.a = 1.0 / (1.0 + np.exp(-(self.W @ x + self.b)))", "self.a = self.W @ x + self.b"),
    ),
    bug(
        "dense-layer",
        "grad_a changed in place",
        "in-place change of an argument",
        (GRAD_Z, "grad_a *= self.a * (1.0 - self.a)\n        grad_z = grad_a"),
        listed=True,
    ),
    bug(
        "dense-layer",
        "x changed in place",
        "in-place change of an argument",
        ("self.x = x\n", "self.x = x.copy()\n        x -= x\n"),
        listed=True,
    ),
]

SIGMOID = "return 1.0 / (1.0 + np.exp(-z))"
PRIME = "return s * (1.0 - s)"
SIGMOID_BUGS = [
    bug("sigmoid", "e^z", "σ(−z)", (SIGMOID, "return 1.0 / (1.0 + np.exp(z))")),
    bug("sigmoid", "parentheses", "parentheses", (SIGMOID, "return 1.0 / 1.0 + np.exp(-z)")),
    bug("sigmoid", "σ for σ′", "that is σ(z) itself", (PRIME, "return s")),
    bug("sigmoid", "z(1 − z)", "z(1 − z)", (PRIME, "return z * (1.0 - z)"), listed=True),
    bug("sigmoid", "sign of σ′", "sign flipped", (PRIME, "return s * (s - 1.0)")),
    bug(
        "sigmoid",
        "z changed in place",
        "in-place change of an argument",
        (SIGMOID, "np.negative(z, out=z)\n    return 1.0 / (1.0 + np.exp(z))"),
        listed=True,
    ),
]

SHIFT = "shifted = z - z.max(axis=0, keepdims=True)\n    e = np.exp(shifted)"
CE_SHIFT = "shifted = z - z.max(axis=0, keepdims=True)\n    log_p"
BACKWARD = "return (softmax(z) - t) / z.shape[1]"
LOSS = "return -np.sum(t * log_p) / z.shape[1]"
SOFTMAX = [
    bug(
        "softmax-cross-entropy",
        "softmax across the examples",
        "axis=1",
        (SHIFT, "shifted = z - z.max(axis=1, keepdims=True)\n    e = np.exp(shifted)"),
        ("return e / e.sum(axis=0, keepdims=True)", "return e / e.sum(axis=1, keepdims=True)"),
    ),
    bug(
        "softmax-cross-entropy",
        "normalised over the whole array",
        "whole array",
        ("return e / e.sum(axis=0, keepdims=True)", "return e / e.sum()"),
    ),
    bug(
        "softmax-cross-entropy",
        "no max taken off in softmax",
        "exp overflowed",
        (SHIFT, "shifted = z\n    e = np.exp(shifted)"),
        listed=True,
    ),
    bug(
        "softmax-cross-entropy",
        "no max taken off in the loss",
        "exp overflowed",
        (CE_SHIFT, "shifted = z\n    log_p"),
        listed=True,
    ),
    bug(
        "softmax-cross-entropy",
        "softmax forgotten in the gradient",
        "softmax forgotten",
        (BACKWARD, "return (z - t) / z.shape[1]"),
        listed=True,
    ),
    bug(
        "softmax-cross-entropy",
        "softmax forgotten in the loss",
        "softmax forgotten",
        (LOSS, "return -np.sum(t * z) / z.shape[1]"),
        listed=True,
    ),
    bug(
        "softmax-cross-entropy",
        "loss summed",
        "summed over the examples",
        (LOSS, "return -np.sum(t * log_p)"),
    ),
    bug(
        "softmax-cross-entropy",
        "minus missing",
        "the minus sign",
        (LOSS, "return np.sum(t * log_p) / z.shape[1]"),
    ),
    bug(
        "softmax-cross-entropy",
        "1/m in the gradient",
        "1/m forgotten",
        (BACKWARD, "return softmax(z) - t"),
    ),
    bug(
        "softmax-cross-entropy",
        "sign of the gradient",
        "sign flipped",
        (BACKWARD, "return (t - softmax(z)) / z.shape[1]"),
    ),
    bug(
        "softmax-cross-entropy",
        "t not subtracted",
        "t is not subtracted",
        (BACKWARD, "return softmax(z) / z.shape[1]"),
    ),
    bug(
        "softmax-cross-entropy",
        "z changed in place",
        "in-place change of an argument",
        (SHIFT, "z -= z.max(axis=0, keepdims=True)\n    e = np.exp(z)"),
        listed=True,
    ),
]

WALK = [
    bug("walkthrough", "factor 2", "factor 2", ("dy = (y - t) / m", "dy = 2 * (y - t) / m")),
    bug("walkthrough", "sign", "sign flipped", ("dy = (y - t) / m", "dy = (t - y) / m")),
    bug("walkthrough", "1/m forgotten", "1/m forgotten", ("dy = (y - t) / m", "dy = y - t")),
    bug(
        "walkthrough",
        "dw2 not summed",
        "not summed over the examples",
        ("dw2 = np.sum(dz2 * a1)", "dw2 = dz2 * a1"),
    ),
    bug(
        "walkthrough",
        "dw2 averaged",
        "divided by m twice",
        ("dw2 = np.sum(dz2 * a1)", "dw2 = np.mean(dz2 * a1)"),
    ),
    bug(
        "walkthrough",
        "σ′ left out, layer 2",
        "left out at layer 2",
        ("dz2 = dy * y * (1.0 - y)", "dz2 = dy"),
    ),
    bug(
        "walkthrough",
        "σ′ left out, layer 1",
        "left out at layer 1",
        ("dz1 = da1 * a1 * (1.0 - a1)", "dz1 = da1"),
    ),
    bug(
        "walkthrough",
        "w1 for w2",
        "W1 where W2 belongs at layer 2",
        ("da1 = dz2 * w2", "da1 = dz2 * w1"),
    ),
    bug(
        "walkthrough",
        "off by one layer in dw1",
        "a1 where x belongs at layer 1 (off by one layer)",
        ("dw1 = np.sum(dz1 * x)", "dw1 = np.sum(dz1 * a1)"),
        listed=True,
    ),
    bug(
        "walkthrough",
        "off by one layer in dw2",
        "a2 where a1 belongs at layer 2 (off by one layer)",
        ("dw2 = np.sum(dz2 * a1)", "dw2 = np.sum(dz2 * y)"),
        listed=True,
    ),
    bug(
        "walkthrough",
        "σ′ of the wrong layer",
        "σ′ of layer 2 used at layer 1 (off by one layer)",
        ("dz1 = da1 * a1 * (1.0 - a1)", "dz1 = da1 * y * (1.0 - y)"),
        listed=True,
    ),
    bug(
        "walkthrough",
        "z for a",
        "z1 where a1 belongs at layer 2",
        ("dw2 = np.sum(dz2 * a1)", "dw2 = np.sum(dz2 * (w1 * x))"),
        listed=True,
    ),
    bug(
        "walkthrough",
        "t changed in place",
        "in-place change of an argument",
        ("dy = (y - t) / m", "t -= y\n    dy = -t / m"),
        listed=True,
    ),
]

PATHS = "dh += V.T @ dz1\n    dh += U.T @ dz2"
HEADS = [
    bug(
        "two-heads",
        "overwrite, y2 kept",
        "only the path through y2 reached h",
        (PATHS, "dh = V.T @ dz1\n    dh = U.T @ dz2"),
    ),
    bug(
        "two-heads",
        "overwrite, y1 kept",
        "only the path through y1 reached h",
        (PATHS, "dh = U.T @ dz2\n    dh = V.T @ dz1"),
    ),
    bug(
        "two-heads",
        "product of the paths",
        "the product of the two paths",
        (PATHS, "dh = (V.T @ dz1) * (U.T @ dz2)"),
        listed=True,
    ),
    bug(
        "two-heads",
        "average of the paths",
        "the average of the two paths",
        (PATHS, "dh = (V.T @ dz1 + U.T @ dz2) / 2"),
        listed=True,
    ),
    bug(
        "two-heads",
        "factor 2 in one head",
        "factor 2",
        ("dz2 = (y2 - t2) / m", "dz2 = 2 * (y2 - t2) / m"),
    ),
    bug(
        "two-heads",
        "σ′ of h left out",
        "left out at layer 1",
        ("dW = (dh * h * (1.0 - h)) @ x.T", "dW = dh @ x.T"),
    ),
    bug(
        "two-heads",
        "t1 changed in place",
        "in-place change of an argument",
        ("dz1 = (y1 - t1) / m * y1 * (1.0 - y1)", "t1 -= y1\n    dz1 = -t1 / m * y1 * (1.0 - y1)"),
        listed=True,
    ),
]

DIFFERENCE = "g[index] = (plus - minus) / (2 * epsilon)"
RELATIVE = "return np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))"
GRADCHECK = [
    bug(
        "gradcheck",
        "divided by ε",
        "divided by ε instead of 2ε",
        (DIFFERENCE, "g[index] = (plus - minus) / epsilon"),
    ),
    bug(
        "gradcheck",
        "one-sided",
        "one-sided difference",
        ("p[index] = old - epsilon", "p[index] = old"),
        (DIFFERENCE, "g[index] = (plus - minus) / epsilon"),
    ),
    bug(
        "gradcheck",
        "sign",
        "sign flipped",
        (DIFFERENCE, "g[index] = (minus - plus) / (2 * epsilon)"),
    ),
    bug(
        "gradcheck",
        "params not restored",
        "put every entry back",
        ("            p[index] = old\n", ""),
    ),
    bug(
        "gradcheck",
        "absolute difference",
        "the absolute difference",
        (RELATIVE, "return np.linalg.norm(a - n)"),
    ),
    bug(
        "gradcheck",
        "divided by ‖n‖",
        "divided by ‖n‖ only",
        (RELATIVE, "return np.linalg.norm(a - n) / np.linalg.norm(n)"),
    ),
]

DEEP_DZ = "dz = (p - t) / m"
DEEP = [
    bug(
        "deep-network",
        "off by one layer in dL/dW",
        "off by one",
        ('grads[f"W{l}"] = dz @ self.a[l - 1].T', 'grads[f"W{l}"] = dz @ self.a[l].T'),
        listed=True,
    ),
    bug(
        "deep-network",
        "loop stops before layer 1",
        "a layer skipped",
        ("for l in range(self.L, 0, -1):", "for l in range(self.L, 1, -1):"),
        listed=True,
    ),
    bug(
        "deep-network",
        "softmax not stabilised",
        "softmax not stabilised",
        (
            "shifted = self.z[-1] - self.z[-1].max(axis=0, keepdims=True)",
            "shifted = self.z[-1]",
        ),
        listed=True,
    ),
    bug("deep-network", "1/m forgotten", "1/m forgotten", (DEEP_DZ, "dz = p - t")),
    bug(
        "deep-network",
        "= for -=",
        "`=` where `-=` belongs",
        (
            "self.params[name] = self.params[name] - lr * gradients[name]",
            "self.params[name] = lr * gradients[name]",
        ),
        listed=True,
    ),
]

RAISING = [
    # Shapes that do not fit make the learner's own code raise: caught, but nothing to compare.
    bug(
        "dense-layer",
        "transposed dL/dW accumulated",
        "transposed",
        ("self.grad_W += grad_z @ self.x.T", "self.grad_W += self.x @ grad_z.T"),
    ),
    bug(
        "three-layer",
        "σ′ of layer 1 used at layer 2",
        "off by one layer",
        (DZ2, 'dz2 = (p["W3"].T @ dz3) * self.a1 * (1.0 - self.a1)'),
    ),
]

CORPUS: list[Bug] = [
    *THREE_LAYER,
    *DENSE,
    *SIGMOID_BUGS,
    *SOFTMAX,
    *WALK,
    *HEADS,
    *GRADCHECK,
    *DEEP,
    *RAISING,
]
