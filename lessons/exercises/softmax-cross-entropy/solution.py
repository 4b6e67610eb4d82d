"""A reference solution: softmax with cross-entropy, columns as examples."""

import numpy as np


def softmax(z):
    shifted = z - z.max(axis=0, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=0, keepdims=True)


def cross_entropy(z, t):
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -np.sum(t * log_p) / z.shape[1]


def cross_entropy_backward(z, t):
    return (softmax(z) - t) / z.shape[1]
