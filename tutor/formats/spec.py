"""Network specs in TOML: loading, checking, and errors that name the line.

A spec gives ``input`` (n_in, m), ``target`` (n_out, m), a ``loss`` and
``[[layers]]``, each either with explicit weights (``W``, optional ``b``) or with
``units`` (and ``bias``) to be initialised from the ``[init]`` table.  An optional
``[train]`` table holds default training settings.  Every problem is raised as a
:class:`SpecError` carrying the line of the key it is about.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tutor.engine.functions import ACTIVATIONS, LOSSES
from tutor.engine.network import LayerSpec, NetworkSpec
from tutor.engine.training import INIT_SCHEMES, MAX_EPOCHS, OPTIMIZERS, init_layers
from tutor.formats.textfile import UnreadableFile, read_small_text
from tutor.formats.tomlsource import (
    KeyPath,
    TomlSource,
    TomlSyntaxError,
    describe_value,
    is_number,
    parse_toml,
)
from tutor.text.numbers import format_shape

MAX_FILE_BYTES = 1_000_000
MAX_ENTRIES = 100_000
TOP_KEYS = {"id", "title", "description", "input", "target", "loss", "layers", "init", "train"}
LAYER_KEYS = {"W", "b", "activation", "units", "bias"}
INIT_KEYS = {"scheme", "scale", "seed"}
TRAIN_KEYS = {"epochs", "lr", "optimizer"}


class SpecError(ValueError):
    """A problem with a spec; ``line`` is 1-based within its text, or None."""

    def __init__(self, message: str, line: int | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path

    def __str__(self) -> str:
        where = self.path or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TrainSettings:
    """Training defaults a spec may carry in its ``[train]`` table."""

    epochs: int = 1000
    lr: float = 0.1
    optimizer: str = "sgd"


def load_spec(path: str | Path) -> tuple[NetworkSpec, TrainSettings]:
    """Read and check a spec file; any problem raises :class:`SpecError` naming the file."""
    text = read_text_file(path)
    try:
        source = parse_spec_text(text)
        return spec_from_source(source), train_settings(source)
    except SpecError as exc:
        exc.path = str(path)
        raise


def read_text_file(path: str | Path) -> str:
    """The text of a small UTF-8 file, or a :class:`SpecError` saying why not."""
    path = Path(path)
    try:
        text = read_small_text(path, limit=MAX_FILE_BYTES, kind="TOML spec")
    except UnreadableFile as exc:
        raise SpecError(exc.message, exc.line, str(path)) from None
    if not text.strip():
        raise SpecError(
            "the file is empty: a spec needs input, target, loss and [[layers]]", path=str(path)
        )
    return text


def parse_spec_text(text: str) -> TomlSource:
    """TOML with key lines, or a :class:`SpecError` at the line of the syntax error."""
    try:
        return parse_toml(text)
    except TomlSyntaxError as exc:
        raise SpecError(f"TOML syntax error: {exc.message}", exc.line) from None


def spec_from_source(
    source: TomlSource, *, name: str = "", extra_keys: frozenset[str] = frozenset()
) -> NetworkSpec:
    """Check the data of a parsed spec and build the :class:`NetworkSpec`."""
    return _Checker(source).spec(name, extra_keys)


def train_settings(source: TomlSource) -> TrainSettings:
    """The ``[train]`` table of a spec, checked."""
    table = source.data.get("train", {})
    check = _Checker(source)
    if not isinstance(table, Mapping):
        raise check.error(("train",), "[train] must be a table")
    check.known_keys(table, TRAIN_KEYS, ("train",))
    defaults = TrainSettings()
    epochs = check.integer(table.get("epochs", defaults.epochs), ("train", "epochs"), 1, MAX_EPOCHS)
    lr = check.positive(table.get("lr", defaults.lr), ("train", "lr"))
    optimizer = check.choice(
        table.get("optimizer", defaults.optimizer), ("train", "optimizer"), OPTIMIZERS
    )
    return TrainSettings(epochs=epochs, lr=lr, optimizer=optimizer)


class _Checker:
    """Walks the data of one spec, raising errors at the right line."""

    def __init__(self, source: TomlSource) -> None:
        self.source = source
        self.data = source.data

    def error(self, path: KeyPath, message: str) -> SpecError:
        return SpecError(message, self.source.line_of(path))

    def spec(self, name: str, extra_keys: frozenset[str]) -> NetworkSpec:
        data = self.data
        self.known_keys(data, TOP_KEYS | extra_keys, ())
        for key in ("input", "target", "loss", "layers"):
            if key not in data:
                raise self.error(
                    (), f"missing `{key}`: a spec needs input, target, loss and [[layers]]"
                )
        x = self.matrix(data["input"], ("input",))
        t = self.matrix(data["target"], ("target",))
        loss = self.choice(data["loss"], ("loss",), tuple(LOSSES))
        layers = self.layers(data["layers"], x.shape[0])
        self.check_fit(x, t, loss, layers)
        spec_name = name or str(data.get("id", ""))
        return NetworkSpec(input=x, target=t, loss=loss, layers=layers, name=spec_name)

    def known_keys(self, table: Mapping[str, Any], allowed: set[str], path: KeyPath) -> None:
        for key in table:
            if key not in allowed:
                where = _describe_path(path)
                expected = ", ".join(sorted(allowed))
                message = f"unknown key `{key}` in {where}; expected one of: {expected}"
                raise self.error((*path, key), message)

    def layers(self, value: Any, n_in: int) -> tuple[LayerSpec, ...]:
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, Mapping) for v in value)
        ):
            raise self.error(("layers",), "`layers` must be one or more [[layers]] tables")
        init = self.init_settings()
        layers: list[LayerSpec] = []
        width = n_in
        for index, table in enumerate(value):
            layer = self.layer(table, index, width, init)
            layers.append(layer)
            width = layer.n_out
        return tuple(layers)

    def layer(
        self, table: Mapping[str, Any], index: int, n_in: int, init: dict[str, Any]
    ) -> LayerSpec:
        path: KeyPath = ("layers", index)
        number = index + 1
        self.known_keys(table, LAYER_KEYS, path)
        activation = self.choice(
            table.get("activation", "linear"), (*path, "activation"), tuple(ACTIVATIONS)
        )
        if ("W" in table) == ("units" in table):
            raise self.error(
                path, f"layer {number} needs either `W` (explicit weights) or `units` (random init)"
            )
        if "W" in table:
            if "bias" in table:
                raise self.error(
                    (*path, "bias"), f"layer {number}: `bias` goes with `units`; with `W`, give `b`"
                )
            W = self.matrix(table["W"], (*path, "W"))
            if W.shape[1] != n_in:
                raise self.error(
                    (*path, "W"),
                    f"layer {number}: W has shape {format_shape(W.shape)}, but its input has "
                    f"{_count(n_in, 'row')}, so W needs {_count(n_in, 'column')}",
                )
            b = None
            if "b" in table:
                b = self.matrix(table["b"], (*path, "b"))
                if b.shape != (W.shape[0], 1):
                    raise self.error(
                        (*path, "b"),
                        f"layer {number}: b has shape {format_shape(b.shape)}, "
                        f"expected ({W.shape[0]}, 1)",
                    )
            return LayerSpec(W=W, b=b, activation=activation)
        if "b" in table:
            raise self.error(
                (*path, "b"), f"layer {number}: `b` goes with `W`; with `units`, say `bias = true`"
            )
        units = self.integer(table["units"], (*path, "units"), 1, 4096)
        bias = table.get("bias", True)
        if not isinstance(bias, bool):
            raise self.error((*path, "bias"), f"layer {number}: `bias` must be true or false")
        rng = np.random.default_rng([init["seed"], index])
        (layer,) = init_layers(
            (n_in, units),
            (activation,),
            rng,
            scheme=init["scheme"],
            scale=init["scale"],
            bias=bias,
        )
        return layer

    def init_settings(self) -> dict[str, Any]:
        table = self.data.get("init", {})
        if not isinstance(table, Mapping):
            raise self.error(("init",), "[init] must be a table")
        self.known_keys(table, INIT_KEYS, ("init",))
        return {
            "scheme": self.choice(table.get("scheme", "normal"), ("init", "scheme"), INIT_SCHEMES),
            "scale": self.positive(table.get("scale", 1.0), ("init", "scale")),
            "seed": self.integer(table.get("seed", 0), ("init", "seed"), 0, 2**32 - 1),
        }

    def check_fit(
        self, x: np.ndarray, t: np.ndarray, loss: str, layers: tuple[LayerSpec, ...]
    ) -> None:
        if t.shape[1] != x.shape[1]:
            raise self.error(
                ("target",),
                f"target has {_count(t.shape[1], 'column')} (examples) but input has {x.shape[1]}",
            )
        if t.shape[0] != layers[-1].n_out:
            raise self.error(
                ("target",),
                f"target has {_count(t.shape[0], 'row')} "
                f"but the last layer has {_count(layers[-1].n_out, 'output')}",
            )
        last = ("layers", len(layers) - 1, "activation")
        if loss == "cross_entropy" and layers[-1].activation != "linear":
            raise self.error(
                last,
                "cross_entropy applies softmax to the last layer's z itself, "
                'so the last layer\'s activation must be "linear"',
            )
        if loss == "binary_cross_entropy" and layers[-1].activation != "sigmoid":
            raise self.error(
                last, "binary_cross_entropy needs outputs between 0 and 1: use a sigmoid last layer"
            )

    def matrix(self, value: Any, path: KeyPath) -> np.ndarray:
        name = str(path[-1])
        if is_number(value):
            value = [[value]]
        if not isinstance(value, list) or not value:
            raise self.error(path, f"`{name}` must be a number or a matrix such as [[1.0, 2.0]]")
        if not all(isinstance(row, list) for row in value):
            raise self.error(
                path,
                f"`{name}` must be a matrix (a list of rows), e.g. [[{_example(value)}]]; "
                "a flat list is ambiguous",
            )
        widths = {len(row) for row in value}
        if len(widths) != 1 or 0 in widths:
            raise self.error(
                path, f"`{name}`: every row must have the same, non-zero number of entries"
            )
        if len(value) * len(value[0]) > MAX_ENTRIES:
            raise self.error(path, f"`{name}` is too large (at most {MAX_ENTRIES:,} entries)")
        for row in value:
            for entry in row:
                if not is_number(entry):
                    raise self.error(
                        path, f"`{name}` must hold only numbers, found {describe_value(entry)}"
                    )
                if not math.isfinite(entry):
                    raise self.error(
                        path, f"`{name}` holds {entry}: only finite numbers are allowed"
                    )
        return np.array(value, dtype=np.float64)

    def choice(self, value: Any, path: KeyPath, options: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in options:
            raise self.error(
                path,
                f"`{path[-1]}` is {describe_value(value)}; expected one of: {', '.join(options)}",
            )
        return value

    def integer(self, value: Any, path: KeyPath, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(path, f"`{path[-1]}` must be a whole number from {low:,} to {high:,}")
        return value

    def positive(self, value: Any, path: KeyPath) -> float:
        if not is_number(value) or not math.isfinite(value) or value <= 0:
            raise self.error(
                path, f"`{path[-1]}` must be a positive number, found {describe_value(value)}"
            )
        return float(value)


def _describe_path(path: KeyPath) -> str:
    if not path:
        return "the spec"
    if path[0] == "layers" and len(path) > 1:
        return f"layer {int(path[1]) + 1}"
    return f"[{'.'.join(str(p) for p in path)}]"


def _example(flat: list[Any]) -> str:
    return ", ".join(str(v) for v in flat[:3])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
