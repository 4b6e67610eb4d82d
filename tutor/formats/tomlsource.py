"""TOML text parsed together with the line of every key, so errors can name a line.

``tomllib`` gives values but no positions.  :func:`parse_toml` adds a light scan of
the text that records, for each key path (``("layers", 1, "W")``), the line its
``key =`` or table header sits on.  Lines are 1-based and relative to the text;
callers that embed TOML in a larger file add their own offset.

Hostile text is refused with a line, never with a traceback: values nested more
than :data:`MAX_DEPTH` deep, integers beyond TOML's 64 bits (the TOML spec
asks parsers to refuse those; ``tomllib`` would hand back a 400-digit int that
no float can hold, or fail with Python's own digit limit), and strings holding a
control character written as an escape (``"\u001b[2J"``), which a terminal
printing them would obey.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tutor.formats.textfile import control_problem

KeyPath = tuple[str | int, ...]

_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)"""
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")
_PARTS = re.compile(_PART)
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_END_OF_DOCUMENT = "(at end of document)"
_LONG_NUMBER = re.compile(r"[0-9][0-9_]{99,}")
MAX_DEPTH = 32
"""Arrays and tables nested deeper than this are refused (a matrix needs 2)."""
INT_LIMIT = 2**63
"""TOML integers are signed 64-bit: from -2**63 to 2**63 - 1."""


class TomlSyntaxError(ValueError):
    """TOML that does not parse; ``line`` is 1-based within the text, or None."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class TomlSource:
    """Parsed TOML data plus a map from key path to line number."""

    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _split_dotted(key: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _PARTS.findall(key))


def parse_toml(text: str) -> TomlSource:
    """Parse ``text`` as TOML; raise :class:`TomlSyntaxError` with the line on failure."""
    deep = _too_deep_line(text)
    if deep is not None:
        raise TomlSyntaxError(_DEEP_MESSAGE, deep)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        if match:
            line: int | None = int(match.group(1))
        elif _END_OF_DOCUMENT in message:  # e.g. an array never closed: its last line
            line = max(1, len(text.splitlines()))
        else:
            line = None
        message = _TOML_POSITION.sub("", message).replace(_END_OF_DOCUMENT, "").strip()
        raise TomlSyntaxError(message, line) from None
    except ValueError:  # Python's limit on the digits of an int
        raise TomlSyntaxError(_BIG_INT_MESSAGE, _line_of(_LONG_NUMBER, text)) from None
    except RecursionError:  # nesting the bracket scan cannot see (e.g. dotted keys)
        raise TomlSyntaxError(_DEEP_MESSAGE, None) from None
    source = TomlSource(data=data, lines=_scan_key_lines(text))
    _check_values(source)
    return source


_DEEP_MESSAGE = f"values are nested more than {MAX_DEPTH} levels deep"
_BIG_INT_MESSAGE = (
    f"an integer is out of range: TOML integers are 64-bit (at most {INT_LIMIT - 1:,})"
)


def _line_of(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def _too_deep_line(text: str) -> int | None:
    """The first line where brackets open more than :data:`MAX_DEPTH` deep, or None."""
    depth, open_string = 0, ""
    for number, raw in enumerate(text.splitlines(), start=1):
        balance, peak, open_string = _scan_line(raw, open_string)
        if depth + peak > MAX_DEPTH:
            return number
        depth = max(0, depth + balance)
    return None


def _check_values(source: TomlSource) -> None:
    """Refuse integers beyond 64 bits, nesting beyond :data:`MAX_DEPTH` and control
    characters in strings and keys (no recursion)."""
    stack: list[tuple[KeyPath, Any]] = [((), source.data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            raise TomlSyntaxError(_DEEP_MESSAGE, source.line_of(path))
        if isinstance(value, int) and not -INT_LIMIT <= value < INT_LIMIT:
            raise TomlSyntaxError(_BIG_INT_MESSAGE, source.line_of(path))
        for text in (value, path[-1] if path else ""):  # the value, and its key
            control = control_problem(text, "a string") if isinstance(text, str) else None
            if control is not None:
                raise TomlSyntaxError(f"{control[0]}: remove it", source.line_of(path))
        if isinstance(value, Mapping):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))


def _scan_key_lines(text: str) -> dict[KeyPath, int]:
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    array_counts: dict[KeyPath, int] = {}
    depth = 0  # bracket depth of a multi-line value: keys inside are not top-level
    open_string = ""  # the delimiter of a multi-line string still open ('"""' or "'''")
    for number, raw in enumerate(text.splitlines(), start=1):
        at_top = depth == 0 and not open_string
        if at_top and (header := _HEADER.match(raw)):
            name = _split_dotted(header.group(2))
            if header.group(1) == "[[":
                index = array_counts.get(name, 0)
                array_counts[name] = index + 1
                table = (*name, index)
            else:
                table = name
            lines.setdefault(table, number)
            continue
        if at_top and (key := _KEY.match(raw)):
            lines.setdefault((*table, *_split_dotted(key.group(1))), number)
        balance, _, open_string = _scan_line(raw, open_string)
        depth = max(0, depth + balance)
    return lines


def _scan_line(line: str, open_string: str) -> tuple[int, int, str]:
    """Brackets opened (net and at the peak) outside strings and comments, and the
    multi-line string left open.

    ``open_string`` is the delimiter of a multi-line string continued from the line before.
    """
    balance = peak = 0
    quote = open_string
    i = 0
    while i < len(line):
        if quote:
            if line.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
            i += 2 if quote == '"' and line[i] == "\\" else 1
            continue
        char = line[i]
        if line.startswith(('"""', "'''"), i):
            quote = line[i : i + 3]
            i += 3
            continue
        if char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            balance += 1
            peak = max(peak, balance)
        elif char in "]}":
            balance -= 1
        i += 1
    return balance, peak, quote if len(quote) == 3 else ""


def describe_value(value: Any) -> str:
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
