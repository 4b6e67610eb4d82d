"""The sigmoid and its derivative, on whole NumPy arrays.

Fill in both functions and save: the tutor checks this file against its
engine. Code under `if __name__ == "__main__":` is yours for trying things
out; the checker does not run it.
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), entry by entry; same shape as z."""
    raise NotImplementedError("sigmoid")


def sigmoid_prime(z):
    """dσ/dz at every entry of z; same shape as z."""
    raise NotImplementedError("sigmoid_prime")


if __name__ == "__main__":
    z = np.array([[-2.0, 0.0, 2.0]])
    print(sigmoid(z), sigmoid_prime(z))
