"""What a finished run came to, as typed results; the words are :mod:`tutor.present.training`.

Provides :class:`PredictionRow` and :func:`prediction_rows` (input, target,
output, rounded output and whether it is right, per training example, from the
engine's ``predict``); :func:`judge_run`, a :class:`RunVerdict` whose
:class:`RunOutcome` says whether the network learned, got stuck on a plateau,
overshot, diverged or was stopped (hidden units that stayed identical are found by
:func:`symmetric_layers`; what a run that went wrong changed is a :class:`Blame`);
and :func:`race_epochs`, the epochs a race's table compares.  Every number comes from
the engine.  No Textual, no words.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from tutor.engine import NetworkSpec, predict
from tutor.engine.functions import softmax
from tutor.training.history import STOPPED, RunHistory
from tutor.training.knobs import Knobs, KnobSettings, editable_knobs, knobs_from_block

REGRESSION_TOLERANCE = 0.05
"""For targets that are not whole numbers: an output within this (relative, at least
absolute) distance of its target counts as right."""
UNDECIDED_MARGIN = 0.05
"""An output this close to a rounding boundary (``|y − 0.5| < 0.05`` for 0/1 targets) is at
chance: the network has not decided, so it is shown as "?" and never counts as right.  With
``cross_entropy`` the same margin applies to the lead of the likeliest class over the
runner-up halved (two classes at p and 1 − p lead by 2·|p − 0.5|)."""
PLATEAU_CHANGE = 0.01
"""A run whose loss changed by less than this fraction of its start barely moved."""
TINY_GRADIENT = 1e-3
"""Weight gradients whose largest norm ‖dL/dW‖ is below this move the weights by almost nothing."""


@dataclass(frozen=True)
class PredictionRow:
    """One training example: what went in, what was wanted, what came out.

    ``rounded`` holds None for an output at chance (within :data:`UNDECIDED_MARGIN`
    of a rounding boundary); such an example is neither right nor wrong.
    """

    input: tuple[float, ...]
    target: tuple[float, ...]
    output: tuple[float, ...]
    rounded: tuple[float | None, ...]
    correct: bool

    @property
    def undecided(self) -> bool:
        """Whether an output of this example is at chance."""
        return None in self.rounded


def prediction_rows(spec: NetworkSpec) -> list[PredictionRow]:
    """A row per example (column) of the spec's own data.

    With ``cross_entropy`` the output is the softmax probabilities and the rounded
    output the one-hot class; with whole-number targets it is rounded to the
    nearest integer; either is undecided within :data:`UNDECIDED_MARGIN` of a tie.
    Otherwise an output is right within :data:`REGRESSION_TOLERANCE`.
    """
    output = predict(spec)
    target = spec.target
    if spec.loss == "cross_entropy":
        output = softmax(output, axis=0)
        rounded = np.eye(output.shape[0])[:, np.argmax(output, axis=0)]
        ordered = np.sort(output, axis=0)
        lead = (ordered[-1] - ordered[-2]) / 2 if len(ordered) > 1 else np.ones(spec.examples)
        open_ = np.broadcast_to(lead < UNDECIDED_MARGIN, output.shape)
        correct = np.argmax(output, axis=0) == np.argmax(target, axis=0)
    elif np.all(target == np.round(target)):
        rounded = np.round(output)
        open_ = np.abs(output - np.floor(output) - 0.5) < UNDECIDED_MARGIN
        correct = np.all(rounded == target, axis=0)
    else:
        rounded = np.round(output, 2)
        open_ = np.zeros(output.shape, dtype=bool)
        scale = np.maximum(1.0, np.abs(target))
        correct = np.all(np.abs(output - target) <= REGRESSION_TOLERANCE * scale, axis=0)
    return [
        PredictionRow(
            input=tuple(float(v) for v in spec.input[:, j]),
            target=tuple(float(v) for v in target[:, j]),
            output=tuple(float(v) for v in output[:, j]),
            rounded=tuple(
                None if unsure else float(v)
                for v, unsure in zip(rounded[:, j], open_[:, j], strict=True)
            ),
            correct=bool(correct[j]) and not open_[:, j].any(),
        )
        for j in range(spec.examples)
    ]


SATURATING = frozenset({"sigmoid", "tanh"})
"""Activations whose slope goes to zero for large inputs: only their units "saturate"."""
BLAMED = ("lr", "init_scale", "hidden", "init", "optimizer", "activation")
"""Knobs a run that went wrong is compared on with the block's own settings, in this order."""


