"""The one number formatter of the app: numbers, arrays and shapes as the learner sees them.

Every number on screen goes through `format_number`: a fixed count of significant
figures, trailing zeros stripped, a real minus sign (U+2212), scientific notation
only for very small or very large magnitudes.  An array of more than
:data:`SUMMARY_THRESHOLD` entries is summarised as NumPy prints it: the first and
last :data:`EDGE_ITEMS` along each axis, with "…" between.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

MINUS = "\u2212"
MAX_SIG = 12
SCI_SMALL = -4  # decimal exponents below this are shown in scientific notation
SCI_LARGE = 6  # decimal exponents from this up are shown in scientific notation
SUMMARY_THRESHOLD = 1000  # NumPy's print threshold
EDGE_ITEMS = 3  # NumPy's edgeitems
ELLIPSIS = "…"


def format_number(x: float, sig: int = 4, *, ascii: bool = False) -> str:
    """Format `x` with `sig` significant figures, e.g. -0.0888797 -> "−0.08888"."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        if ascii:
            return "-inf" if x < 0 else "inf"
        return "−∞" if x < 0 else "∞"
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.{sig - 1}e}".split("e")
    power = int(exponent)
    if power < SCI_SMALL or power >= SCI_LARGE:
        text = f"{_strip_zeros(mantissa)}e{exponent}"
    else:
        decimals = sig - 1 - power
        text = _strip_zeros(f"{round(x, decimals):.{max(decimals, 0)}f}")
    return _signed(text, ascii)


def format_distinct(values: Sequence[float], sig: int = 4, *, ascii: bool = False) -> list[str]:
    """Format `values` with the fewest figures (at least `sig`) that keep different values apart."""
    figures = _distinct_figures(values, sig)
    return [format_number(v, figures, ascii=ascii) for v in values]


def format_array(a: np.ndarray | Sequence[float], sig: int = 4, *, ascii: bool = False) -> str:
    """Format an array as nested brackets, rows of a matrix inside; a size-1 array as a number.

    Past :data:`SUMMARY_THRESHOLD` entries only the edges are shown (NumPy's summary).
    """
    array = np.asarray(a, dtype=np.float64)
    if array.size == 1:
        return format_number(array.item(), sig, ascii=ascii)
    return _nested(array, sig, ascii, array.size > SUMMARY_THRESHOLD)


def array_lines(a: np.ndarray, width: int, sig: int = 4, *, ascii: bool = False) -> list[str]:
    """An array as lines of at most ``width`` cells where it can be: as :func:`format_array` if
    that fits, else a matrix a row per line with its columns aligned (rows too long for the
    width continue under their first entry).  Arrays of more than two dimensions, or
    summarised, stay on one line."""
    array = np.asarray(a, dtype=np.float64)
    flat = format_array(array, sig, ascii=ascii)
    if len(flat) <= width or array.ndim not in (1, 2) or array.size > SUMMARY_THRESHOLD:
        return [flat]
    rows = np.atleast_2d(array)
    cells = [[format_number(v, sig, ascii=ascii) for v in row] for row in rows]
    wide = max(len(cell) for row in cells for cell in row)
    open_, close = ("[[", "]]") if array.ndim == 2 else ("[", "]")
    lines = []
    for n, row in enumerate(cells):
        start = open_ if n == 0 else " " * (len(open_) - 1) + "["
        end = close if n == len(cells) - 1 else "],"
        entries = [cell.rjust(wide) for cell in row]
        per_line = max(1, (width - len(start) - len(end)) // (wide + 2))
        for k in range(0, len(entries), per_line):
            piece = ", ".join(entries[k : k + per_line])
            last = k + per_line >= len(entries)
            head = start if k == 0 else " " * len(start)
            lines.append(head + piece + (end if last else ","))
    return lines


def format_shape(shape: tuple[int, ...]) -> str:
    """Format an array shape: (4, 2), (3), () — never Python's one-tuple "(3,)"."""
    return "(" + ", ".join(str(n) for n in shape) + ")"


def format_value(
    v: float | np.ndarray | tuple[int, ...], sig: int = 4, *, ascii: bool = False
) -> str:
    """Format a number, an integer, an array or a shape (a tuple of ints)."""
    if isinstance(v, tuple):
        return format_shape(v)
    if isinstance(v, int | np.integer) and not isinstance(v, bool):
        return _signed(str(int(v)), ascii)
    if isinstance(v, np.ndarray | list):
        return format_array(v, sig, ascii=ascii)
    return format_number(v, sig, ascii=ascii)


def _distinct_figures(values: Sequence[float], sig: int) -> int:
    """The fewest figures from `sig` up to MAX_SIG at which different values print differently."""
    distinct = {_key(v): v for v in values}.values()
    for figures in range(sig, MAX_SIG + 1):
        if len({format_number(v, figures) for v in distinct}) == len(distinct):
            return figures
    return max(sig, MAX_SIG)


def _nested(array: np.ndarray, sig: int, ascii: bool, summarise: bool) -> str:
    """Brackets around the entries (or rows) of an array of any dimension."""
    cut = summarise and len(array) > 2 * EDGE_ITEMS
    items = [*array[:EDGE_ITEMS], None, *array[-EDGE_ITEMS:]] if cut else list(array)
    parts = [
        ELLIPSIS
        if item is None
        else format_number(item, sig, ascii=ascii)
        if array.ndim == 1
        else _nested(item, sig, ascii, summarise)
        for item in items
    ]
    return "[" + ", ".join(parts) + "]"


def _strip_zeros(text: str) -> str:
    """Drop trailing zeros after a decimal point, and the point itself if nothing follows."""
    if "." not in text:
        return text
    return text.rstrip("0").rstrip(".")


def _signed(text: str, ascii: bool) -> str:
    """Use the real minus sign unless ASCII output is wanted."""
    return text if ascii else text.replace("-", MINUS)


def _key(value: float) -> float | str:
    """A set key under which equal floats (and all NaNs) coincide."""
    value = float(value)
    return "nan" if math.isnan(value) else value
