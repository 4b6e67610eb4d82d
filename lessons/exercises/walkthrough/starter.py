"""The walkthrough network's backward pass, over a batch of m examples.

x → z1 = w1·x → a1 = σ(z1) → z2 = w2·a1 → y = σ(z2), no biases;
L = mean over the m examples of ½(y − t)². Save to have the tutor check it;
code under `if __name__ == "__main__":` is yours, the checker does not run it.
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def walkthrough_backward(x, t, w1, w2):
    """x, t: shape (1, m); w1, w2: numbers. Return the gradients as a dict.

    Keys: "dy", "dz2", "dw2", "da1", "dz1", "dw1" (dL/dy, dL/dz2, …);
    dw1 and dw2 are single numbers, the others have shape (1, m).
    """
    raise NotImplementedError("walkthrough_backward")


if __name__ == "__main__":
    x = np.array([[1.0, 0.5]])
    t = np.array([[1.0, 0.0]])
    print(walkthrough_backward(x, t, 0.5, 0.8))
