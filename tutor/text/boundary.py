"""The decision boundary as a picture: the plane coloured by predicted class, points on top.

Provides :class:`BoundaryPicture` (a class per cell from the engine's
:func:`~tutor.engine.boundary.class_map`, the cell and class of every training
point, the train and test accuracy), :func:`boundary_picture`, which builds it
for a trained network or for any predicted classes (a learner's network in an
exercise check), :func:`picture_lines` (the same picture as characters, for
``train SPEC``, ``lesson --plain`` and ``exercise check``) and
:func:`accuracy_line`.  The TUI colours the same picture cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.engine import NetworkSpec
from tutor.engine.boundary import Plane, predicted_classes, target_classes

Array = np.ndarray
ROWS, COLS = 20, 44
"""The picture's size in character cells: about square on a terminal (cells are tall)."""
REGIONS = ".~:=-'"
"""The character filling the region of each class (class 1 first), in the plain picture."""
POINTS = "123456"
"""The character of a training point of each class: its class number."""


@dataclass(frozen=True)
class BoundaryPicture:
    """A grid of predicted classes with the training points placed on it."""

    regions: Array  # (rows, cols) of class indices, row 0 at the top
    points: dict[tuple[int, int], int]  # (row, col) -> the class of a training point there
    classes: int
    train_accuracy: float
    test_accuracy: float | None

    @property
    def rows(self) -> int:
        """Rows of cells."""
        return int(self.regions.shape[0])

    @property
    def cols(self) -> int:
        """Columns of cells."""
        return int(self.regions.shape[1])


def boundary_picture(
    plane: Plane,
    regions: Array,
    x: Array,
    t: Array,
    train_classes: Array,
    test: tuple[Array, Array] | None = None,
) -> BoundaryPicture:
    """The picture from classes already predicted: ``regions`` (rows, cols) over ``plane``,
    ``train_classes`` for the columns of ``x``, and ``test`` = (test targets, their classes)."""
    rows, cols = regions.shape
    labels = target_classes(t)
    cell_rows, cell_cols = plane.cells_of(x, cols, rows)
    points = {
        (int(r), int(c)): int(k) for r, c, k in zip(cell_rows, cell_cols, labels, strict=True)
    }
    train_accuracy = float(np.mean(train_classes == labels))
    test_accuracy = None
    if test is not None and test[0].shape[1]:
        test_accuracy = float(np.mean(test[1] == target_classes(test[0])))
    return BoundaryPicture(regions, points, int(t.shape[0]), train_accuracy, test_accuracy)


def network_picture(spec: NetworkSpec, *, rows: int = ROWS, cols: int = COLS) -> BoundaryPicture:
    """The picture of a trained network on its own data (and its test set, if it has one)."""
    x_test, t_test = spec.test_input, spec.test_target
    plane = Plane.around(spec.input, *(() if x_test is None else (x_test,)))
    regions = predicted_classes(spec, plane.cell_centres(cols, rows)).reshape(rows, cols)
    test = None
    if x_test is not None and t_test is not None:
        test = (t_test, predicted_classes(spec, x_test))
    train_classes = predicted_classes(spec, spec.input)
    return boundary_picture(plane, regions, spec.input, spec.target, train_classes, test)


def shows_boundary(spec: NetworkSpec) -> bool:
    """Whether a network's decision boundary can be drawn: two inputs, classes as outputs."""
    two_inputs = spec.sizes[0] == 2
    classes = spec.loss == "cross_entropy" or (
        spec.loss == "binary_cross_entropy" and spec.sizes[-1] == 1
    )
    return two_inputs and classes


def percent(fraction: float) -> str:
    """``96.7 %``."""
    return f"{100 * fraction:.1f} %"


def accuracy_line(picture: BoundaryPicture) -> str:
    """``train accuracy 98.3 % · test accuracy 96.7 %``."""
    line = f"train accuracy {percent(picture.train_accuracy)}"
    if picture.test_accuracy is not None:
        line += f" · test accuracy {percent(picture.test_accuracy)}"
    return line


def legend(classes: int) -> str:
    """``class 1: points 1 on . · class 2: points 2 on ~ · …``."""
    k = 2 if classes == 1 else classes
    return " · ".join(f"class {i + 1}: points {POINTS[i]} on {REGIONS[i]}" for i in range(k))


def picture_lines(picture: BoundaryPicture) -> list[str]:
    """The picture in plain characters, framed, with a legend and the accuracy."""
    lines = ["+" + "-" * picture.cols + "+"]
    for r in range(picture.rows):
        cells = [
            POINTS[picture.points[(r, c)]] if (r, c) in picture.points else REGIONS[k]
            for c, k in enumerate(picture.regions[r])
        ]
        lines.append("|" + "".join(cells) + "|")
    lines.append(lines[0])
    return [
        "Decision boundary (each region is the class the network picks there; digits are "
        "training points)",
        *lines,
        legend(picture.classes),
        accuracy_line(picture),
    ]
