"""The tutor's checkers, one module per kind; an exercise names its kind in ``checker``.

Each module's ``build(rng)`` returns a :class:`~tutor.exercises.plan.Built`: the
steps to run on the learner's file and the judge of their results.  Checkers are
code of the tutor, never of a lesson: an exercise file only names one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import numpy as np

from tutor.exercises.plan import Built

CHECKERS: dict[str, str] = {
    "sigmoid": "sigmoid",
    "dense-layer": "dense_layer",
    "walkthrough": "walkthrough",
    "three-layer": "three_layer",
    "gradcheck": "gradcheck",
    "softmax-cross-entropy": "softmax",
    "two-heads": "two_heads",
    "deep-network": "deep_network",
}
"""Checker name → module in this package."""


def builder(name: str) -> Callable[[np.random.Generator], Built]:
    """The ``build`` function of the checker ``name`` (one of :data:`CHECKERS`)."""
    module = importlib.import_module(f"{__name__}.{CHECKERS[name]}")
    return module.build
