"""A reference solution: backpropagation for three sigmoid layers, written out by hand."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class ThreeLayerNetwork:
    def __init__(self, params):
        # Keep the caller's arrays: update_weights changes them in place.
        self.params = params

    def forward(self, x):
        p = self.params
        self.x = x
        self.a1 = sigmoid(p["W1"] @ x + p["b1"])
        self.a2 = sigmoid(p["W2"] @ self.a1 + p["b2"])
        self.a3 = sigmoid(p["W3"] @ self.a2 + p["b3"])
        return self.a3

    def backward(self, y, t):
        p = self.params
        m = y.shape[1]
        dy = (y - t) / m  # the loss is a mean over the m columns
        dz3 = dy * y * (1.0 - y)
        dz2 = (p["W3"].T @ dz3) * self.a2 * (1.0 - self.a2)
        dz1 = (p["W2"].T @ dz2) * self.a1 * (1.0 - self.a1)
        return {
            "W3": dz3 @ self.a2.T,
            "b3": dz3.sum(axis=1, keepdims=True),
            "W2": dz2 @ self.a1.T,
            "b2": dz2.sum(axis=1, keepdims=True),
            "W1": dz1 @ self.x.T,
            "b1": dz1.sum(axis=1, keepdims=True),
        }

    def update_weights(self, gradients, lr):
        for name, gradient in gradients.items():
            self.params[name] -= lr * gradient
