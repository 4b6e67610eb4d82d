"""Network specs in TOML: loading and checking, with every problem at its line.

A spec gives ``input`` (n_in, m), ``target`` (n_out, m), a ``loss`` and
``[[layers]]``, each either with explicit weights (``W``, optional ``b``) or with
``units`` (and ``bias``) to be initialised from the ``[init]`` table.  An optional
``[train]`` table holds default training settings.

Every network keeps to one size budget, so that no file can make the tutor run
for minutes or fill the memory: at most :data:`MAX_LAYERS` layers,
:data:`MAX_PARAMETERS` parameters in all, and :data:`MAX_ACTIVATIONS` units
times examples (the numbers one forward pass holds, the input included).  A
``units`` layer past the budget is refused before its weights are drawn.

Provides :func:`load_spec` and :func:`check_spec` (a spec file; all its problems
raised together as a :class:`SpecError`) and :func:`read_network`, which checks a
spec with a :class:`~tutor.formats.toml_keys.KeyChecker`, so that a lesson's network
block reports the same problems with the same words among the lesson's others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from tutor.engine.functions import ACTIVATIONS, LOSSES, loss_fit_problem, target_problem
from tutor.engine.network import LayerSpec, NetworkSpec
from tutor.engine.training import INIT_SCHEMES, MAX_BATCH, MAX_EPOCHS, OPTIMIZERS, init_layers
from tutor.formats.data_table import read_data
from tutor.formats.problem import Problem
from tutor.formats.textfile import UnreadableFile, read_small_text
from tutor.formats.toml_keys import BlockSource, KeyChecker
from tutor.formats.tomlsource import (
    TomlSource,
    TomlSyntaxError,
    describe_value,
    is_number,
    parse_toml,
)
from tutor.text.numbers import format_shape

MAX_FILE_BYTES = 1_000_000
MAX_ENTRIES = 100_000
MAX_UNITS = 4096
MAX_LAYERS = 16
MAX_PARAMETERS = 100_000
MAX_ACTIVATIONS = 100_000
BUDGET = "the size budget in the authoring guide"
TOP_KEYS = (
    "data",
    "description",
    "id",
    "init",
    "input",
    "layers",
    "loss",
    "target",
    "title",
    "train",
)
REQUIRED_KEYS = ("input", "target", "loss", "layers")
LAYER_KEYS = ("W", "activation", "b", "bias", "units")
INIT_KEYS = ("scale", "scheme", "seed")
TRAIN_KEYS = ("batch_size", "epochs", "lr", "optimizer")
POSITIVE = "a positive number"


class SpecError(ValueError):
    """The problems of a spec file, each ``path:line: message``; ``str()`` is the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(str(self.problems[0]))

    @classmethod
    def at(cls, path: str | Path, message: str, line: int | None = None) -> SpecError:
        """A single problem with the file at ``path`` (``line`` None: the file as a whole)."""
        return cls([Problem(str(path), line or 0, message)])


@dataclass(frozen=True)
class TrainSettings:
    """Training defaults a spec may carry in its ``[train]`` table."""

    epochs: int = 1000
    lr: float = 0.1
    optimizer: str = "sgd"
    batch_size: int = 0  # 0: full batch


def load_spec(path: str | Path) -> tuple[NetworkSpec, TrainSettings]:
    """Read and check a spec file; its problems raise one :class:`SpecError` naming the file."""
    return check_spec(read_spec_source(path), path)


def read_spec_source(path: str | Path) -> TomlSource:
    """The parsed TOML of a small spec file, or a :class:`SpecError` saying why not."""
    path = Path(path)
    try:
        text = read_small_text(path, limit=MAX_FILE_BYTES, kind="TOML spec")
    except UnreadableFile as exc:
        raise SpecError.at(path, exc.message, exc.line) from None
    if not text.strip():
        raise SpecError.at(
            path, "the file is empty: a spec needs input, target, loss and [[layers]]"
        )
    try:
        return parse_toml(text)
    except TomlSyntaxError as exc:
        raise SpecError.at(path, f"TOML syntax error: {exc.message}", exc.line) from None


def check_spec(source: TomlSource, path: str | Path) -> tuple[NetworkSpec, TrainSettings]:
    """The network and training defaults of a parsed spec file, or every problem, by line."""
    problems: list[Problem] = []
    network = read_network(KeyChecker(BlockSource.whole_file(source, str(path)), problems))
    if network is None:
        raise SpecError(sorted(problems, key=lambda p: p.line))
    return network


