"""Checking the keys of each kind of block, building the model.

Provides :func:`build_block`, which checks every key and value of a block's
:class:`~tutor.formats.toml_keys.BlockSource`, reports each problem at its key's line
(an unknown key with the closest known key suggested) and returns the model object,
or None when a required key is missing or unusable (the front matter is checked in
:mod:`tutor.lesson.front_matter`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from tutor.engine.functions import LOSSES
from tutor.exercises.catalog import EXERCISE_ID, ID_RULE
from tutor.formats.problem import Problem
from tutor.formats.spec import read_network
from tutor.formats.toml_keys import BlockSource, KeyChecker, suggest
from tutor.formats.tomlsource import is_number
from tutor.lesson.model import (
    Block,
    DeriveBlock,
    ExerciseBlock,
    GradcheckBlock,
    NetworkBlock,
    QuizBlock,
    TrainBlock,
)
from tutor.lesson.quantities import QuantityError, parse_name, parse_quantity
from tutor.text.numbers import format_number, format_value
from tutor.training.knobs import KNOBS, PLOT_SCALES, KnobError, check_knob

BLOCK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "derive": ("network", "predict", "expand", "show_forward", "lr", "caption"),
    "train": (
        "network",
        "epochs",
        "lr",
        "optimizer",
        "init",
        "init_scale",
        "seed",
        "hidden",
        "activation",
        "loss",
        "knobs",
        "show_params",
        "record_every",
        "scale",
        "compare",
        "batch_size",
        "boundary",
        "caption",
    ),
    "gradcheck": ("network", "backprop_loss", "epsilon", "caption"),
    "quiz": ("id", "question", "answer", "hints", "tolerance", "vary"),
    "exercise": ("id", "caption"),
}
PREDICT_TARGET = re.compile(r"dL/d[A-Za-z]+\d*\Z")


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def build_block(where: BlockSource, problems: list[Problem]) -> Block | None:
    """Check a block's keys and values and build it (None when it cannot be built)."""
    builder = {
        "network": _network,
        "derive": _derive,
        "train": _train,
        "gradcheck": _gradcheck,
        "quiz": _quiz,
        "exercise": _exercise,
    }[where.kind]
    return builder(where, problems)


def _network(where: BlockSource, problems: list[Problem]) -> NetworkBlock | None:
    check = KeyChecker(where, problems)
    network_id = check.identifier("id", BLOCK_ID, 'letters, digits, `-` or `_`, e.g. "tiny"')
    network = read_network(check, name=network_id or "")
    if network_id is None or network is None:
        return None
    spec, settings = network
    return NetworkBlock(
        id=network_id, spec=spec, train=settings, line=where.line, drawn=_drawn(where.source.data)
    )


def _drawn(data: Mapping[str, Any]) -> str:
    """How a network's ``units`` layers were drawn at random, or "" if none was.

    "" too for the ``constant`` scheme: its weights are no draw, and the card shows them.
    """
    if not any(isinstance(t, Mapping) and "units" in t for t in data.get("layers", [])):
        return ""
    init = data.get("init", {})
    scheme, scale, seed = init.get("scheme", "normal"), init.get("scale", 1.0), init.get("seed", 0)
    if scheme == "constant":
        return ""
    return f"{scheme}, scale {format_number(scale)}, seed {format_value(seed)}"


def _network_ref(check: KeyChecker) -> str | None:
    return check.text("network", required=True, example='"tiny"')


def _derive(where: BlockSource, problems: list[Problem]) -> DeriveBlock | None:
    check = KeyChecker(where, problems)
    check.known_keys(BLOCK_KEYS["derive"])
    network = _network_ref(check)
    predict = check.strings("predict") or ()
    for target in predict:
        if not PREDICT_TARGET.match(target):
            check.problem(
                "predict", f'`predict` entry "{target[:40]}" must name a product like "dL/dz2"'
            )
    predict = tuple(t for t in predict if PREDICT_TARGET.match(t))
    expand = check.strings("expand") or ()
    for target in expand:
        if not PREDICT_TARGET.match(target):
            check.problem(
                "expand", f'`expand` entry "{target[:40]}" must name a product like "dL/da1"'
            )
    expand = tuple(t for t in expand if PREDICT_TARGET.match(t))
    values = _given(
        show_forward=check.boolean("show_forward"),
        lr=check.number("lr", lambda v: v > 0, "a positive number such as 0.1"),
        caption=check.text("caption"),
    )
    if network is None:
        return None
    return DeriveBlock(network=network, line=where.line, predict=predict, expand=expand, **values)


