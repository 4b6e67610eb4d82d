"""What a classifier has learned: predicted classes, accuracy and the plane coloured by class.

Provides :func:`predicted_classes` (argmax over the outputs, or y ≥ ½ for one
sigmoid output), :func:`target_classes`, :func:`accuracy`, :class:`Plane` (the
rectangle a 2-D data set lies in, with a margin) and :func:`class_map`, the
predicted class at the centre of every cell of a grid over the plane, row 0 at
the top.  A terminal draws the grid as coloured cells or characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tutor.engine.dense import predict
from tutor.engine.network import NetworkSpec

Array = NDArray[np.float64]
Classes = NDArray[np.intp]
"""A class index per example."""


def predicted_classes(spec: NetworkSpec, x: Array) -> Classes:
    """The class the network picks for each column of ``x``."""
    y = predict(spec, x)
    classes: Classes
    if y.shape[0] == 1:
        classes = (y[0] >= 0.5).astype(np.intp)
    else:
        classes = np.argmax(np.nan_to_num(y, nan=-np.inf), axis=0)
    return classes


def target_classes(t: Array) -> Classes:
    """The class of each column of a target: its largest entry, or t ≥ ½ for one row."""
    classes: Classes = (t[0] >= 0.5).astype(np.intp) if t.shape[0] == 1 else np.argmax(t, axis=0)
    return classes


def accuracy(spec: NetworkSpec, x: Array, t: Array) -> float:
    """The fraction of the columns of ``x`` the network classifies as ``t`` says."""
    return float(np.mean(predicted_classes(spec, x) == target_classes(t)))


@dataclass(frozen=True)
class Plane:
    """A rectangle of the plane: [left, right] × [bottom, top]."""

    left: float
    right: float
    bottom: float
    top: float

    @classmethod
    def around(cls, *points: Array, margin: float = 0.1) -> Plane:
        """The smallest rectangle holding every column of ``points``, grown by ``margin``."""
        x = np.concatenate([p for p in points if p.size], axis=1)
        low, high = x.min(axis=1), x.max(axis=1)
        pad = margin * np.maximum(high - low, 1e-9)
        return cls(
            float(low[0] - pad[0]),
            float(high[0] + pad[0]),
            float(low[1] - pad[1]),
            float(high[1] + pad[1]),
        )

    def cell_centres(self, cols: int, rows: int) -> Array:
        """The centres of a cols × rows grid, shape (2, rows·cols), row by row from the top."""
        xs = self.left + (np.arange(cols) + 0.5) * (self.right - self.left) / cols
        ys = self.top - (np.arange(rows) + 0.5) * (self.top - self.bottom) / rows
        gx, gy = np.meshgrid(xs, ys)
        return np.stack([gx.ravel(), gy.ravel()])

    def cells_of(self, x: Array, cols: int, rows: int) -> tuple[Classes, Classes]:
        """(row, col) of the cell each column of ``x`` falls in, clipped to the grid."""
        col = np.floor((x[0] - self.left) / (self.right - self.left) * cols).astype(int)
        row = np.floor((self.top - x[1]) / (self.top - self.bottom) * rows).astype(int)
        return np.clip(row, 0, rows - 1), np.clip(col, 0, cols - 1)


def class_map(spec: NetworkSpec, plane: Plane, cols: int, rows: int) -> Classes:
    """The predicted class at the centre of each cell: shape (rows, cols), row 0 at the top."""
    return predicted_classes(spec, plane.cell_centres(cols, rows)).reshape(rows, cols)