def read_network(check: KeyChecker, name: str = "") -> tuple[NetworkSpec, TrainSettings] | None:
    """Check a spec's table, recording each problem in ``check``; None if there are any."""
    count = len(check.problems)
    check.known_keys(TOP_KEYS, "" if check.where.kind else "the spec")
    dataset = None
    if "data" in check.table:
        for key in ("input", "target"):
            if key in check.table:
                check.problem(key, f"`{key}` and [data] both give the examples: keep one")
        dataset = read_data(check)
    for key in REQUIRED_KEYS:
        if key not in check.table and not ("data" in check.table and key in ("input", "target")):
            check.problem(None, f"missing `{key}`: a spec needs input, target, loss and [[layers]]")
    x: np.ndarray | None
    t: np.ndarray | None
    if dataset is not None:
        x, t = dataset.x_train, dataset.t_train
    else:
        x = _matrix(check, "input")
        t = _matrix(check, "target")
    loss = check.choice("loss", tuple(LOSSES))
    settings = _train_settings(check)
    layers = _layers(check, None if x is None else x.shape[0])
    if x is None or t is None or loss is None or layers is None or settings is None:
        return None  # each None is a problem already recorded
    _check_fit(check, x, t, loss, layers)
    units = x.shape[0] + sum(layer.n_out for layer in layers)
    if x.shape[1] * units > MAX_ACTIVATIONS:
        check.problem(
            "input",
            f"{x.shape[1]:,} examples through {units:,} units make {x.shape[1] * units:,} "
            f"values per pass; at most {MAX_ACTIVATIONS:,} ({BUDGET})",
        )
    if len(check.problems) > count:
        return None
    spec_name = name or str(check.table.get("id", ""))
    spec = NetworkSpec(input=x, target=t, loss=loss, layers=layers, name=spec_name)
    if dataset is not None:
        spec = replace(spec, test_input=dataset.x_test, test_target=dataset.t_test)
    return spec, settings


def _train_settings(check: KeyChecker) -> TrainSettings | None:
    """The ``[train]`` table, checked (the defaults for what it leaves out)."""
    train = check.subtable("train")
    if train is None:
        return None
    train.known_keys(TRAIN_KEYS, "[train]")
    defaults = TrainSettings()
    epochs = train.integer("epochs", 1, MAX_EPOCHS, defaults.epochs)
    lr = train.number("lr", lambda v: v > 0, POSITIVE, defaults.lr)
    optimizer = train.choice("optimizer", OPTIMIZERS, defaults.optimizer)
    batch_size = train.integer("batch_size", 0, MAX_BATCH, defaults.batch_size)
    if epochs is None or lr is None or optimizer is None or batch_size is None:
        return None
    return TrainSettings(epochs=epochs, lr=lr, optimizer=optimizer, batch_size=batch_size)


def _init_settings(check: KeyChecker) -> dict[str, Any] | None:
    """The ``[init]`` table, checked: how ``units`` layers are drawn."""
    init = check.subtable("init")
    if init is None:
        return None
    init.known_keys(INIT_KEYS, "[init]")
    settings = {
        "scheme": init.choice("scheme", INIT_SCHEMES, "normal"),
        "scale": init.number("scale", lambda v: v > 0, POSITIVE, 1.0),
        "seed": init.integer("seed", 0, 2**32 - 1, 0),
    }
    return None if None in settings.values() else settings


def _layers(check: KeyChecker, n_in: int | None) -> tuple[LayerSpec, ...] | None:
    """Every ``[[layers]]`` table, each checked against the width of the one before."""
    init = _init_settings(check)
    value = check.table.get("layers")
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, Mapping) for v in value):
        check.problem("layers", "`layers` must be one or more [[layers]] tables")
        return None
    if len(value) > MAX_LAYERS:
        check.problem(
            "layers", f"{len(value)} layers; a network has at most {MAX_LAYERS} ({BUDGET})"
        )
        return None
    layers: list[LayerSpec | None] = []
    width = n_in
    room: int | None = MAX_PARAMETERS  # parameters still allowed; None once over budget
    # One generator for the whole network, drawn layer by layer as a lesson's `train`
    # block draws it: one seed, one initialisation, wherever the network is trained.
    rng = np.random.default_rng(init["seed"] if init is not None else 0)
    for index, table in enumerate(value):
        within = check.within(table, "layers", index)
        layer = _layer(within, index + 1, width, init, room, rng)
        layers.append(layer)
        width = None if layer is None else layer.n_out
        if room is not None and layer is not None:
            room -= layer.W.size + (0 if layer.b is None else layer.b.size)
        if room is not None and room < 0:
            room = None
    if any(layer is None for layer in layers):
        return None
    return tuple(layer for layer in layers if layer is not None)


