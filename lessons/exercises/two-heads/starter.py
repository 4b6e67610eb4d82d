"""A hidden layer read by two heads. One line of the backward pass is wrong: find it.

h = σ(W·x), y1 = σ(V·h), y2 = σ(U·h), no biases;
L = mean over the m examples of ½(y1 − t1)² + ½(y2 − t2)².
Save to have the tutor check it; code under `if __name__ == "__main__":` is
yours, the checker does not run it.
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def two_heads_backward(x, t1, t2, W, V, U):
    """x: (inputs, m); t1, t2: (1, m); W: (hidden, inputs); V, U: (1, hidden).

    Return a dict with "dV", "dU", "dh" and "dW".
    """
    m = x.shape[1]
    h = sigmoid(W @ x)
    y1 = sigmoid(V @ h)
    y2 = sigmoid(U @ h)

    dz1 = (y1 - t1) / m * y1 * (1.0 - y1)  # head 1, through its sigmoid
    dz2 = (y2 - t2) / m * y2 * (1.0 - y2)  # head 2, through its sigmoid
    dV = dz1 @ h.T
    dU = dz2 @ h.T

    dh = V.T @ dz1  # the path through head 1
    dh = U.T @ dz2  # the path through head 2

    dW = (dh * h * (1.0 - h)) @ x.T
    return {"dV": dV, "dU": dU, "dh": dh, "dW": dW}


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3))
    t1, t2 = np.array([[1.0, 0.0, 1.0]]), np.array([[0.0, 0.0, 1.0]])
    W, V, U = rng.normal(size=(3, 2)), rng.normal(size=(1, 3)), rng.normal(size=(1, 3))
    print(two_heads_backward(x, t1, t2, W, V, U)["dh"])
