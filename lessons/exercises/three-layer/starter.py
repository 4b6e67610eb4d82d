"""Backpropagation for a network of three sigmoid layers.

Columns are examples: x is (n0, m) and y is (n3, m).
z_i = W_i @ a_(i-1) + b_i and a_i = sigmoid(z_i), with a_0 = x.
The loss is the mean over the m examples of 0.5 * sum_k (y_k - t_k) ** 2.

Fill in the four methods and save: the tutor checks this file against its
engine on networks and batches of several sizes. Code under
`if __name__ == "__main__":` is yours for trying things; the checker does not run it.
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class ThreeLayerNetwork:
    def __init__(self, params):
        """params: dict of arrays W1 (n1, n0), b1 (n1, 1), W2 (n2, n1), b2, W3 (n3, n2), b3."""
        raise NotImplementedError("__init__")

    def forward(self, x):
        """Return y = a3, shape (n3, m). Keep what backward needs."""
        raise NotImplementedError("forward")

    def backward(self, y, t):
        """Return a dict of gradients: the keys and shapes of params.

        Work from the output back: dL/dz3, then dL/dW3 and dL/db3; through W3
        and the second sigmoid to dL/dz2, then dL/dW2 and dL/db2; and so on.
        """
        raise NotImplementedError("backward")

    def update_weights(self, gradients, lr):
        """One gradient-descent step on the network's own parameters."""
        raise NotImplementedError("update_weights")


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    sizes = [2, 3, 3, 1]
    params = {}
    for i in range(1, 4):
        params[f"W{i}"] = rng.normal(size=(sizes[i], sizes[i - 1]))
        params[f"b{i}"] = np.zeros((sizes[i], 1))
    net = ThreeLayerNetwork(params)
    x = rng.normal(size=(2, 4))
    t = np.array([[0.0, 1.0, 1.0, 0.0]])
    y = net.forward(x)
    print(y, net.backward(y, t))