def _layer(
    check: KeyChecker,
    number: int,
    n_in: int | None,
    init: dict[str, Any] | None,
    room: int | None,
    rng: np.random.Generator,
) -> LayerSpec | None:
    """One layer (None if unusable); ``n_in`` None when the width before it is unknown.

    ``room`` is how many parameters the budget still allows (None: already reported).
    """
    table = check.table
    check.known_keys(LAYER_KEYS, f"layer {number}")
    activation = check.choice("activation", tuple(ACTIVATIONS), "linear")
    if ("W" in table) == ("units" in table):
        check.problem(
            None, f"layer {number} needs either `W` (explicit weights) or `units` (random init)"
        )
        return None
    if "W" in table:
        if "bias" in table:
            check.problem("bias", f"layer {number}: `bias` goes with `units`; with `W`, give `b`")
        W, b = _matrix(check, "W"), _matrix(check, "b")
        if W is None:
            return None
        fits = True
        if n_in is not None and W.shape[1] != n_in:
            fits = False
            check.problem(
                "W",
                f"layer {number}: W has shape {format_shape(W.shape)}, but its input has "
                f"{_count(n_in, 'row')}, so W needs {_count(n_in, 'column')}",
            )
        if b is not None and b.shape != (W.shape[0], 1):
            check.problem(
                "b",
                f"layer {number}: b has shape {format_shape(b.shape)}, expected ({W.shape[0]}, 1)",
            )
            fits = False
        if not fits or activation is None or ("b" in table and b is None):
            return None
        if not _within_budget(check, "W", number, W.size + (0 if b is None else b.size), room):
            return None
        return LayerSpec(W=W, b=b, activation=activation)
    if "b" in table:
        check.problem("b", f"layer {number}: `b` goes with `W`; with `units`, say `bias = true`")
    units = check.integer("units", 1, MAX_UNITS)
    bias = check.boolean("bias", True)
    if units is None or bias is None or activation is None or init is None or n_in is None:
        return None
    if not _within_budget(check, "units", number, units * (n_in + bias), room):
        return None
    (layer,) = init_layers(
        (n_in, units), (activation,), rng, scheme=init["scheme"], scale=init["scale"], bias=bias
    )
    return layer


def _within_budget(check: KeyChecker, key: str, number: int, count: int, room: int | None) -> bool:
    """Whether a layer of ``count`` parameters fits in ``room``; if not, say so."""
    if room is None or count <= room:
        return True
    total = MAX_PARAMETERS - room + count
    check.problem(
        key,
        f"layer {number} brings the network to {total:,} parameters; "
        f"a network has at most {MAX_PARAMETERS:,} ({BUDGET})",
    )
    return False


def _check_fit(
    check: KeyChecker, x: np.ndarray, t: np.ndarray, loss: str, layers: tuple[LayerSpec, ...]
) -> None:
    """The target against the input, the last layer and the loss; the loss against the last
    activation."""
    if t.shape[1] != x.shape[1]:
        check.problem(
            "target",
            f"target has {_count(t.shape[1], 'column')} (examples) but input has {x.shape[1]}",
        )
    if t.shape[0] != layers[-1].n_out:
        check.problem(
            "target",
            f"target has {_count(t.shape[0], 'row')} "
            f"but the last layer has {_count(layers[-1].n_out, 'output')}",
        )
    last = check.within(check.table["layers"][-1], "layers", len(layers) - 1)
    misfit = loss_fit_problem(loss, layers[-1].activation)
    if misfit is not None:
        last.problem("activation", misfit)
    not_distribution = target_problem(loss, t)
    if not_distribution is not None:
        check.problem("target", not_distribution)


def _matrix(check: KeyChecker, key: str) -> np.ndarray | None:
    """The matrix at ``key`` (a lone number is a 1×1 matrix); None if absent or unusable."""
    if key not in check.table:
        return None
    value = check.table[key]
    if is_number(value):
        value = [[value]]
    message = _matrix_problem(key, value)
    if message:
        check.problem(key, message)
        return None
    return np.array(value, dtype=np.float64)


def _matrix_problem(key: str, value: Any) -> str:
    """What is wrong with ``value`` as a matrix of finite numbers ("" if nothing)."""
    if not isinstance(value, list) or not value:
        return f"`{key}` must be a number or a matrix such as [[1.0, 2.0]]"
    if not all(isinstance(row, list) for row in value):
        example = ", ".join(str(v) for v in value[:3])
        return (
            f"`{key}` must be a matrix (a list of rows), e.g. [[{example}]]; "
            "a flat list is ambiguous"
        )
    widths = {len(row) for row in value}
    if len(widths) != 1 or 0 in widths:
        return f"`{key}`: every row must have the same, non-zero number of entries"
    if len(value) * len(value[0]) > MAX_ENTRIES:
        return f"`{key}` is too large (at most {MAX_ENTRIES:,} entries)"
    for row in value:
        for entry in row:
            if not is_number(entry):
                return f"`{key}` must hold only numbers, found {describe_value(entry)}"
            if not math.isfinite(entry):
                return f"`{key}` holds {entry}: only finite numbers are allowed"
    return ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
