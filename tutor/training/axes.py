"""Axis ranges and tick labels for plots of training curves.

Provides :func:`y_range` (the y axis of a set of values: from 0 for a loss, never
narrower than :data:`MIN_RELATIVE_SPAN` of the values' size on a linear scale nor
than a decade on a log scale, so a flat curve looks flat) and :func:`ticks`
(evenly spaced ticks, whole numbers for epochs, labelled with
:mod:`tutor.text.numbers`).  Pure Python, no plotting library.
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


def ticks(
    low: float, high: float, count: int, *, log: bool = False, whole: bool = False
) -> tuple[list[float], list[str]]:
    """Up to ``count`` evenly spaced ticks from ``low`` to ``high`` (geometric if ``log``).

    ``whole`` ticks are rounded to whole numbers (epochs) and written in full; the
    others get the fewest significant figures (at least 3) that label them apart.
    """
    if low == high or count < 2:
        values = [low]
    elif log:
        a, b = math.log10(low), math.log10(high)
        values = [10 ** (a + (b - a) * i / (count - 1)) for i in range(count)]
    else:
        values = [low + (high - low) * i / (count - 1) for i in range(count)]
    if whole:
        values = sorted({float(round(v)) for v in values})
        return values, [format_value(int(v)) for v in values]
    for digits in range(3, MAX_SIG + 1):
        labels = [format_number(v, digits) for v in values]
        if len(set(labels)) == len(labels):
            break
    return values, labels