class RunOutcome(StrEnum):
    """What a finished run came to, in the order :func:`judge_run` tells them apart."""

    DIVERGED = "diverged"  # the loss stopped being a number
    NO_LOSS = "no loss"  # nothing was recorded
    STOPPED = "stopped"  # the learner stopped it
    SYMMETRIC = "symmetric"  # hidden units stayed identical
    PLATEAU = "plateau"  # stuck: tiny gradients, the loss barely moved or every output at chance
    SLOW = "slow"  # the loss barely moved though the gradients are not tiny
    WORSE = "worse"  # the loss ended above where it started
    LEARNED = "learned"  # every example right
    TRAINED = "trained"  # the loss fell, some examples still wrong or undecided


class Blame(StrEnum):
    """What a run that went wrong changed from the block's own settings."""

    NOTHING = "nothing"  # the block's settings (or none known)
    LARGER_LR = "larger lr"
    LARGER_START = "larger start"  # a larger init scale or more hidden units
    OTHER = "other"


@dataclass(frozen=True)
class RunVerdict:
    """A finished run judged: its :class:`RunOutcome` and the engine's numbers behind it.

    ``changed`` names the knobs that differ from the block's settings (``knobs`` and
    ``defaults`` hold both values); ``offered`` the knobs the learner may change (None:
    all), the only ones a front end may suggest.
    """

    outcome: RunOutcome
    epoch: int = 0  # the last epoch recorded (where the loss overflowed, if it diverged)
    first_loss: float | None = None
    final_loss: float | None = None
    examples: int = 0
    right: int = 0
    undecided: int = 0
    largest_gradient: float = 0.0  # the largest ‖dL/dW‖ at the end
    at_chance: bool = False  # every output undecided
    symmetric: tuple[int, ...] = ()  # the hidden layers whose units stayed identical
    saturates: bool = False  # whether the network has sigmoid or tanh units
    blame: Blame = Blame.NOTHING
    changed: tuple[str, ...] = ()
    knobs: Knobs | None = None
    defaults: Knobs | None = None
    offered: frozenset[str] | None = None


def changed_knobs(knobs: Knobs | None, defaults: Knobs | None) -> tuple[str, ...]:
    """The knobs of :data:`BLAMED` on which ``knobs`` differ from ``defaults``, in that order."""
    if knobs is None or defaults is None:
        return ()
    return tuple(name for name in BLAMED if getattr(knobs, name) != getattr(defaults, name))


def saturates(network: NetworkSpec | None) -> bool:
    """Whether any unit of ``network`` has a saturating activation (unknown network: no)."""
    return network is not None and any(layer.activation in SATURATING for layer in network.layers)


def symmetric_layers(params: Mapping[str, np.ndarray], network: NetworkSpec) -> list[int]:
    """The hidden layers (numbered from 1) whose units all ended with the same weights.

    A hidden layer's units are alike when their incoming weights (rows of ``Wl``) and
    biases are equal and the next layer reads them with equal weights (columns of
    ``W(l+1)``): then they get equal gradients, and no number of steps can tell them apart.
    """
    found = []
    for layer in range(1, len(network.layers)):
        rows = [params[f"W{layer}"]]
        if f"b{layer}" in params:
            rows.append(params[f"b{layer}"])
        rows.append(params[f"W{layer + 1}"].T)
        stacked = np.hstack(rows)
        if len(stacked) > 1 and np.allclose(stacked, stacked[0], rtol=1e-9, atol=1e-12):
            found.append(layer)
    return found


