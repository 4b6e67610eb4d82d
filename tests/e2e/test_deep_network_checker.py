"""The exam exercise ``deep-network``: its reference solution, and one planted bug per diagnosis.

Each test plants exactly one bug in a copy of the reference solution, runs the
real ``exercise check`` command (the learner's file in the sandboxed child), and
asserts that the checks the bug must break fail with the diagnosis naming it.
Which checks a bug breaks is worked out from the maths: a bug in the output
layer's gradient reaches every gradient; one in a hidden slope reaches only the
layers below the output; a bias gradient not summed touches only the b's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import run_cli

SOLUTION = Path(__file__).parents[2] / "lessons" / "exercises" / "deep-network" / "solution.py"
DEPTH = 5
WEIGHTS = [f"backward: dL/dW{k}" for k in range(1, DEPTH + 1)]
BIASES = [f"backward: dL/db{k}" for k in range(1, DEPTH + 1)]


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPROP_TUTOR_HOME", str(tmp_path / "home"))


def planted(tmp_path: Path, right: str, wrong: str) -> Path:
    source = SOLUTION.read_text("utf-8")
    assert source.count(right) == 1, f"{right!r} is not in the solution exactly once"
    path = tmp_path / "deep_network.py"
    path.write_text(source.replace(right, wrong), "utf-8")
    return path


def check(file: Path) -> tuple[int, dict[str, dict]]:
    result = run_cli(
        "exercise",
        "check",
        "deep-network",
        "--file",
        str(file),
        "--json",
        env={"BACKPROP_TUTOR_HOME": os.environ["BACKPROP_TUTOR_HOME"]},
    )
    report = json.loads(result.stdout)
    return result.returncode, {c["name"]: c for c in report["checks"]}


def failing(checks: dict[str, dict]) -> set[str]:
    return {name for name, c in checks.items() if not c["passed"]}


def test_the_reference_solution_passes_and_draws_its_boundary() -> None:
    code, checks = check(SOLUTION)
    assert code == 0, failing(checks)
    assert {*WEIGHTS, *BIASES, "forward: p", "update_weights"} <= set(checks)
    spirals = checks["spirals: your network trained"]["message"]
    assert "test accuracy" in spirals and "Decision boundary" in spirals
    assert spirals.count("|") >= 40  # the framed picture, two bars a row


def assert_diagnosed(checks: dict[str, dict], names: list[str], words: str) -> None:
    assert set(names) <= failing(checks), failing(checks)
    for name in names:
        assert words in (checks[name]["diagnosis"] or ""), (name, checks[name])


def test_one_over_m_forgotten(tmp_path: Path) -> None:
    _, checks = check(planted(tmp_path, "dz = (p - t) / m", "dz = p - t"))
    assert_diagnosed(checks, WEIGHTS + BIASES, "1/m forgotten")


def test_softmax_not_stabilised(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "shifted = self.z[-1] - self.z[-1].max(axis=0, keepdims=True)",
        "shifted = self.z[-1]",
    )
    _, checks = check(file)
    assert_diagnosed(checks, ["forward: p"], "softmax not stabilised")


def test_relu_prime_taken_as_the_relu(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        'return (z > 0).astype(float) if self.hidden == "relu"',
        'return np.maximum(z, 0.0) if self.hidden == "relu"',
    )
    _, checks = check(file)
    # Only the ReLU cases (depths 2, 4 and 3) change, and only below their output layers.
    assert_diagnosed(checks, WEIGHTS[:3], "ReLU′ taken as the ReLU")
    assert not failing(checks) & {"backward: dL/dW4", "backward: dL/dW5", "forward: p"}


def test_first_layer_skipped(tmp_path: Path) -> None:
    _, checks = check(
        planted(tmp_path, "for l in range(self.L, 0, -1):", "for l in range(self.L, 1, -1):")
    )
    assert_diagnosed(checks, ["backward: the gradients' keys"], "a layer skipped")


def test_off_by_one_own_output(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        'grads[f"W{l}"] = dz @ self.a[l - 1].T',
        "own = l < self.L and self.a[l].shape == self.a[l - 1].shape\n"
        '            grads[f"W{l}"] = dz @ (self.a[l] if own else self.a[l - 1]).T',
    )
    _, checks = check(file)
    assert_diagnosed(checks, ["backward: dL/dW2", "backward: dL/dW3"], "off by one")


def test_w_not_transposed(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        'da = self.params[f"W{l}"].T @ dz',
        'W = self.params[f"W{l}"]\n'
        "                da = (W if W.shape[0] == W.shape[1] else W.T) @ dz",
    )
    _, checks = check(file)
    assert_diagnosed(checks, ["backward: dL/dW1"], "W not transposed")


def test_bias_gradient_not_summed(tmp_path: Path) -> None:
    _, checks = check(planted(tmp_path, "dz.sum(axis=1, keepdims=True)", "dz"))
    assert failing(checks) >= set(BIASES)
    assert not failing(checks) & set(WEIGHTS)
    assert_diagnosed(checks, BIASES, "bias gradient is not summed")


def test_gradients_overwritten_across_layers(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "for l in range(self.L, 0, -1):\n",
        "for l in range(self.L, 0, -1):\n            grads = {}\n",
    )
    _, checks = check(file)
    assert_diagnosed(checks, ["backward: the gradients' keys"], "gradients overwritten")


def test_the_update_added(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "self.params[name] - lr * gradients[name]",
        "self.params[name] + lr * gradients[name]",
    )
    _, checks = check(file)
    assert failing(checks) >= {"update_weights", "spirals: your network trained"}
    assert not failing(checks) & set(WEIGHTS + BIASES)
    assert_diagnosed(checks, ["update_weights"], "the update added")


def test_inputs_changed_are_caught(tmp_path: Path) -> None:
    file = planted(
        tmp_path, "        m = p.shape[1]\n", "        m = p.shape[1]\n        t *= 1.0 + 1e-9\n"
    )
    _, checks = check(file)
    assert "inputs left unchanged" in failing(checks)
    assert "backward changed its argument t" in checks["inputs left unchanged"]["message"]


def test_the_untouched_starter_passes_no_check() -> None:
    """Nothing ran (``__init__`` raises): no check is credited, "inputs left unchanged" neither."""
    starter = SOLUTION.with_name("starter.py")
    code, checks = check(starter)
    assert code == 1
    assert failing(checks) == set(checks)
    assert "not checked" in checks["inputs left unchanged"]["message"]


def test_inputs_are_credited_only_after_the_methods_ran(tmp_path: Path) -> None:
    """A backward that raises cannot be credited with leaving t (or the gradients) unchanged."""
    source = SOLUTION.read_text("utf-8")
    start = source.index("    def backward(")
    body = source.index("\n", start) + 1
    path = tmp_path / "deep_network.py"
    stub = '        raise NotImplementedError("backward")\n'
    path.write_text(source[:body] + stub + source[body:])
    _, checks = check(path)
    assert checks["forward: p"]["passed"]
    assert not checks["inputs left unchanged"]["passed"]
