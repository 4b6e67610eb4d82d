"""Checking the keys of front matter and of each kind of block, building the model.

Provides :class:`BlockSource` (a block's parsed TOML and where it sits in the
file: every key's file line), :func:`front_matter` and :func:`build_block`, which
check every key and value, report each problem at its key's line (an unknown key
with the closest known key suggested) and return the model object, or None when
a required key is missing or unusable.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor.engine.functions import LOSSES
from tutor.engine.spec import (
    INIT_KEYS,
    LAYER_KEYS,
    TOP_KEYS,
    TRAIN_KEYS,
    SpecError,
    spec_from_source,
    train_settings,
)
from tutor.engine.training import INIT_SCHEMES
from tutor.script.model import (
    KNOBS,
    Block,
    DeriveBlock,
    GradcheckBlock,
    NetworkBlock,
    Problem,
    QuizBlock,
    TrainBlock,
)
from tutor.script.quantities import QuantityError, parse_name, parse_quantity
from tutor.tomlsource import KeyPath, TomlSource
from tutor.trainer.knobs import KnobError, check_knob

LESSON_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
BLOCK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
MAX_ID_LENGTH = 64

FRONT_MATTER_KEYS = ("id", "title", "number", "summary", "prerequisites", "minutes")
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "derive": ("network", "predict", "show_forward", "lr", "caption"),
    "train": (
        "network",
        "epochs",
        "lr",
        "optimizer",
        "init",
        "init_scale",
        "seed",
        "hidden",
        "knobs",
        "record_every",
        "caption",
    ),
    "gradcheck": ("network", "backprop_loss", "epsilon", "caption"),
    "quiz": ("id", "question", "answer", "hints", "tolerance", "vary"),
}
PREDICT_TARGET = re.compile(r"dL/d[A-Za-z]+\d*\Z")


@dataclass
class BlockSource:
    """The TOML of a block (or of the front matter) and where it sits in the file."""

    kind: str
    source: TomlSource
    line: int  # the fence (or opening ``+++``) line
    body_start: int  # the file line of the body's first line
    path: str
    body: str = ""

    def line_of(self, *keys: str | int) -> int:
        """The file line of a key path, or the block's line when the key is absent."""
        found = self.source.lines.get(tuple(keys))
        if found is None and keys and isinstance(keys[-1], str):
            found = self._quoted_key_line(keys[-1])
        if found is None:
            found = self.source.line_of(tuple(keys))
        return self.line if found is None else self.body_start + found - 1

    def _quoted_key_line(self, key: str) -> int | None:
        """The body line of ``"key" =`` (a quoted key such as ``"W1[2,1]"``)."""
        pattern = re.compile(r"\s*([\"'])" + re.escape(key) + r"\1\s*=")
        for number, line in enumerate(self.body.split("\n"), start=1):
            if pattern.match(line):
                return number
        return None

    def body_line(self, line: int | None) -> int:
        """The file line of a line number relative to the body."""
        return self.line if line is None else self.body_start + line - 1


def suggest(key: str, known: Sequence[str], noun: str = "keys") -> str:
    """``"; did you mean `network`?"``, or the list of known keys when nothing is close."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f"; did you mean `{close[0]}`?"
    return f"; known {noun}: " + ", ".join(f"`{k}`" for k in known)


@dataclass
class KeyChecker:
    """Reads the keys of one table, recording a :class:`Problem` for each bad one."""

    where: BlockSource
    problems: list[Problem]
    table: Mapping[str, Any] = field(default_factory=dict)
    prefix: KeyPath = ()
    failed: bool = False

    def __post_init__(self) -> None:
        if not self.table and not self.prefix:
            self.table = self.where.source.data

    @property
    def label(self) -> str:
        kind = self.where.kind
        return kind if kind == "front matter" else f"{kind} block"

    def problem(self, key: str | None, message: str) -> None:
        """Record ``message`` at the line of ``key`` (or of the block)."""
        path = self.prefix if key is None else (*self.prefix, key)
        line = self.where.line_of(*path) if path else self.where.line
        self.problems.append(Problem(self.where.path, line, f"{self.label}: {message}"))

    def known_keys(self, known: Sequence[str], what: str = "") -> None:
        """Report every key not in ``known``, suggesting the closest."""
        for key in self.table:
            if key not in known:
                where = f" in {what}" if what else ""
                self.problem(key, f"unknown key `{key}`{where}{suggest(key, known)}")

    def _get(self, key: str, required: bool, example: str) -> Any:
        if key not in self.table:
            if required:
                self.failed = True
                self.problem(None, f"missing `{key}`, e.g. {key} = {example}")
            return None
        return self.table[key]

    def _bad(self, key: str, expected: str, value: Any, required: bool = False) -> None:
        self.failed = self.failed or required
        self.problem(key, f"`{key}` must be {expected}, found {describe(value)}")

    def text(self, key: str, *, required: bool = False, example: str = '"…"') -> str | None:
        """A non-empty string."""
        value = self._get(key, required, example)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self._bad(key, "a non-empty string", value, required)
            return None
        return value

    def identifier(self, key: str, pattern: re.Pattern[str], rule: str) -> str | None:
        """A required id matching ``pattern``."""
        value = self.text(key, required=True, example='"tiny"')
        if value is not None and (len(value) > MAX_ID_LENGTH or not pattern.match(value)):
            self.failed = True
            self.problem(key, f'`{key}` "{value[:40]}" must be {rule}')
            return None
        return value

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...] | None:
        """A list of non-empty strings."""
        value = self._get(key, required, '["…"]')
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self._bad(key, 'a list of non-empty strings, e.g. ["…", "…"]', value, required)
            return None
        return tuple(value)

    def boolean(self, key: str) -> bool | None:
        """true or false."""
        value = self._get(key, False, "true")
        if value is not None and not isinstance(value, bool):
            self._bad(key, "true or false", value)
            return None
        return value

    def number(self, key: str, check: Callable[[float], bool], expected: str) -> float | None:
        """A finite number passing ``check``."""
        value = self._get(key, False, "0.1")
        if value is None:
            return None
        if not is_number(value) or not math.isfinite(value) or not check(float(value)):
            self._bad(key, expected, value)
            return None
        return float(value)

    def integer(self, key: str, low: int, high: int) -> int | None:
        """A whole number from ``low`` to ``high``."""
        value = self._get(key, False, str(low))
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self._bad(key, f"a whole number from {low:,} to {high:,}", value)
            return None
        return value

    def choice(self, key: str, options: Sequence[str]) -> str | None:
        """One of ``options``."""
        value = self._get(key, False, f'"{options[0]}"')
        if value is None:
            return None
        if value not in options:
            self._bad(key, "one of " + ", ".join(f'"{o}"' for o in options), value)
            return None
        return value

    def knob(self, key: str) -> Any:
        """A training setting, checked as the tutor checks the learner's knob values."""
        value = self._get(key, False, "")
        if value is None:
            return None
        try:
            return check_knob(key, value)
        except KnobError as exc:
            self.problem(key, f"`{key}`: {exc.reason}")
            return None