def _blame(knobs: Knobs | None, defaults: Knobs | None) -> Blame:
    """Which change from the block's settings a run that went wrong is blamed on."""
    if knobs is None or defaults is None or not changed_knobs(knobs, defaults):
        return Blame.NOTHING
    if knobs.lr > defaults.lr:
        return Blame.LARGER_LR
    if knobs.init_scale > defaults.init_scale or (knobs.hidden or 0) > (defaults.hidden or 0):
        return Blame.LARGER_START
    return Blame.OTHER


def judge_run(
    history: RunHistory,
    rows: Sequence[PredictionRow] | None = None,
    *,
    network: NetworkSpec | None = None,
    defaults: Knobs | None = None,
    offered: Collection[str] | None = None,
    params: Mapping[str, np.ndarray] | None = None,
) -> RunVerdict:
    """What happened in the run, from its losses, gradients and predictions.

    ``network``: the network trained (saturation is said only of sigmoid and tanh units);
    ``defaults``: the block's own settings, so a run that went wrong names what it changed;
    ``offered``: the knobs the learner may change (None: all);
    ``params``: the trained parameters, so hidden units that stayed identical are found.
    """
    rows = list(rows or [])
    base = RunVerdict(
        RunOutcome.NO_LOSS,
        epoch=history.diverged_at or (history.epochs[-1] if history.epochs else 0),
        first_loss=history.first_loss,
        final_loss=history.final_loss,
        examples=len(rows),
        right=sum(row.correct for row in rows),
        undecided=sum(row.undecided for row in rows),
        largest_gradient=max(history.grad_norms[-1], default=0.0) if history.grad_norms else 0.0,
        saturates=saturates(network),
        blame=_blame(history.knobs, defaults),
        changed=changed_knobs(history.knobs, defaults),
        knobs=history.knobs,
        defaults=defaults,
        offered=None if offered is None else frozenset(offered),
    )
    first, final = history.first_loss, history.final_loss
    if history.status == "diverged":
        return replace(base, outcome=RunOutcome.DIVERGED)
    if first is None or final is None:
        return base
    if history.status == STOPPED:
        return replace(base, outcome=RunOutcome.STOPPED)
    barely_moved = abs(final - first) <= PLATEAU_CHANGE * abs(first)
    at_chance = bool(rows) and base.undecided == len(rows)
    base = replace(base, at_chance=at_chance)
    alike = symmetric_layers(params, network) if params is not None and network else []
    if alike and not (rows and base.right == len(rows)):
        return replace(base, outcome=RunOutcome.SYMMETRIC, symmetric=tuple(alike))
    if base.largest_gradient < TINY_GRADIENT and (barely_moved or at_chance):
        return replace(base, outcome=RunOutcome.PLATEAU)
    if barely_moved:
        return replace(base, outcome=RunOutcome.SLOW)
    if final > first:
        return replace(base, outcome=RunOutcome.WORSE)
    if rows and base.right == len(rows):
        return replace(base, outcome=RunOutcome.LEARNED)
    return replace(base, outcome=RunOutcome.TRAINED)


def judge_block_run(
    history: RunHistory,
    rows: Sequence[PredictionRow] | None,
    block: KnobSettings,
    spec: NetworkSpec,
    network: NetworkSpec | None,
) -> RunVerdict:
    """A run of a lesson's train block judged against the block's own settings, suggesting
    only the knobs it offers (``spec``: the block's network; ``network``: the one trained)."""
    return judge_run(
        history,
        rows,
        network=network,
        defaults=knobs_from_block(block, spec),
        offered=editable_knobs(block, spec),
        params=history.params,
    )


RACE_CHECKPOINTS = 6
"""How many epochs a race's table of losses shows (the first and the last among them)."""


def race_epochs(runs: Sequence[RunHistory]) -> list[int]:
    """The epochs a race's table shows: the first, the last and evenly spaced ones between.

    The runs of a race share their epochs (same ``epochs`` and ``record_every``); only
    epochs every run recorded are chosen.
    """
    shared = sorted(set.intersection(*(set(run.epochs) for run in runs))) if runs else []
    if not shared:
        return []
    step = max(1, (len(shared) - 1) // (RACE_CHECKPOINTS - 1))
    return sorted({*shared[::step][: RACE_CHECKPOINTS - 1], shared[-1]})
