"""The engine: reverse-mode autodiff on NumPy with a chain-rule trace.

NumPy only: no Textual, Rich or plotext, no printing, no global random state.
"""

from tutor.engine.dense import loss_of, predict
from tutor.engine.gradcheck import PASS_THRESHOLD, GradCheck, ParamCheck, gradient_check
from tutor.engine.network import (
    Derivation,
    GraphNode,
    LayerSpec,
    NetworkSpec,
    derive,
    sgd_step,
)
from tutor.engine.trace import Factor, ForwardStep, TraceRecord
from tutor.engine.training import TrainConfig, TrainRecord, init_layers, train

__all__ = [
    "PASS_THRESHOLD",
    "Derivation",
    "Factor",
    "ForwardStep",
    "GradCheck",
    "GraphNode",
    "LayerSpec",
    "NetworkSpec",
    "ParamCheck",
    "TraceRecord",
    "TrainConfig",
    "TrainRecord",
    "derive",
    "gradient_check",
    "init_layers",
    "loss_of",
    "predict",
    "sgd_step",
    "train",
]
