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

from tutor.exercises.judge import CheckResult, not_run
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


@dataclass(frozen=True)
class Guarded:
    """An argument the learner's code must leave as it was, reported again after the call."""

    call: str
    argument: str
    report: str
    original: np.ndarray | str  # the array passed, or the report name of the learner's own value
    returned: str | None  # the call's own report: the argument is judged once the call returned


def report_of(steps: list[dict[str, Any]], kept: str) -> str:
    """The report name under which the step that kept ``kept`` reported it ("" if none)."""
    for step in steps:
        if step.get("as") == kept and "report" in step:
            return str(step["report"])
    return ""


@dataclass
class Plan:
    """The steps of one check run, in order, and what the learner's file must define."""

    functions: tuple[str, ...] = ()
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    guarded: list[Guarded] = field(default_factory=list)

    @property
    def requires(self) -> dict[str, Any]:
        """The names the child checks before running any step."""
        return {"functions": list(self.functions), "classes": dict(self.classes)}

    def _add(
        self,
        do: str,
        target: str,
        args: Sequence[Any],
        what: str,
        needs: Sequence[str] = (),
        **more: str | None,
    ) -> None:
        step: dict[str, Any] = {
            "do": do,
            "target": target,
            "args": [_arg(a) for a in args],
            "what": what,
        }
        step.update({k: v for k, v in more.items() if v is not None})
        if needs:  # kept names of earlier steps: if one of them raised, this one is not run
            step["needs"] = list(needs)
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
        guard: Sequence[str] = (),
        needs: Sequence[str] = (),
    ) -> None:
        """Call a function (``"sigmoid"``) or a kept object's method (``"net0.forward"``).

        ``guard`` names the positional arguments (``""`` for one not to watch): each
        array among them, or a kept value, is reported again after the call, so
        :func:`unchanged` can tell whether the learner's code changed the caller's array.
        """
        args = list(args)
        after: list[tuple[str, str, np.ndarray | str]] = []
        original: np.ndarray | str
        for j, (arg, name) in enumerate(zip(args, guard, strict=False)):
            if not name:
                continue
            if isinstance(arg, np.ndarray):
                kept = f"arg{len(self.steps)}.{j}"
                self.keep(kept, arg)
                args[j], original = ref(kept), arg.copy()
            elif isinstance(arg, dict) and isinstance(arg.get("ref"), str):
                kept, original = arg["ref"], f"{report_of(self.steps, arg['ref'])}"
            else:
                continue
            after.append((kept, name, original))
        self._add("call", target, args, what, needs, **{"as": keep, "report": report})
        shown = target.rpartition(".")[2]
        for kept, name, original in after:
            report_name = f"unchanged/{len(self.guarded)}"
            self.value(kept, what=f"reading {name} after {shown}", report=report_name)
            self.guarded.append(Guarded(shown, name, report_name, original, report))

    def attribute(self, target: str, *, what: str, report: str, needs: Sequence[str] = ()) -> None:
        """Report an attribute of a kept object (``"layer0.grad_W"``), once the steps that
        kept ``needs`` ran."""
        self._add("attr", target, (), what, needs, report=report)

    def keep(self, name: str, value: Any) -> None:
        """Keep ``value`` in the child as ``name``, so a later step can see it changed."""
        self._add("set", name, (value,), "", **{"as": name})

    def value(self, kept: str, *, what: str, report: str, needs: Sequence[str] = ()) -> None:
        """Report a kept value again (to see whether the learner's code changed it), once the
        steps that kept ``needs`` ran (a method that raised left nothing to judge)."""
        self._add("value", kept, (), what, needs, report=report)


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


UNCHANGED = "arguments left unchanged"


def unchanged(plan: Plan, results: Results) -> CheckResult:
    """Whether every guarded argument came back from the learner's code as it went in."""
    count = 0
    for guarded in plan.guarded:
        after = results.get(guarded.report)
        if isinstance(guarded.original, str):
            before = results.get(guarded.original)
            original = None if before is None else before.array
        else:
            original = guarded.original
        returned = guarded.returned is None or guarded.returned in results
        if not returned or after is None or after.array is None or original is None:
            continue
        count += 1
        same = after.array.shape == original.shape and np.allclose(
            after.array, original, rtol=1e-12, atol=1e-12, equal_nan=True
        )
        if not same:
            name = guarded.argument
            return CheckResult(
                UNCHANGED,
                False,
                f"{guarded.call} changed the caller's {name}",
                f"in-place change of an argument: `{name} -= …`, `{name} *= …` or `out=` write "
                f"into the caller's array; make a new one instead (`{name} = {name} - …`)",
            )
    if not count:
        return not_run(UNCHANGED, "your code raised an error or stopped before returning it")
    return CheckResult(UNCHANGED, True, f"{count} argument{'s' * (count != 1)} as they were")
