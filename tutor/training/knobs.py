"""The knobs a learner turns before a training run: values, parsing and run labels.

Owns :data:`KNOBS` (every knob there is) and :data:`HIDDEN_ACTIVATIONS`; reads a
train block through :class:`KnobSettings`, so training never imports the lesson model.
Provides :class:`Knobs` (learning rate, epochs, init scheme and scale, seed,
optimizer, hidden width and activation, loss), :func:`knobs_from_block` (the values a
lesson's train block starts with), :func:`parse_knob` (text typed by the learner → a value, or a
:class:`KnobError` that says why not) and :func:`run_labels` (names runs by the
knobs that differ between them, e.g. "init 0.01" vs "init 1.0"), with
:func:`editable_knobs` and :func:`fixed_knobs` (the words around the fields are
:mod:`tutor.present.training`'s).  No Textual.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Protocol

from tutor.engine import NetworkSpec
from tutor.engine.functions import LOSSES, loss_fit_problem
from tutor.engine.training import INIT_SCHEMES, MAX_BATCH, MAX_EPOCHS, OPTIMIZERS
from tutor.store.progress import RunRecord
from tutor.text.numbers import format_number

KNOBS = (
    "lr",
    "epochs",
    "init",
    "init_scale",
    "seed",
    "optimizer",
    "hidden",
    "activation",
    "loss",
    "batch_size",
)
"""Every knob a train block may let the learner change, in the order they are shown."""
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu")
"""The activations the ``activation`` knob offers for the hidden layers."""
PLOT_SCALES = ("linear", "log")
"""The y-axis scales a train block's loss plot may start on."""

UI_MAX_EPOCHS = 200_000
"""The most epochs one run in the tutor may take (about half a minute of waiting)."""
MAX_HIDDEN = 64
"""The widest hidden layer a learner may ask for."""
MAX_SEED = 2**32 - 1

KNOB_TITLES = {
    "lr": "learning rate",
    "epochs": "number of epochs",
    "init": "init scheme",
    "init_scale": "init scale",
    "seed": "seed",
    "optimizer": "optimizer",
    "hidden": "hidden width",
    "activation": "hidden activation",
    "loss": "loss",
    "batch_size": "batch size",
}
"""How each knob is named in messages."""
KNOB_LABELS = {**KNOB_TITLES, "epochs": "epochs", "lr": "lr", "activation": "activation"}
"""How each knob is labelled beside its field."""

_SHORT = {
    "lr": "lr",
    "epochs": "epochs",
    "init_scale": "init",
    "seed": "seed",
    "hidden": "hidden",
    "batch_size": "batch",
}
FULL_BATCH = "full"
"""How a batch size of 0 (every example in one step) is shown and may be typed."""
CHOICES = {
    "optimizer": OPTIMIZERS,
    "init": INIT_SCHEMES,
    "activation": HIDDEN_ACTIVATIONS,
    "loss": tuple(LOSSES),
}
"""Knobs that take one of a few names; their values label runs by themselves."""
KEEPS_NETWORK = ("hidden", "activation")
"""Knobs whose empty value keeps what the network itself has."""


class KnobSettings(Protocol):
    """What training reads of a lesson's train block: starting values and the editable knobs.

    Structural, so :class:`tutor.lesson.model.TrainBlock` fits without training importing it.
    """

    @property
    def lr(self) -> float: ...
    @property
    def epochs(self) -> int: ...
    @property
    def init(self) -> str: ...
    @property
    def init_scale(self) -> float: ...
    @property
    def seed(self) -> int: ...
    @property
    def optimizer(self) -> str: ...
    @property
    def hidden(self) -> int | None: ...
    @property
    def activation(self) -> str | None: ...
    @property
    def loss(self) -> str | None: ...
    @property
    def knobs(self) -> tuple[str, ...]: ...
    @property
    def batch_size(self) -> int: ...


class KnobError(ValueError):
    """A knob value that cannot be used; ``str()`` says why, for the learner."""

    def __init__(self, knob: str, reason: str) -> None:
        super().__init__(reason)
        self.knob = knob
        self.reason = reason


