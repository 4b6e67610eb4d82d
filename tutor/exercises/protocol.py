"""The tutor's side of what it and the sandboxed child say to each other.

The child's side is :mod:`tutor.exercises.harness` (a standalone file).  Values
travel as JSON: an array as ``{"array": {"shape", "data"}}`` (a flat list of
numbers, float64 at full precision), a dict as ``{"dict": …}``, anything else as
``{"other": description}``; never pickle.  Provides :func:`encode` (arguments
the tutor sends), :func:`read_event` (one line from the child, parsed within
limits, or None) and :func:`returned` (a learner's value, validated, as a
:class:`Returned`).  Whatever the child writes, nothing here raises.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_DESCRIPTION = 60
MAX_LINE_BYTES = 32 * 1024 * 1024
"""The longest event line the tutor reads (an array of a million numbers fits)."""
MAX_ELEMENTS = 1_000_000
MAX_DIMENSIONS = 8
MAX_ITEMS = 100
UNREADABLE = "something the tutor cannot read"


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


def read_event(line: bytes) -> dict[str, Any] | None:
    """One event the child wrote, or None if the line is not one (too long, not JSON…)."""
    if len(line) > MAX_LINE_BYTES:
        return None
    try:
        event = json.loads(line)
    except (ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("n"), int):
        return None
    return event


@dataclass(frozen=True)
class Returned:
    """What a learner's function returned: an array, a dict of Returned, or a description."""

    array: np.ndarray | None = None
    items: dict[str, Returned] | None = None
    description: str = ""


def array_of(data: Any) -> np.ndarray | None:
    """The array in ``{"array": {"shape", "data"}}`` if it is well formed and not too big."""
    spec = data.get("array") if isinstance(data, dict) else None
    if not isinstance(spec, dict):
        return None
    shape, values = spec.get("shape"), spec.get("data")
    if not isinstance(shape, list) or not isinstance(values, list):
        return None
    if len(shape) > MAX_DIMENSIONS or not all(
        isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_ELEMENTS for n in shape
    ):
        return None
    if math.prod(shape) != len(values) or len(values) > MAX_ELEMENTS:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return None
    try:
        return np.array(values, dtype=np.float64).reshape(shape)
    except (ValueError, OverflowError):
        return None


def returned(data: Any, depth: int = 0) -> Returned:
    """The :class:`Returned` of a value the child described (anything else is unread)."""
    if isinstance(data, dict) and "array" in data:
        array = array_of(data)
        return Returned(description=UNREADABLE) if array is None else Returned(array=array)
    if isinstance(data, dict) and isinstance(data.get("dict"), dict) and depth < 4:
        entries = list(data["dict"].items())[:MAX_ITEMS]
        return Returned(
            items={str(k)[:MAX_DESCRIPTION]: returned(v, depth + 1) for k, v in entries}
        )
    if isinstance(data, dict) and isinstance(data.get("other"), str):
        return Returned(description=data["other"][:MAX_DESCRIPTION])
    return Returned(description=UNREADABLE)
