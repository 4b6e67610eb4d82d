"""The decision boundary as characters: regions, points on top, legend and accuracy."""

from __future__ import annotations

import numpy as np

from tutor.engine import LayerSpec, NetworkSpec
from tutor.text.boundary import (
    REGIONS,
    network_picture,
    picture_lines,
    shows_boundary,
)


def left_right() -> NetworkSpec:
    """Class 1 where x > 0, class 2 where x < 0; four points, one of them on the wrong side."""
    layer = LayerSpec(np.array([[1.0, 0.0], [-1.0, 0.0]]), None, "linear")
    x = np.array([[1.0, -1.0, 0.5, -0.5], [1.0, -1.0, -1.0, 1.0]])
    t = np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0]])  # the last point is class 1
    test_x = np.array([[0.9, -0.9], [0.0, 0.0]])
    test_t = np.array([[1.0, 1.0], [0.0, 0.0]])
    return NetworkSpec(x, t, "cross_entropy", (layer,), test_input=test_x, test_target=test_t)


def test_the_picture_of_a_known_classifier() -> None:
    picture = network_picture(left_right(), rows=6, cols=10)
    lines = picture_lines(picture)
    frame = lines[1:9]
    assert frame[0] == frame[-1] == "+" + "-" * 10 + "+"
    rows = [line[1:-1] for line in frame[1:-1]]
    assert len(rows) == 6 and all(len(row) == 10 for row in rows)
    # The plane spans x and y from −1.2 to 1.2 (a 10 % margin): the point (1, 1) is in the
    # top row, last column; (−1, −1) in the bottom row, first column.
    assert rows[0][-1] == "1" and rows[-1][0] == "2"
    assert rows[0][2] == "1"  # (−0.5, 1): class 1, drawn on class 2's region
    regions = [row.replace("1", "").replace("2", "") for row in rows]
    assert all(set(r[:4]) <= {REGIONS[1]} for r in regions)  # left of x = 0: class 2
    assert set(rows[2][5:]) == {REGIONS[0]}  # right, no point there: class 1
    assert lines[-2] == "class 1: points 1 on . · class 2: points 2 on ~"
    assert lines[-1] == "train accuracy 75.0 % · test accuracy 50.0 %"  # 3 of 4, 1 of 2


def test_which_networks_have_a_boundary() -> None:
    assert shows_boundary(left_right())
    three_inputs = LayerSpec(np.ones((2, 3)), None, "linear")
    spec = NetworkSpec(np.ones((3, 1)), np.array([[1.0], [0.0]]), "cross_entropy", (three_inputs,))
    assert not shows_boundary(spec)
    regression = LayerSpec(np.ones((1, 2)), None, "linear")
    spec = NetworkSpec(np.ones((2, 1)), np.ones((1, 1)), "half_squared_error", (regression,))
    assert not shows_boundary(spec)
