"""`x` on a finished derivation, and a bias gradient's sum over the batch written out
example by example (issue 24, item 6)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import fork_spec
from tutor.engine import LayerSpec, NetworkSpec, derive
from tutor.engine.entry_paths import entry_paths, expandable
from tutor.lesson.model import DeriveBlock
from tutor.lesson.walk import DerivationWalk
from tutor.present.derivation import derivation_lines
from tutor.present.path_lines import path_lines
from tutor.text.numbers import format_number


def batch() -> NetworkSpec:
    """One linear unit with a bias on three examples: dL/db = Σ_i (y_i − t_i) / m."""
    return NetworkSpec(
        input=np.array([[1.0, 2.0, -1.0]]),
        target=np.array([[0.5, 1.0, 0.0]]),
        loss="half_squared_error",
        layers=(LayerSpec(np.array([[0.3]]), np.array([[0.1]]), "linear"),),
    )


def finish(walk: DerivationWalk) -> None:
    while walk.advance():
        pass
    assert walk.finished


def test_x_writes_out_the_last_sum_of_paths_once_the_walk_is_finished() -> None:
    walk = DerivationWalk(derive(fork_spec()), DeriveBlock("fork", 1, show_forward=False))
    finish(walk)
    assert not walk.newest_expandable  # the last product, dL/dW1, has one path
    assert walk.toggle_paths()
    (index,) = walk.expanded
    assert walk.stages[index].target == "dL/da1"  # type: ignore[union-attr]
    text = "\n".join(line.text for line in derivation_lines(walk, None))
    assert "dL/da1[1] = dL/dz2[1]·W2[1,1] + dL/dz2[2]·W2[2,1]" in text
    assert "x: hide its paths" in text
    assert walk.toggle_paths() and walk.expanded == set()
    text = "\n".join(line.text for line in derivation_lines(walk, None))
    assert "x: dL/da1 path by path" in text


def test_a_finished_walk_with_no_sum_of_paths_refuses_x() -> None:
    chain = NetworkSpec(
        input=np.array([[1.0]]),
        target=np.array([[1.0]]),
        loss="half_squared_error",
        layers=(LayerSpec(np.array([[0.5]]), None, "sigmoid"),),
    )
    walk = DerivationWalk(derive(chain), DeriveBlock("c", 1, show_forward=False))
    finish(walk)
    assert walk.paths_stage is None and not walk.toggle_paths()


def test_a_bias_gradient_is_each_examples_product_then_their_sum() -> None:
    spec = batch()
    derivation = derive(spec)
    record = derivation.record_for("dL/db1")
    assert expandable(record)
    entry = entry_paths(derivation, record, 0, 0)
    # by hand: y = 0.3·x + 0.1, dL/dz_i = (y_i − t_i)/3, dL/db = Σ_i dL/dz_i · 1
    x, t = spec.input[0], spec.target[0]
    dz = (0.3 * x + 0.1 - t) / 3
    assert [float(p.value) for p in entry.paths] == pytest.approx(list(dz))
    assert entry.value == pytest.approx(dz.sum())
    assert entry.weights == ("1", "1", "1")
    lines = [line.strip() for line in path_lines(derivation, record)]
    assert lines[1] == "dL/db1[1] = dL/dz1[1,1]·1 + dL/dz1[1,2]·1 + dL/dz1[1,3]·1"
    first = format_number(float(dz[0]))
    assert lines[2] == f"via z1[1,1]: ({first}) × (1) = {first}"
    assert lines[5] == "sum: " + " + ".join(f"({format_number(float(v))})" for v in dz) + (
        f" = {format_number(float(dz.sum()))}"
    )


def test_a_bias_on_one_example_has_one_path() -> None:
    spec = NetworkSpec(
        input=np.array([[1.0]]),
        target=np.array([[0.5]]),
        loss="half_squared_error",
        layers=(LayerSpec(np.array([[0.3]]), np.array([[0.1]]), "linear"),),
    )
    assert not expandable(derive(spec).record_for("dL/db1"))
