"""A matrix product's entries as sums over paths, computed by the engine's backward pass.

A record that combines by a matrix product adds up, in each entry, one product
per path through the layer: ``dL/da1[j] = Σ_k dL/dz2[k] · W2[k,j]`` (the paths
through each z2[k]), or, over a batch, ``dL/dW1[r,c] = Σ_i dL/dz1[r,i] · x[c,i]``
(one path per example); a bias adds one path per example too,
``dL/db1[r] = Σ_i dL/dz1[r,i] · 1`` (its gradient summed over the batch).
:func:`entry_paths` rebuilds one entry as a small
scalar graph in which that entry is a node used once per path, and runs
:func:`~tutor.engine.graph.backward` on it: the result is the engine's partial
record for every path and its ``sum`` record, the same records a node used in
several places gets in any graph.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tutor.engine import autodiff as ad
from tutor.engine.network import Derivation
from tutor.engine.trace import TraceRecord

MATRIX_PRODUCTS = ("lt_matmul", "matmul_rt")


@dataclass(frozen=True)
class EntryPaths:
    """One entry of a record: its label, one record per path, and the sum record (if several)."""

    label: str  # "dL/da1[2]"
    paths: tuple[TraceRecord, ...]
    total: TraceRecord | None  # None when there is a single path
    weights: tuple[str, ...]  # what each path multiplies by: "W2[1,2]" (or "x[2,3]")

    @property
    def value(self) -> float:
        """The entry's gradient: the sum of its paths."""
        last = self.total if self.total is not None else self.paths[0]
        return float(last.value)


def _batch_sum(record: TraceRecord) -> bool:
    """Whether ``record`` sums a column per example into one, as a bias gradient does."""
    if record.combine != "product" or len(record.factors) != 2 or record.value.ndim != 2:
        return False
    upstream, local = (f.value for f in record.factors)
    return (
        upstream.ndim == 2
        and upstream.shape[0] == record.value.shape[0]
        and record.value.shape[1] == 1
        and upstream.shape[1] > 1
        and np.size(local) == 1
    )


def path_count(record: TraceRecord) -> int:
    """How many paths meet in each entry of ``record`` (0 if it is no sum of paths)."""
    upstream = record.factors[0].value if record.factors else None
    if _batch_sum(record):
        assert upstream is not None
        return int(upstream.shape[1])
    if record.combine not in MATRIX_PRODUCTS or upstream is None:
        return 0
    return int(upstream.shape[0] if record.combine == "lt_matmul" else upstream.shape[1])


def expandable(record: TraceRecord) -> bool:
    """Whether each entry of ``record`` adds up several paths (a matrix product, or a
    bias gradient summed over the examples)."""
    return path_count(record) > 1


def entry_name(name: str, shape: tuple[int, ...], row: int, col: int) -> str:
    """``a1[2]`` for a column of values, ``W1[2,1]`` or ``z1[2,3]`` otherwise (1-based)."""
    if shape[1] == 1 and not name.startswith("W"):
        return f"{name}[{row + 1}]"
    return f"{name}[{row + 1},{col + 1}]"


def _other(derivation: Derivation, record: TraceRecord) -> str:
    """The label of the matrix ``record`` multiplies by (``W2`` for dL/da1, ``x`` for dL/dW1)."""
    via = next(node for node in derivation.graph if node.label == record.via)
    weights, inputs = via.parents[:2]  # z = W·a (+ b)
    return inputs if record.node == weights else weights


def _value(derivation: Derivation, label: str) -> np.ndarray:
    if label in derivation.values:
        return derivation.values[label]
    return derivation.spec.params()[label]


def entry_paths(derivation: Derivation, record: TraceRecord, row: int, col: int) -> EntryPaths:
    """Entry ``[row, col]`` (0-based) of ``record`` as the engine's path records and their sum."""
    if _batch_sum(record):
        return _bias_paths(record, row)
    if record.combine not in MATRIX_PRODUCTS:
        raise ValueError(f"{record.target} is not a matrix product")
    upstream = record.factors[0].value
    other_label = _other(derivation, record)
    other = _value(derivation, other_label)
    node = ad.leaf(
        _value(derivation, record.node)[row, col],
        entry_name(record.node, record.value.shape, row, col),
        requires_grad=True,
    )
    terms, rules, weights = [], {}, []
    for k in range(path_count(record)):
        if record.combine == "lt_matmul":  # z[k, col] = … + W[k, row]·a[row, col] + …
            via, local = (k, col), (k, row)
        else:  # z[row, k] = … + W[row, col]·a[col, k] + …
            via, local = (row, k), (col, k)
        weight = ad.leaf(other[local], entry_name(other_label, other.shape, *local))
        via_label = entry_name(record.via, upstream.shape, *via)
        weights.append(weight.label)
        term = ad.mul(weight, node, label=via_label)
        rules[via_label] = (
            f"{via_label} = … + {weight.label}·{node.label} + …, "
            f"so d{via_label}/d{node.label} = {weight.label}"
        )
        terms.append(ad.mul(term, ad.leaf(upstream[via], f"dL/d{via_label}")))
    return _summed(node, terms, rules, weights)


def _summed(
    node: ad.Node, terms: list[ad.Node], rules: dict[str, str], weights: list[str]
) -> EntryPaths:
    """Add the path ``terms`` and run the engine's backward pass: a record per path, the sum."""
    root = terms[-1]
    for term in reversed(terms[:-1]):  # the backward pass then meets path 1 first
        root = ad.add(root, term)
    records = [r for r in ad.backward(root) if r.node == node.label]
    paths = tuple(replace(r, rule=rules[r.via]) for r in records if r.combine != "sum")
    total = next((r for r in records if r.combine == "sum"), None)
    return EntryPaths(f"dL/d{node.label}", paths, total, tuple(weights))


def _bias_paths(record: TraceRecord, row: int) -> EntryPaths:
    """``dL/db[row]`` as one path per example: dL/dz[row, i] · 1, then their sum."""
    upstream, local = (f.value for f in record.factors)
    one = float(np.asarray(local).item())
    node = ad.leaf(
        record.value[row, 0],
        entry_name(record.node, record.value.shape, row, 0),
        requires_grad=True,
    )
    terms, rules, weights = [], {}, []
    for i in range(upstream.shape[1]):
        via_label = entry_name(record.via, upstream.shape, row, i)
        weight = ad.leaf(one, "1")
        weights.append(weight.label)
        term = ad.mul(weight, node, label=via_label)
        rules[via_label] = (
            f"{via_label} = … + {node.label}, example {i + 1}: d{via_label}/d{node.label} = 1"
        )
        terms.append(ad.mul(term, ad.leaf(upstream[row, i], f"dL/d{via_label}")))
    return _summed(node, terms, rules, weights)


def all_entry_paths(derivation: Derivation, record: TraceRecord) -> list[EntryPaths]:
    """Every entry of ``record``, row by row, as its paths."""
    rows, cols = record.value.shape
    return [entry_paths(derivation, record, r, c) for r in range(rows) for c in range(cols)]