def describe(value: Any) -> str:
    """A short description of a TOML value for messages."""
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else "a long string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return f"{value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return "a date or time" if value is not None else "nothing"


def is_number(value: Any) -> bool:
    """An int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class FrontMatter:
    """The checked front matter of a lesson."""

    id: str
    title: str
    number: str = ""
    summary: str = ""
    prerequisites: tuple[str, ...] = ()
    minutes: int | None = None


def front_matter(where: BlockSource, problems: list[Problem]) -> FrontMatter:
    """Check the front matter; missing or bad values are reported and left empty."""
    check = KeyChecker(where, problems)
    check.known_keys(FRONT_MATTER_KEYS)
    lesson_id = check.identifier(
        "id", LESSON_ID, 'lowercase letters, digits and single dashes, e.g. "backprop"'
    )
    title = check.text("title", required=True, example='"Backpropagation"')
    number = check.table.get("number", "")
    if isinstance(number, bool) or not isinstance(number, str | int):
        check.problem(
            "number",
            f'`number` must be a string such as "3.4" or a whole number, found {describe(number)}',
        )
        number = ""
    return FrontMatter(
        id=lesson_id or "",
        title=title or "",
        number=str(number).strip(),
        summary=check.text("summary") or "",
        prerequisites=check.strings("prerequisites") or (),
        minutes=check.integer("minutes", 1, 10_000),
    )


def build_block(where: BlockSource, problems: list[Problem]) -> Block | None:
    """Check a block's keys and values and build it (None when it cannot be built)."""
    builder = {
        "network": _network,
        "derive": _derive,
        "train": _train,
        "gradcheck": _gradcheck,
        "quiz": _quiz,
    }[where.kind]
    return builder(where, problems)


def _network(where: BlockSource, problems: list[Problem]) -> NetworkBlock | None:
    check = KeyChecker(where, problems)
    network_id = check.identifier("id", BLOCK_ID, 'letters, digits, `-` or `_`, e.g. "tiny"')
    count = len(problems)
    check.known_keys(sorted(TOP_KEYS))
    _check_network_tables(where, problems)
    if check.failed or network_id is None or len(problems) > count:
        return None
    try:
        spec = spec_from_source(where.source, name=network_id, extra_keys=frozenset({"id"}))
        settings = train_settings(where.source)
    except SpecError as exc:
        problems.append(Problem(where.path, where.body_line(exc.line), f"network: {exc.message}"))
        return None
    return NetworkBlock(id=network_id, spec=spec, train=settings, line=where.line)


def _check_network_tables(where: BlockSource, problems: list[Problem]) -> None:
    """Unknown keys inside [[layers]], [init] and [train], with suggestions."""
    data = where.source.data
    layers = data.get("layers")
    if isinstance(layers, list):
        for index, table in enumerate(layers):
            if isinstance(table, Mapping):
                inner = KeyChecker(where, problems, table, ("layers", index))
                inner.known_keys(sorted(LAYER_KEYS), f"layer {index + 1}")
    for name, keys in (("init", INIT_KEYS), ("train", TRAIN_KEYS)):
        table = data.get(name)
        if isinstance(table, Mapping):
            KeyChecker(where, problems, table, (name,)).known_keys(sorted(keys), f"[{name}]")


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
    values = _given(
        show_forward=check.boolean("show_forward"),
        lr=check.number("lr", lambda v: v > 0, "a positive number such as 0.1"),
        caption=check.text("caption"),
    )
    if network is None:
        return None
    return DeriveBlock(network=network, line=where.line, predict=predict, **values)


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
        epochs=check.knob("epochs"),
        lr=check.knob("lr"),
        optimizer=check.knob("optimizer"),
        init=check.choice("init", INIT_SCHEMES),
        init_scale=check.knob("init_scale"),
        seed=check.knob("seed"),
        hidden=check.knob("hidden"),
        record_every=check.integer("record_every", 0, 1_000_000),
        caption=check.text("caption"),
    )
    if network is None:
        return None
    return TrainBlock(network=network, line=where.line, knobs=tuple(knobs), **values)


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
