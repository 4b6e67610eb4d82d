"""The autodiff in one namespace: nodes and the backward pass (``graph``) and the
operations (``ops``).  ``from tutor.engine import autodiff as ad`` then ``ad.sigmoid``.
"""

from tutor.engine.graph import Node, backward, grads_of, leaf, topological_order, unbroadcast
from tutor.engine.ops import (
    activate,
    add,
    exp,
    identity,
    linear,
    log,
    log_softmax,
    loss_node,
    matmul,
    mean,
    mul,
    power,
    relu,
    sigmoid,
    softmax,
    square,
    sub,
    sum_,
    tanh,
)

__all__ = [
    "Node",
    "activate",
    "add",
    "backward",
    "exp",
    "grads_of",
    "identity",
    "leaf",
    "linear",
    "log",
    "log_softmax",
    "loss_node",
    "matmul",
    "mean",
    "mul",
    "power",
    "relu",
    "sigmoid",
    "softmax",
    "square",
    "sub",
    "sum_",
    "tanh",
    "topological_order",
    "unbroadcast",
]
