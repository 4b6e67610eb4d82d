"""The engine: reverse-mode autodiff on NumPy with a chain-rule trace.

NumPy only: no Textual, Rich or plotext, no printing, no global random state.
"""

from tutor.engine.gradcheck import PASS_THRESHOLD, GradCheck, ParamCheck, gradient_check
from tutor.engine.network import (
    Derivation,
    GraphNode,
    LayerSpec,
    NetworkSpec,
    derive,
    loss_of,
    predict,
    sgd_step,
)
from tutor.engine.serialize import derivation_to_json
from tutor.engine.spec import SpecError, TrainSettings, load_spec, parse_spec_text, spec_from_source
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
    "SpecError",
    "TraceRecord",
    "TrainConfig",
    "TrainRecord",
    "TrainSettings",
    "derivation_to_json",
    "derive",
    "gradient_check",
    "init_layers",
    "load_spec",
    "loss_of",
    "parse_spec_text",
    "predict",
    "sgd_step",
    "spec_from_source",
    "train",
]
