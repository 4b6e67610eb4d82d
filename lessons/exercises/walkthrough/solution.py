"""A reference solution: the walkthrough network's backward pass over a batch."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def walkthrough_backward(x, t, w1, w2):
    m = x.shape[1]
    a1 = sigmoid(w1 * x)
    y = sigmoid(w2 * a1)
    dy = (y - t) / m
    dz2 = dy * y * (1.0 - y)
    dw2 = np.sum(dz2 * a1)
    da1 = dz2 * w2
    dz1 = da1 * a1 * (1.0 - a1)
    dw1 = np.sum(dz1 * x)
    return {"dy": dy, "dz2": dz2, "dw2": dw2, "da1": da1, "dz1": dz1, "dw1": dw1}
