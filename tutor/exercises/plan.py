"""A checker's plan: the steps the child runs on the learner's code, and how to judge them.

Provides :class:`Plan` (builds the steps: create an object, call a function or a
method, read an attribute, report a value kept earlier), :func:`ref` and
:func:`loss_of` (arguments that are not plain values), :class:`Built` (a plan with
its judge), :func:`results_of` and :func:`item` (the learner's results for a
report name, case by case).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.exercises.judge import CheckResult
from tutor.exercises.protocol import Returned, encode

Results = dict[str, Returned]


def ref(name: str) -> dict[str, str]:
    """An argument that is a value kept by an earlier step (``as``)."""
    return {"ref": name}


def loss_of(x: np.ndarray, t: np.ndarray, activations: Sequence[str], loss: str) -> dict[str, Any]:
    """An argument that is a function ``loss(params) -> float``: the engine's loss on x, t."""
    return {
        "loss": {
            "input": encode(x),
            "target": encode(t),
            "activations": list(activations),
            "loss": loss,
        }
    }


def _arg(value: Any) -> Any:
    if isinstance(value, dict) and ("ref" in value or "loss" in value):
        return value
    return encode(value)


@dataclass
class Plan:
    """The steps of one check run, in order, and what the learner's file must define."""

    functions: tuple[str, ...] = ()
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)

    @property
    def requires(self) -> dict[str, Any]:
        """The names the child checks before running any step."""
        return {"functions": list(self.functions), "classes": dict(self.classes)}

    def _add(
        self, do: str, target: str, args: Sequence[Any], what: str, **more: str | None
    ) -> None:
        step = {"do": do, "target": target, "args": [_arg(a) for a in args], "what": what}
        step.update({k: v for k, v in more.items() if v is not None})
        self.steps.append(step)

    def new(self, cls: str, args: Sequence[Any], *, keep: str, what: str) -> None:
        """Create an instance of the learner's class ``cls`` and keep it as ``keep``."""
        self._add("new", cls, args, what, **{"as": keep})

    def call(
        self,
        target: str,
        args: Sequence[Any],
        *,
        what: str,
        keep: str | None = None,
        report: str | None = None,
    ) -> None:
        """Call a function (``"sigmoid"``) or a kept object's method (``"net0.forward"``)."""
        self._add("call", target, args, what, **{"as": keep, "report": report})

    def attribute(self, target: str, *, what: str, report: str) -> None:
        """Report an attribute of a kept object (``"layer0.grad_W"``)."""
        self._add("attr", target, (), what, report=report)

    def keep(self, name: str, value: Any) -> None:
        """Keep ``value`` in the child as ``name``, so a later step can see it changed."""
        self._add("set", name, (value,), "", **{"as": name})

    def value(self, kept: str, *, what: str, report: str) -> None:
        """Report a kept value again (to see whether the learner's code changed it)."""
        self._add("value", kept, (), what, report=report)


@dataclass
class Built:
    """A plan and the function that turns the learner's results into checks."""

    plan: Plan
    judge: Callable[[Results], list[CheckResult]]


def results_of(
    results: Results, report: str, count: int, key: str | None = None
) -> list[Returned | None]:
    """The learner's results reported as ``report/0``, ``report/1``, … (an entry of a dict)."""
    found = [results.get(f"{report}/{i}") for i in range(count)]
    return found if key is None else [None if r is None else item(r, key) for r in found]


def item(returned: Returned, key: str) -> Returned:
    """The entry ``key`` of a returned dict, or a description of why there is none."""
    if returned.items is None:
        return Returned(description=f"{returned.description or 'an array'} instead of a dict")
    if key not in returned.items:
        keys = ", ".join(sorted(returned.items)) or "no keys"
        return Returned(description=f"a dict without the key {key!r} (it has {keys})")
    return returned.items[key]
