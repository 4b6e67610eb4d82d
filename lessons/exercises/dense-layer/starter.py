"""One dense sigmoid layer, a = σ(W·x + b), with its backward pass.

Columns are examples. backward adds into grad_W and grad_b, so gradients from
several batches accumulate. Save to have the tutor check it; code under
`if __name__ == "__main__":` is yours, the checker does not run it.
"""

import numpy as np


class DenseLayer:
    def __init__(self, W, b):
        """W: (n_out, n_in), b: (n_out, 1). Start grad_W and grad_b at zero."""
        self.W = W
        self.b = b
        self.grad_W = np.zeros_like(W)
        self.grad_b = np.zeros_like(b)

    def forward(self, x):
        """x: (n_in, m). Return a = σ(W·x + b), shape (n_out, m); keep what backward needs."""
        raise NotImplementedError("forward")

    def backward(self, grad_a):
        """grad_a = dL/da, (n_out, m). Add dL/dW and dL/db to grad_W, grad_b; return dL/dx."""
        raise NotImplementedError("backward")


if __name__ == "__main__":
    layer = DenseLayer(np.array([[0.5, -0.3]]), np.array([[0.1]]))
    a = layer.forward(np.array([[1.0, 2.0], [0.0, -1.0]]))
    print(a, layer.backward(np.ones_like(a)), layer.grad_W, layer.grad_b)
