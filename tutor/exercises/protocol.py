"""What the tutor and the child process that runs a learner's file say to each other.

Provides :func:`encode` and :func:`decode` for values (arrays at full float64
precision, dicts, numbers) as JSON, and :class:`Returned`, the learner's result
as the child saw it: an array, a dict of results, or a short description of
anything else.  Standard library and NumPy only: the child imports this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_DESCRIPTION = 60


def encode(value: Any) -> Any:
    """``value`` as JSON: arrays as {"array": {"shape", "data"}}, dicts as {"dict": …}."""
    if isinstance(value, np.ndarray):
        array = np.asarray(value, dtype=np.float64)
        return {"array": {"shape": list(array.shape), "data": array.ravel().tolist()}}
    if isinstance(value, dict):
        return {"dict": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` wrote (arrays come back as new float64 arrays)."""
    if isinstance(data, dict) and "array" in data:
        spec = data["array"]
        return np.array(spec["data"], dtype=np.float64).reshape(spec["shape"])
    if isinstance(data, dict) and "dict" in data:
        return {k: decode(v) for k, v in data["dict"].items()}
    return data


@dataclass(frozen=True)
class Returned:
    """What a learner's function returned: an array, a dict of Returned, or a description."""

    array: np.ndarray | None = None
    items: dict[str, Returned] | None = None
    description: str = ""


def describe(value: Any) -> Any:
    """The child's report of a learner's result, as JSON (a copy: later changes do not show)."""
    if isinstance(value, dict):
        return {"dict": {str(k)[:MAX_DESCRIPTION]: describe(v) for k, v in value.items()}}
    if value is None:
        return {"other": "None"}
    if isinstance(value, np.ndarray | float | int | np.number | list | tuple) and not isinstance(
        value, bool
    ):
        try:
            array = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            return {"other": f"a {type(value).__name__} that is not an array of numbers"}
        return encode(array)
    return {"other": f"a {type(value).__name__}"}


def returned(data: Any) -> Returned:
    """The :class:`Returned` of a report written by :func:`describe` (anything else is unread)."""
    if isinstance(data, dict) and "array" in data:
        try:
            return Returned(array=decode(data))
        except (TypeError, ValueError, KeyError):
            return Returned(description="something the tutor cannot read")
    if isinstance(data, dict) and "dict" in data:
        return Returned(items={k: returned(v) for k, v in data["dict"].items()})
    if isinstance(data, dict) and isinstance(data.get("other"), str):
        return Returned(description=data["other"][:MAX_DESCRIPTION])
    return Returned(description="something the tutor cannot read")