def _train(where: BlockSource, problems: list[Problem]) -> TrainBlock | None:
    check = KeyChecker(where, problems)
    check.known_keys(BLOCK_KEYS["train"])
    network = _network_ref(check)
    knobs = check.strings("knobs") or ()
    for knob in knobs:
        if knob not in KNOBS:
            check.problem("knobs", f"unknown knob `{knob[:40]}`{suggest(knob, KNOBS, 'knobs')}")
    if len(set(knobs)) != len(knobs):
        check.problem("knobs", "`knobs` names a knob twice")
    values = _given(
        **{knob: _knob(check, knob) for knob in KNOBS},
        record_every=check.integer("record_every", 0, 1_000_000),
        show_params=check.strings("show_params"),
        scale=check.choice("scale", PLOT_SCALES),
        compare=_compare(check),
        boundary=check.boolean("boundary"),
        caption=check.text("caption"),
    )
    if network is None:
        return None
    return TrainBlock(network=network, line=where.line, knobs=tuple(knobs), **values)


def _compare(check: KeyChecker) -> tuple[tuple[str, Any], ...] | None:
    """The knobs a comparison run changes: ``compare = { loss = "binary_cross_entropy" }``."""
    if "compare" not in check.table:
        return None
    table = check.subtable("compare")
    if table is None:
        return None
    table.known_keys(KNOBS, "`compare`")
    changes = tuple((k, v) for k in KNOBS if (v := _knob(table, k)) is not None)
    if not changes and not table.table:
        check.problem("compare", "`compare` names no knob, e.g. compare = { lr = 0.5 }")
    return changes


def _knob(check: KeyChecker, knob: str) -> Any:
    """A training setting, checked as the tutor checks the values the learner types."""
    if knob not in check.table:
        return None
    try:
        return check_knob(knob, check.table[knob])
    except KnobError as exc:
        check.problem(knob, f"`{knob}`: {exc.reason}")
        return None


def _gradcheck(where: BlockSource, problems: list[Problem]) -> GradcheckBlock | None:
    check = KeyChecker(where, problems)
    check.known_keys(BLOCK_KEYS["gradcheck"])
    network = _network_ref(check)
    values = _given(
        backprop_loss=check.choice("backprop_loss", tuple(LOSSES)),
        epsilon=check.number("epsilon", lambda v: 0 < v <= 0.1, "a number in (0, 0.1], e.g. 1e-5"),
        caption=check.text("caption"),
    )
    if network is None:
        return None
    return GradcheckBlock(network=network, line=where.line, **values)


def _quiz(where: BlockSource, problems: list[Problem]) -> QuizBlock | None:
    check = KeyChecker(where, problems)
    check.known_keys(BLOCK_KEYS["quiz"])
    quiz_id = check.identifier("id", BLOCK_ID, 'letters, digits, `-` or `_`, e.g. "dw2"')
    question = check.text("question", required=True, example='"What is dL/dW2?"')
    answer_text = check.text("answer", required=True, example='"grad W2 of tiny"')
    answer = None
    if answer_text is not None:
        try:
            answer = parse_quantity(answer_text)
        except QuantityError as exc:
            check.problem("answer", str(exc))
    hints = check.strings("hints")
    if "hints" not in check.table:
        check.problem(None, 'a quiz needs at least one hint: hints = ["…"]')
    elif hints == ():
        check.problem("hints", "`hints` is empty: a quiz needs at least one hint")
    values = _given(
        tolerance=check.number("tolerance", lambda v: 0 < v < 1, "a number in (0, 1), e.g. 0.01")
    )
    vary = _vary(where, problems, check.table.get("vary"))
    if quiz_id is None or question is None or answer is None:
        return None
    return QuizBlock(
        id=quiz_id,
        question=question,
        answer=answer,
        hints=hints or (),
        line=where.line,
        vary=vary,
        **values,
    )


def _exercise(where: BlockSource, problems: list[Problem]) -> ExerciseBlock | None:
    check = KeyChecker(where, problems)
    check.known_keys(BLOCK_KEYS["exercise"])
    exercise = check.identifier("id", EXERCISE_ID, ID_RULE)
    caption = check.text("caption") or ""
    return None if exercise is None else ExerciseBlock(exercise, where.line, caption)


def _vary(
    where: BlockSource, problems: list[Problem], table: Any
) -> dict[str, tuple[float, float]]:
    if table is None:
        return {}
    check = KeyChecker(where, problems, {}, ("vary",))
    if not isinstance(table, Mapping):
        check.problem(None, "`vary` must be a table: [vary] then lines like W1 = [0.1, 0.9]")
        return {}
    found: dict[str, tuple[float, float]] = {}
    for key, value in table.items():
        try:
            parse_name(key)
        except QuantityError as exc:
            check.problem(key, f"[vary] {exc}")
            continue
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(is_number(v) and math.isfinite(v) for v in value)
            and value[0] < value[1]
        )
        if not ok:
            check.problem(key, f"[vary] `{key}` must be a range [low, high] with low < high")
            continue
        found[key] = (float(value[0]), float(value[1]))
    return found
