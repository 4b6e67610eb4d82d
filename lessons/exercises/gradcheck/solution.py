"""A reference solution: a numerical gradient check by central differences."""

import numpy as np


def numerical_gradient(loss, params, epsilon=1e-5):
    gradients = {}
    for name, p in params.items():
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            old = p[index]
            p[index] = old + epsilon
            plus = loss(params)
            p[index] = old - epsilon
            minus = loss(params)
            p[index] = old
            g[index] = (plus - minus) / (2 * epsilon)
        gradients[name] = g
    return gradients


def gradient_check(loss, params, gradients, epsilon=1e-5):
    numerical = numerical_gradient(loss, params, epsilon)
    a = np.concatenate([gradients[name].ravel() for name in params])
    n = np.concatenate([numerical[name].ravel() for name in params])
    return np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))
