"""A numerical gradient check: central differences and the relative error.

loss(params) returns a number; params and gradients are dicts of arrays with
the same keys. Save to have the tutor check it; code under
`if __name__ == "__main__":` is yours, the checker does not run it.
"""

import numpy as np


def numerical_gradient(loss, params, epsilon=1e-5):
    """A dict: for every parameter, (L(θ + ε) − L(θ − ε)) / 2ε entry by entry.

    Leave params exactly as you found them.
    """
    raise NotImplementedError("numerical_gradient")


def gradient_check(loss, params, gradients, epsilon=1e-5):
    """‖a − n‖ / (‖a‖ + ‖n‖) over all parameters together (a: gradients, n: numerical)."""
    raise NotImplementedError("gradient_check")


if __name__ == "__main__":
    params = {"w": np.array([[1.0, 2.0]])}

    def loss(p):
        return float(np.sum(p["w"] ** 2))

    print(numerical_gradient(loss, params))  # about [[2, 4]]
    print(gradient_check(loss, params, {"w": np.array([[2.0, 4.0]])}))  # tiny
