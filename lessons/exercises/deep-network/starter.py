"""The exam: a softmax classifier of any depth, written as loops over layers.

Columns are examples: x is (n0, m). Layer l computes z_l = W_l @ a_(l-1) + b_l
with a_0 = x; hidden layers apply `hidden` ("relu" or "tanh"), the last layer
is linear, and p = softmax(z_L) column by column. The loss is the mean over the
m columns of -sum_k t_k * log(p_k), with one-hot targets t of shape (K, m).

Fill in the four methods and save: the tutor checks this file against its
engine on networks of depth 2 to 5, then trains your network on three spirals
and draws what it learned. Code under `if __name__ == "__main__":` is yours for
trying things; the checker does not run it.
"""

import numpy as np


class DeepNetwork:
    def __init__(self, params, hidden="relu"):
        """params: W1 (n1, n0), b1 (n1, 1), …, WL (K, n_(L-1)), bL (K, 1). Keep your own copies."""
        raise NotImplementedError("__init__")

    def forward(self, x):
        """Return p = softmax(z_L), shape (K, m); keep the z's and a's backward needs.

        Do not change x. Softmax must stay finite for logits above 1000.
        """
        raise NotImplementedError("forward")

    def backward(self, p, t):
        """Return a dict of gradients with the keys and shapes of params.

        Start from dL/dz_L = (p - t) / m and loop from layer L down to layer 1.
        Do not change p or t.
        """
        raise NotImplementedError("backward")

    def update_weights(self, gradients, lr):
        """One gradient-descent step on the network's own parameters (not on gradients)."""
        raise NotImplementedError("update_weights")


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    sizes = [2, 5, 5, 3]
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(size=(sizes[l], sizes[l - 1])) * np.sqrt(2 / sizes[l - 1])
        params[f"b{l}"] = np.zeros((sizes[l], 1))
    net = DeepNetwork(params, "relu")
    x = rng.normal(size=(2, 4))
    t = np.eye(3)[:, [0, 2, 1, 1]]
    p = net.forward(x)
    print(p.sum(axis=0))  # each column sums to 1
    print({name: g.shape for name, g in net.backward(p, t).items()})
