"""The machine-readable form of a derivation (the ``solve --json`` contract)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.engine.network import Derivation


def to_lists(array: np.ndarray) -> Any:
    """Nested lists of Python floats at full float64 precision."""
    return np.asarray(array, dtype=np.float64).tolist()


def compact(array: np.ndarray) -> Any:
    """A plain float for a single number, nested lists otherwise (trace entries)."""
    array = np.asarray(array, dtype=np.float64)
    return array.item() if array.size == 1 else array.tolist()


def derivation_to_json(derivation: Derivation) -> dict[str, Any]:
    """loss, output, values, gradients and the trace, as DESIGN.md specifies."""
    return {
        "loss": derivation.loss,
        "output": to_lists(derivation.output),
        "values": {name: to_lists(v) for name, v in derivation.values.items()},
        "gradients": {name: to_lists(g) for name, g in derivation.gradients.items()},
        "trace": [
            {
                "target": record.target,
                "factors": [[f.name, compact(f.value)] for f in record.factors],
                "value": compact(record.value),
                "rule": record.rule,
            }
            for record in derivation.trace
        ],
    }
