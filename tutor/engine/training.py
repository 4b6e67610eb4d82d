"""Initialisation, optimisers and the training loop as a generator of records.

The loop yields a :class:`TrainRecord` every ``record_every`` epochs and at the
end, so a UI can iterate it in a worker and draw as it goes.  A loss that turns
NaN or infinite ends training with a ``diverged`` record.  One epoch is one pass
over the training examples: a single full-batch step, or with ``batch_size`` one
step per mini-batch of the examples shuffled afresh each epoch (by the
``np.random.Generator`` passed to :func:`train`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from tutor.engine.dense import DenseNet
from tutor.engine.network import LayerSpec, NetworkSpec

Array = NDArray[np.float64]
INIT_SCHEMES = ("normal", "xavier", "he", "constant")
OPTIMIZERS = ("sgd", "momentum", "adam")
MAX_EPOCHS = 1_000_000
MAX_BATCH = 100_000


def init_std(scheme: str, n_in: int, n_out: int) -> float:
    """The standard deviation ``scheme`` draws a layer's weights from (before any scale).

    ``normal``: 1; ``xavier`` (Glorot): √(2 / (n_in + n_out)); ``he``: √(2 / n_in).
    """
    if scheme == "normal":
        return 1.0
    if scheme == "xavier":
        return math.sqrt(2.0 / (n_in + n_out))
    if scheme == "he":
        return math.sqrt(2.0 / n_in)
    raise ValueError(f"the {scheme!r} scheme draws no random weights")


def init_layers(
    sizes: Sequence[int],
    activations: Sequence[str],
    rng: np.random.Generator,
    *,
    scheme: str = "normal",
    scale: float = 1.0,
    bias: bool | Sequence[bool] = True,
) -> tuple[LayerSpec, ...]:
    """Random weights for layers of the given widths; biases start at zero.

    ``normal``: W ~ scale·N(0, 1).  ``xavier``: scale·N(0, 2/(n_in + n_out)).
    ``he``: scale·N(0, 2/n_in).  ``constant``: every weight is ``scale`` (no randomness:
    the units of a layer start identical, which is what symmetry breaking is about).
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"unknown init scheme {scheme!r}; use one of {', '.join(INIT_SCHEMES)}")
    biases = [bias] * len(activations) if isinstance(bias, bool) else list(bias)
    layers = []
    for n_in, n_out, activation, has_bias in zip(
        sizes[:-1], sizes[1:], activations, biases, strict=True
    ):
        if scheme == "constant":
            W = np.full((n_out, n_in), float(scale))
        else:
            W = scale * init_std(scheme, n_in, n_out) * rng.standard_normal((n_out, n_in))
        layers.append(
            LayerSpec(W=W, b=np.zeros((n_out, 1)) if has_bias else None, activation=activation)
        )
    return tuple(layers)


