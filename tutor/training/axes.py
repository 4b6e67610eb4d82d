"""Axis ranges and tick labels for plots of training curves.

Provides :func:`y_range` (the y axis of a set of values: from 0 for a loss, never
narrower than :data:`MIN_RELATIVE_SPAN` of the values' size on a linear scale nor
than a decade on a log scale, so a flat curve looks flat) and :func:`ticks`
(round numbers a nice step apart, powers of ten on a log scale, whole numbers for
epochs, labelled with :mod:`tutor.text.numbers`).  Pure Python, no plotting library.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tutor.text.numbers import MAX_SIG, format_number, format_value

MIN_RELATIVE_SPAN = 0.2
"""A linear y axis spans at least this fraction of the largest magnitude among its values."""
MIN_DECADES = 1.0
"""A log y axis spans at least this many powers of ten."""
LOG_SCALE = "log scale"
"""How an axis label says its scale is logarithmic."""


def y_range(
    values: Sequence[float], *, log: bool = False, from_zero: bool = False
) -> tuple[float, float]:
    """The ``(low, high)`` of a y axis that shows ``values`` without magnifying noise.

    On a linear scale with ``from_zero`` and no negative value the axis starts at 0
    (a loss); otherwise it is widened about its middle to at least
    :data:`MIN_RELATIVE_SPAN` of the largest magnitude (1 if all are 0).  On a log
    scale (positive values only) it is widened geometrically to :data:`MIN_DECADES`.
    """
    low, high = min(values), max(values)
    if log:
        if high / low < 10**MIN_DECADES:
            middle = math.sqrt(low * high)
            half = 10 ** (MIN_DECADES / 2)
            low, high = middle / half, middle * half
        return low, high
    if from_zero and low >= 0:
        low = 0.0
    span = MIN_RELATIVE_SPAN * max(abs(low), abs(high)) or 1.0
    if high - low < span:
        if from_zero and low == 0:
            return 0.0, span
        middle = (low + high) / 2
        low, high = middle - span / 2, middle + span / 2
    return low, high


NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
"""Tick steps are one of these times a power of ten: 0.25, 500, 2500, never 5520."""


def nice_values(low: float, high: float, count: int, *, whole: bool = False) -> list[float]:
    """Round numbers from ``low`` to ``high``, at most ``count``, a nice step apart."""
    span = high - low
    raw = span / max(1, count - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in NICE_STEPS if span / (m * magnitude) <= count - 1 + 1e-9)
    if whole:
        step = max(1.0, float(round(step)))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def log_values(low: float, high: float, count: int) -> list[float]:
    """Powers of ten from ``low`` to ``high``, at most ``count`` (at round exponents if there
    are many); 1, 2 and 5 times them when the span is less than two decades."""
    first, last = math.ceil(math.log10(low) - 1e-9), math.floor(math.log10(high) + 1e-9)
    decades = list(range(first, last + 1))
    if len(decades) >= 3:  # round exponents: 10^0, 10^50, 10^100, never 10^51
        return [10.0 ** int(k) for k in nice_values(first, last, count, whole=True)]
    found = [
        m * 10.0**k
        for k in range(first - 1, last + 1)
        for m in (1.0, 2.0, 5.0)
        if low * (1 - 1e-9) <= m * 10.0**k <= high * (1 + 1e-9)
    ]
    return found if len(found) <= count else [v for v in found if v in {10.0**k for k in decades}]


def ticks(
    low: float, high: float, count: int, *, log: bool = False, whole: bool = False
) -> tuple[list[float], list[str]]:
    """Up to ``count`` ticks from ``low`` to ``high`` at round numbers (powers of ten if ``log``).

    ``whole`` ticks are whole numbers (epochs) written in full; the others get the
    fewest significant figures (at least 3) that label them apart.  A range too small
    for two round numbers is ticked at its ends.
    """
    if low == high or count < 2:
        values = [low]
    else:
        values = log_values(low, high, count) if log else nice_values(low, high, count, whole=whole)
        if len(values) < 2:
            values = [low, high]
    if whole:
        values = sorted({float(round(v)) for v in values})
        return values, [format_value(int(v)) for v in values]
    for digits in range(3, MAX_SIG + 1):
        labels = [format_number(v, digits) for v in values]
        if len(set(labels)) == len(labels):
            break
    return values, labels