@dataclass(frozen=True)
class Knobs:
    """The settings of one training run."""

    lr: float
    epochs: int
    init: str  # normal | xavier | he | constant
    init_scale: float
    seed: int
    optimizer: str
    hidden: int | None  # width of every hidden layer; None keeps the network's widths
    activation: str | None  # activation of every hidden layer; None keeps the network's
    loss: str  # the loss trained on (a block starts with the network's own)
    batch_size: int = 0  # examples per step; 0: every example in one step (full batch)

    def to_dict(self) -> dict[str, Any]:
        """The knobs as JSON-friendly values (what progress saves)."""
        return asdict(self)

    def display(self, knob: str) -> str:
        """The value of ``knob`` as the learner sees it."""
        return display_value(knob, getattr(self, knob))

    def with_values(self, values: Mapping[str, Any]) -> Knobs:
        """These knobs with the valid entries of ``values`` applied; others are ignored."""
        changes = {}
        for name, value in values.items():
            if name in KNOBS:
                try:
                    changes[name] = check_knob(name, value)
                except KnobError:
                    continue
        return replace(self, **changes)


def editable_knobs(block: KnobSettings, spec: NetworkSpec) -> list[str]:
    """The block's knobs the learner may change (hidden ones need a hidden layer)."""
    has_hidden = len(spec.sizes) > 2
    return [k for k in KNOBS if k in block.knobs and (has_hidden or k not in KEEPS_NETWORK)]


def fixed_knobs(block: KnobSettings, spec: NetworkSpec, knobs: Knobs) -> list[str]:
    """The knobs the learner cannot change that are worth saying (the loss only where it is
    not the network's own, the batch size only when it is not the full batch)."""
    editable = editable_knobs(block, spec)
    return [
        k
        for k in KNOBS
        if k not in editable
        and (k != "loss" or knobs.loss != spec.loss)  # the summary says it
        and (k != "batch_size" or knobs.batch_size)  # full batch goes without saying
    ]


def display_value(knob: str, value: Any) -> str:
    """``0.01``, ``1.0`` (a float knob keeps its point), ``5,000``, ``adam``, ``—``."""
    if value is None:
        return "—"
    if knob in ("lr", "init_scale"):
        text = format_number(float(value))
        is_whole = text.lstrip("−").isdigit()
        return f"{text}.0" if is_whole else text
    if knob in ("epochs", "seed"):
        return f"{int(value):,}"
    if knob == "batch_size":
        return f"{int(value):,}" if value else FULL_BATCH
    return str(value)


def hidden_width(spec: NetworkSpec) -> int | None:
    """The common width of the hidden layers, or None if there are none or they differ."""
    widths = set(spec.sizes[1:-1])
    return widths.pop() if len(widths) == 1 else None


def hidden_activation(spec: NetworkSpec) -> str | None:
    """The common activation of the hidden layers, or None if there are none or they differ."""
    found = {layer.activation for layer in spec.layers[:-1]}
    return found.pop() if len(found) == 1 else None


def knobs_from_block(block: KnobSettings, spec: NetworkSpec) -> Knobs:
    """The values a train block starts with (hidden width and activation: the network's)."""
    return Knobs(
        lr=block.lr,
        epochs=block.epochs,
        init=block.init,
        init_scale=block.init_scale,
        seed=block.seed,
        optimizer=block.optimizer,
        hidden=block.hidden if block.hidden is not None else hidden_width(spec),
        activation=block.activation or hidden_activation(spec),
        loss=block.loss or spec.loss,
        batch_size=block.batch_size,
    )


def race(knobs: Knobs, compare: Sequence[tuple[str, Any]]) -> list[Knobs]:
    """The runs one press trains: ``knobs``, then (if the block has one) its comparison run."""
    if not compare:
        return [knobs]
    return [knobs, replace(knobs, **dict(compare))]


def check_fit(knobs: Knobs, spec: NetworkSpec) -> None:
    """Raise :class:`KnobError` if the knobs' loss cannot train this network's output layer."""
    misfit = loss_fit_problem(knobs.loss, spec.layers[-1].activation)
    if misfit is not None:
        raise KnobError("loss", f"the loss {knobs.loss} does not fit this network: {misfit}")


