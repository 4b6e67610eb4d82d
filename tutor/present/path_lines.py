"""A matrix product of a derivation written out path by path, for the derivation view and
``lesson --plain``.

Provides :func:`path_lines`: each entry of a record such as ``dL/da1 = W2ᵀ · dL/dz2``
as the sum it is (``dL/da1[1] = dL/dz2[1]·W2[1,1] + dL/dz2[2]·W2[2,1]``), then one
line per path with its product, then the sum, all from the engine's path records
(:mod:`tutor.engine.entry_paths`).  No Textual.
"""

from __future__ import annotations

import numpy as np

from tutor.engine import Derivation, TraceRecord
from tutor.engine.entry_paths import EntryPaths, entry_paths, expandable
from tutor.text.numbers import format_number

MAX_ENTRIES = 4
"""Entries written out; a larger record ends with a line saying how many more there are."""
INDENT = "  "


def _num(value: np.ndarray | float, ascii: bool) -> str:
    return format_number(float(np.asarray(value).item()), ascii=ascii)


def entry_lines(entry: EntryPaths, *, ascii: bool = False) -> list[str]:
    """One entry: the sum in symbols, a line per path with its numbers, the sum in numbers."""
    terms = [f"{p.factors[0].name}·{w}" for p, w in zip(entry.paths, entry.weights, strict=True)]
    lines = [f"{entry.label} = {' + '.join(terms)}"]
    for path in entry.paths:
        upstream, local = (_num(f.value, ascii) for f in path.factors)
        product = _num(path.value, ascii)
        lines.append(f"{INDENT}via {path.via}: ({upstream}) × ({local}) = {product}")
    if entry.total is not None:
        parts = " + ".join(f"({_num(p.value, ascii)})" for p in entry.paths)
        lines.append(f"{INDENT}sum: {parts} = {_num(entry.total.value, ascii)}")
        lines.append(f"{INDENT}({entry.total.rule})")
    return lines


def path_lines(
    derivation: Derivation, record: TraceRecord, *, ascii: bool = False, limit: int = MAX_ENTRIES
) -> list[str]:
    """Every entry of ``record`` (up to ``limit``) as its paths; [] if it has one path an entry."""
    if not expandable(record):
        return []
    rows, cols = record.value.shape
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    lines = [f"{record.target} entry by entry, one product per path:"]
    for row, col in cells[:limit]:
        lines += [
            INDENT + line
            for line in entry_lines(entry_paths(derivation, record, row, col), ascii=ascii)
        ]
    if len(cells) > limit:
        more = len(cells) - limit
        lines.append(
            f"{INDENT}… {more} more {'entry' if more == 1 else 'entries'}, each such a sum"
        )
    return lines
