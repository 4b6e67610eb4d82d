"""A softmax classifier of any depth: forward and backward as loops over layers."""

import numpy as np


class DeepNetwork:
    def __init__(self, params, hidden="relu"):
        self.L = len(params) // 2
        self.params = {name: np.array(value, dtype=float) for name, value in params.items()}
        self.hidden = hidden

    def activation(self, z):
        return np.maximum(z, 0.0) if self.hidden == "relu" else np.tanh(z)

    def slope(self, z, a):
        return (z > 0).astype(float) if self.hidden == "relu" else 1.0 - a**2

    def forward(self, x):
        self.a = [x]
        self.z = []
        for l in range(1, self.L + 1):
            z = self.params[f"W{l}"] @ self.a[-1] + self.params[f"b{l}"]
            self.z.append(z)
            self.a.append(self.activation(z) if l < self.L else z)
        shifted = self.z[-1] - self.z[-1].max(axis=0, keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=0, keepdims=True)

    def backward(self, p, t):
        m = p.shape[1]
        grads = {}
        dz = (p - t) / m
        for l in range(self.L, 0, -1):
            grads[f"W{l}"] = dz @ self.a[l - 1].T
            grads[f"b{l}"] = dz.sum(axis=1, keepdims=True)
            if l > 1:
                da = self.params[f"W{l}"].T @ dz
                dz = da * self.slope(self.z[l - 2], self.a[l - 1])
        return grads

    def update_weights(self, gradients, lr):
        for name in self.params:
            self.params[name] = self.params[name] - lr * gradients[name]
