"""Reading the keys of one TOML table of a lesson, with a problem per bad key.

Provides :class:`BlockSource` (a block's parsed TOML and where it sits in the
file: every key's file line), :class:`KeyChecker` (typed reads of keys that record
a :class:`~tutor.lesson.model.Problem` at the key's line for each bad value),
:func:`suggest` (the closest known key for an unknown one).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tutor.formats.tomlsource import KeyPath, TomlSource, describe_value, is_number
from tutor.lesson.model import Problem
from tutor.training.knobs import KnobError, check_knob

MAX_ID_LENGTH = 64


@dataclass
class BlockSource:
    """The TOML of a block (or of the front matter) and where it sits in the file."""

    kind: str
    source: TomlSource
    line: int  # the fence (or opening ``+++``) line
    body_start: int  # the file line of the body's first line
    path: str

    def line_of(self, *keys: str | int) -> int:
        """The file line of a key path, or the block's line when the key is absent."""
        found = self.source.line_of(tuple(keys))
        return self.line if found is None else self.body_start + found - 1

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
    table: Mapping[str, Any] | None = None  # None: the block's whole TOML
    prefix: KeyPath = ()
    failed: bool = False

    def __post_init__(self) -> None:
        if self.table is None:
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
        self.problem(key, f"`{key}` must be {expected}, found {describe_value(value)}")

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