@dataclass(frozen=True)
class TrainConfig:
    """How to train: epochs, learning rate and optimiser settings."""

    epochs: int
    lr: float
    optimizer: str = "sgd"  # one of OPTIMIZERS, checked here: names come from people
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    record_every: int = 1
    include_params: bool = False
    batch_size: int = 0  # 0: every example in one batch (full-batch gradient descent)

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"unknown optimizer {self.optimizer!r}; use one of {', '.join(OPTIMIZERS)}"
            )
        if not 1 <= self.epochs <= MAX_EPOCHS:
            raise ValueError(f"epochs must be between 1 and {MAX_EPOCHS:,}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError("the learning rate must be a positive number")
        if self.record_every < 1:
            raise ValueError("record_every must be at least 1")
        if self.batch_size < 0:
            raise ValueError("the batch size must be a positive whole number (0: full batch)")


Status = Literal["running", "done", "diverged"]


@dataclass(frozen=True)
class TrainRecord:
    """The state after ``epoch`` updates: loss and per-layer weight-gradient norms."""

    epoch: int
    loss: float
    grad_norms: tuple[float, ...]  # ‖dL/dW_i‖ per layer
    status: Status = "running"
    params: dict[str, Array] | None = field(default=None, repr=False)
    message: str = ""


class _Optimizer:
    """Turns gradients into parameter updates (SGD, momentum, Adam)."""

    def __init__(self, config: TrainConfig) -> None:
        self.config = config
        self.velocity: dict[str, Array] = {}
        self.second: dict[str, Array] = {}
        self.steps = 0

    def update(self, params: dict[str, Array], grads: dict[str, Array]) -> dict[str, Array]:
        c = self.config
        if c.optimizer == "sgd":
            return {name: p - c.lr * grads[name] for name, p in params.items()}
        self.steps += 1
        new = {}
        for name, p in params.items():
            g = grads[name]
            if c.optimizer == "momentum":
                v = c.momentum * self.velocity.get(name, 0.0) + g
                self.velocity[name] = v
                step = c.lr * v
            else:
                m = c.beta1 * self.velocity.get(name, 0.0) + (1 - c.beta1) * g
                s = c.beta2 * self.second.get(name, 0.0) + (1 - c.beta2) * g * g
                self.velocity[name], self.second[name] = m, s
                m_hat = m / (1 - c.beta1**self.steps)
                s_hat = s / (1 - c.beta2**self.steps)
                step = c.lr * m_hat / (np.sqrt(s_hat) + c.eps)
            new[name] = p - step
        return new


def train(
    spec: NetworkSpec, config: TrainConfig, rng: np.random.Generator | None = None
) -> Iterator[TrainRecord]:
    """Train ``spec`` on its own data, yielding a record every ``record_every`` epochs.

    The record of epoch ``e`` holds the loss on every training example after ``e``
    epochs (epoch 0: before training) and the norms of that loss's weight gradients.
    The last record has status ``done`` and the trained parameters, or ``diverged``
    at the first recorded epoch whose loss is not finite.  With mini-batches the
    examples are shuffled by ``rng`` (default: ``np.random.default_rng(0)``).
    """
    net = DenseNet(spec)
    optimizer = _Optimizer(config)
    params = spec.params()
    batches = _Batches(spec.examples, config.batch_size, rng or np.random.default_rng(0))
    epoch = 0
    while True:
        with np.errstate(all="ignore"):
            loss, grads = net.loss_and_gradients(params)
        if not math.isfinite(loss):
            message = _divergence_message(epoch, config.lr)
            yield TrainRecord(epoch, loss, _norms(net, grads), "diverged", params, message)
            return
        if epoch == config.epochs:
            yield TrainRecord(epoch, loss, _norms(net, grads), "done", params)
            return
        kept = params if config.include_params else None
        yield TrainRecord(epoch, loss, _norms(net, grads), "running", kept)
        steps = min(config.record_every, config.epochs - epoch)
        with np.errstate(all="ignore"):
            if batches.full:
                params = optimizer.update(params, grads)
                for _ in range(steps - 1):
                    params = optimizer.update(params, net.gradients(params))
            else:
                for _ in range(steps):
                    for columns in batches.epoch():
                        params = optimizer.update(params, net.gradients(params, columns))
        epoch += steps


class _Batches:
    """The mini-batches of one epoch: the examples shuffled, then cut into batches."""

    def __init__(self, examples: int, size: int, rng: np.random.Generator) -> None:
        self.examples = examples
        self.size = size
        self.rng = rng
        self.full = size == 0 or size >= examples

    def epoch(self) -> Iterator[NDArray[np.int64]]:
        """The column indices of each batch of a fresh pass (the last may be smaller)."""
        order = self.rng.permutation(self.examples)
        for start in range(0, self.examples, self.size):
            yield order[start : start + self.size]


def _norms(net: DenseNet, grads: dict[str, Array]) -> tuple[float, ...]:
    with np.errstate(all="ignore"):
        return tuple(float(np.linalg.norm(grads[name])) for name in net.weights)


def _divergence_message(epoch: int, lr: float) -> str:
    return (
        f"The loss stopped being a number at epoch {epoch:,}: the updates grew without bound "
        f"(learning rate {lr:g}). Try a smaller learning rate."
    )
