"""The keys a lesson's progress is kept under (imports nothing, so the UI may use it at once).

A block is ``"step:part"`` (both counted from 0); a prediction in a derive block adds
its target, ``"2:1:dL/dz2"``.
"""

from __future__ import annotations


def block_key(step: int, part: int) -> str:
    """The progress key of part ``part`` of step ``step``."""
    return f"{step}:{part}"


def prediction_key(block: str, target: str) -> str:
    """The progress key of the prediction of ``target`` ("dL/dz2") in the derive block ``block``."""
    return f"{block}:{target}"