def parse_knob(knob: str, text: str, *, max_epochs: int = UI_MAX_EPOCHS) -> Any:
    """The value of ``knob`` typed as ``text``, or a :class:`KnobError` saying why not."""
    title = KNOB_TITLES.get(knob)
    if title is None:
        raise KnobError(knob, f"there is no knob called {knob!r}")
    cleaned = text.strip().replace("\u2212", "-").replace("_", "")
    if not cleaned and knob in KEEPS_NETWORK:
        return None  # keep the network's own hidden widths or activations
    if not cleaned:
        raise KnobError(knob, f"the {title} is empty: type a value")
    if knob in CHOICES:  # names keep their underscores ("binary_cross_entropy")
        return check_knob(knob, text.strip().lower())
    if knob == "batch_size" and cleaned.lower() == FULL_BATCH:
        return 0
    if knob in ("epochs", "seed", "hidden", "batch_size"):
        number = cleaned.replace(",", "")
        value: Any = _whole_number(number)
        if value is None:
            raise KnobError(knob, f"the {title} must be a whole number, not {text.strip()!r}")
        return check_knob(knob, value, max_epochs=max_epochs)
    try:
        value = float(cleaned)
    except ValueError:
        raise KnobError(
            knob, f"the {title} must be a number such as 0.1 or 1e-3, not {text.strip()!r}"
        ) from None
    return check_knob(knob, value)


def _whole_number(text: str) -> int | None:
    """``"5000"`` → 5000, ``"1e4"`` → 10000; None if ``text`` is not a whole number."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value == int(value) else None


def check_knob(knob: str, value: Any, *, max_epochs: int = UI_MAX_EPOCHS) -> Any:
    """``value`` if it is a usable setting of ``knob``, else a :class:`KnobError` saying why."""
    title = KNOB_TITLES.get(knob, knob)
    if knob in KEEPS_NETWORK and value is None:
        return None
    if knob in CHOICES:
        if value not in CHOICES[knob]:
            shown = f"{value!r}" if isinstance(value, str) else "that"
            raise KnobError(knob, f"unknown {title} {shown}: choose {', '.join(CHOICES[knob])}")
        return value
    if knob in ("lr", "init_scale"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise KnobError(knob, f"the {title} must be a number")
        if not math.isfinite(value):
            raise KnobError(knob, f"the {title} must be a finite number")
        if value <= 0:
            why = "steps go downhill by lr × gradient" if knob == "lr" else "it multiplies weights"
            raise KnobError(knob, f"the {title} must be greater than 0 ({why})")
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise KnobError(knob, f"the {title} must be a whole number")
    low, high, why = {
        "epochs": (1, max_epochs, _epochs_reason(max_epochs)),
        "seed": (0, MAX_SEED, ""),
        "hidden": (1, MAX_HIDDEN, ""),
        "batch_size": (0, MAX_BATCH, f" (0 or {FULL_BATCH}: every example in one step)"),
    }[knob]
    if not low <= value <= high:
        raise KnobError(knob, f"the {title} must be from {low:,} to {high:,}{why}")
    return value


def _epochs_reason(max_epochs: int) -> str:
    if max_epochs < MAX_EPOCHS:
        return (
            f" in the tutor, so a run ends while you wait "
            f"(`backprop-tutor train` goes up to {MAX_EPOCHS:,})"
        )
    return " (the engine's limit)"


@dataclass(frozen=True)
class PastRun:
    """A run saved in progress: knobs, final loss (None if diverged), status, loss curve."""

    knobs: Knobs
    final_loss: float | None
    status: str
    curve: tuple[tuple[int, float], ...] = ()


def past_runs(runs: Sequence[RunRecord], start: Knobs) -> list[PastRun]:
    """Runs saved in progress (checked when the progress was read), their knobs on ``start``.

    A saved knob the tutor no longer accepts keeps its value in ``start``.
    """
    return [
        PastRun(start.with_values(run.knobs), run.final_loss, run.status, tuple(run.curve))
        for run in runs
    ]


def run_labels(runs: Sequence[Knobs], preferred: Sequence[str] = ("lr", "init_scale")) -> list[str]:
    """A legend label per run from the knobs whose values differ between the runs.

    Two runs that differ only in init scale are "init 0.01" and "init 1.0".  When
    nothing differs (one run, or repeats), ``preferred`` knobs name the run; equal
    labels get "#2", "#3", … so every run can be told apart.
    """
    names = [f.name for f in fields(Knobs)]
    differing = [n for n in names if len({getattr(k, n) for k in runs}) > 1]
    shown = differing or [n for n in preferred if n in names]
    labels = [", ".join(_label_part(k, n) for n in shown) for k in runs]
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return unique


def _label_part(knobs: Knobs, name: str) -> str:
    value = knobs.display(name)
    return value if name in CHOICES else f"{_SHORT[name]} {value}"
