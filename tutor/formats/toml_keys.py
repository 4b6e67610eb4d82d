"""Reading the keys of a TOML table that a person wrote, with a problem per bad key.

Provides :class:`BlockSource` (parsed TOML and where it sits in its file: a
lesson block, the front matter, or a whole spec file), :class:`KeyChecker` (typed
reads of keys that record a :class:`~tutor.formats.problem.Problem` at the key's
line for each bad value, and never stop at the first), :func:`suggest` (the
closest known key for an unknown one) and :func:`block_label`.  Network specs
and lesson blocks are both checked with it, so their messages are the same.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tutor.formats.problem import Problem
from tutor.formats.tomlsource import KeyPath, TomlSource, describe_value, is_number

MAX_ID_LENGTH = 64


def block_label(kind: str) -> str:
    """How messages name a table of this kind: "network block", "front matter", or ""."""
    return kind if kind in ("", "front matter") else f"{kind} block"


@dataclass
class BlockSource:
    """The TOML of a block (or front matter, or a whole file) and where it sits in the file."""

    kind: str  # "network", "quiz", …, "front matter"; "" for a whole file
    source: TomlSource
    line: int  # the fence (or opening ``+++``) line; 0 for a whole file
    body_start: int  # the file line of the body's first line
    path: str

    @classmethod
    def whole_file(cls, source: TomlSource, path: str) -> BlockSource:
        """A file that is all TOML, such as a network spec."""
        return cls("", source, 0, 1, path)

    @property
    def label(self) -> str:
        """How messages name this table ("" for a whole file)."""
        return block_label(self.kind)

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


class KeyChecker:
    """Reads the keys of one table, recording a :class:`Problem` for each bad one.

    Every read returns None for a missing or bad value (or ``default`` when the
    key is absent); the problems gather in ``problems``, in the order found.
    """

    def __init__(
        self,
        where: BlockSource,
        problems: list[Problem],
        table: Mapping[str, Any] | None = None,
        prefix: KeyPath = (),
    ) -> None:
        self.where = where
        self.problems = problems
        self.table: Mapping[str, Any] = where.source.data if table is None else table
        """The table read (by default the block's whole TOML)."""
        self.prefix = prefix

    def problem(self, key: str | int | None, message: str) -> None:
        """Record ``message`` at the line of ``key`` (or of this table)."""
        path = self.prefix if key is None else (*self.prefix, key)
        line = self.where.line_of(*path) if path else self.where.line
        label = self.where.label
        self.problems.append(
            Problem(self.where.path, line, f"{label}: {message}" if label else message)
        )

    def within(self, table: Mapping[str, Any], *path: str | int) -> KeyChecker:
        """A checker for ``table``, found at ``path`` below this one, sharing the problems."""
        return KeyChecker(self.where, self.problems, table, (*self.prefix, *path))

    def subtable(self, key: str) -> KeyChecker | None:
        """A checker for the table at ``key`` (empty when absent), or None if it is no table."""
        value = self.table.get(key, {})
        if not isinstance(value, Mapping):
            self.problem(key, f"`{key}` must be a table: a [{key}] header, then its keys")
            return None
        return self.within(value, key)

    def known_keys(self, known: Sequence[str], what: str = "") -> None:
        """Report every key not in ``known``, suggesting the closest."""
        for key in self.table:
            if key not in known:
                where = f" in {what}" if what else ""
                self.problem(key, f"unknown key `{key}`{where}{suggest(key, known)}")

    def _get(self, key: str, required: bool, example: str) -> Any:
        if key not in self.table:
            if required:
                self.problem(None, f"missing `{key}`, e.g. {key} = {example}")
            return None
        return self.table[key]

    def _bad(self, key: str, expected: str, value: Any) -> None:
        self.problem(key, f"`{key}` must be {expected}, found {describe_value(value)}")

    def text(self, key: str, *, required: bool = False, example: str = '"…"') -> str | None:
        """A non-empty string."""
        value = self._get(key, required, example)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self._bad(key, "a non-empty string", value)
            return None
        return value

    def identifier(self, key: str, pattern: re.Pattern[str], rule: str) -> str | None:
        """A required id matching ``pattern``."""
        value = self.text(key, required=True, example='"tiny"')
        if value is not None and (len(value) > MAX_ID_LENGTH or not pattern.match(value)):
            self.problem(key, f'`{key}` "{value[:40]}" must be {rule}')
            return None
        return value

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...] | None:
        """A list of non-empty strings."""
        value = self._get(key, required, '["…"]')
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self._bad(key, 'a list of non-empty strings, e.g. ["…", "…"]', value)
            return None
        return tuple(value)

    def boolean(self, key: str, default: bool | None = None) -> bool | None:
        """true or false."""
        value = self._get(key, False, "true")
        if value is None:
            return default
        if not isinstance(value, bool):
            self._bad(key, "true or false", value)
            return None
        return value

    def number(
        self,
        key: str,
        check: Callable[[float], bool],
        expected: str,
        default: float | None = None,
    ) -> float | None:
        """A finite number passing ``check``."""
        value = self._get(key, False, "0.1")
        if value is None:
            return default
        if not is_number(value) or not math.isfinite(value) or not check(float(value)):
            self._bad(key, expected, value)
            return None
        return float(value)

    def integer(
        self, key: str, low: int, high: int, default: int | None = None, *, required: bool = False
    ) -> int | None:
        """A whole number from ``low`` to ``high``."""
        value = self._get(key, required, str(low))
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self._bad(key, f"a whole number from {low:,} to {high:,}", value)
            return None
        return value

    def choice(self, key: str, options: Sequence[str], default: str | None = None) -> str | None:
        """One of ``options``."""
        value = self._get(key, False, f'"{options[0]}"')
        if value is None:
            return default
        if not isinstance(value, str) or value not in options:
            self._bad(key, "one of " + ", ".join(f'"{o}"' for o in options), value)
            return None
        return value
