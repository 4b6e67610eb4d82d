"""Softmax with cross-entropy: probabilities, the loss and dL/dz.

z has shape (k, m): k classes, one column per example; t has the same shape
and each of its columns sums to 1. Save to have the tutor check it; code under
`if __name__ == "__main__":` is yours, the checker does not run it.
"""

import numpy as np


def softmax(z):
    """Each column turned into probabilities (positive, summing to 1)."""
    raise NotImplementedError("softmax")


def cross_entropy(z, t):
    """The mean over the m columns of −Σ_k t_k·log softmax(z)_k: one number."""
    raise NotImplementedError("cross_entropy")


def cross_entropy_backward(z, t):
    """dL/dz for the loss above, shape (k, m)."""
    raise NotImplementedError("cross_entropy_backward")


if __name__ == "__main__":
    z = np.array([[2.0, 0.0], [1.0, 0.0], [0.1, 5.0]])
    t = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    print(softmax(z), cross_entropy(z, t), cross_entropy_backward(z, t))
