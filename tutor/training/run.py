"""Turning a train block, its network and the knob values into a run the engine can train.

Provides :func:`build_network` (fresh weights from ``init_layers`` with the
network's activations and biases, ``hidden`` replacing every hidden width, a
``default_rng(seed)``), :func:`auto_record_every`, :func:`train_config` and
:class:`PreparedRun` / :func:`prepare_run`, which bundle them.  No Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tutor.engine import NetworkSpec, TrainConfig, init_layers
from tutor.training.knobs import Knobs

PLOT_POINTS = 1000
"""About how many records a run keeps for its curves, however long it is."""


def build_network(spec: NetworkSpec, knobs: Knobs) -> NetworkSpec:
    """``spec`` with freshly initialised weights, hidden widths and activations from ``knobs``.

    The data and the output layer's activation are kept; the loss is the knobs'.
    """
    sizes = list(spec.sizes)
    if knobs.hidden is not None:
        sizes[1:-1] = [knobs.hidden] * (len(sizes) - 2)
    activations = [layer.activation for layer in spec.layers]
    if knobs.activation is not None:
        activations[:-1] = [knobs.activation] * (len(activations) - 1)
    layers = init_layers(
        sizes,
        activations,
        np.random.default_rng(knobs.seed),
        scheme=knobs.init,
        scale=knobs.init_scale,
        bias=[layer.b is not None for layer in spec.layers],
    )
    return replace(spec, loss=knobs.loss, layers=layers)


def auto_record_every(epochs: int, points: int = PLOT_POINTS) -> int:
    """Record every n-th epoch so that a run yields about ``points`` records."""
    return max(1, -(-epochs // points))


def train_config(knobs: Knobs, record_every: int = 0) -> TrainConfig:
    """The engine's config for ``knobs``; ``record_every`` 0 picks :func:`auto_record_every`."""
    every = record_every if record_every > 0 else auto_record_every(knobs.epochs)
    return TrainConfig(
        epochs=knobs.epochs,
        lr=knobs.lr,
        optimizer=knobs.optimizer,
        record_every=every,
        batch_size=knobs.batch_size,
    )


@dataclass(frozen=True)
class PreparedRun:
    """What one training run needs: its knobs, the initialised network and the config."""

    knobs: Knobs
    network: NetworkSpec
    config: TrainConfig


def prepare_run(spec: NetworkSpec, knobs: Knobs, *, record_every: int = 0) -> PreparedRun:
    """Initialise ``spec`` for ``knobs`` and choose how often to record."""
    return PreparedRun(knobs, build_network(spec, knobs), train_config(knobs, record_every))
