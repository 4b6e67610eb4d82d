"""Planted bugs, each in a copy of a reference solution, checked by the real command.

Every test writes a solution with exactly one known bug, runs
``backprop-tutor exercise check ID --file F --json`` and asserts that the checks
the bug must break fail with a diagnosis naming it, and that the checks it
cannot touch still pass.  Which checks a bug breaks is worked out here from the
maths: leaving out layer k's activation derivative changes the gradients of
layers 1..k only; a wrong update does not change the gradients.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import run_cli

LESSONS = Path(__file__).parents[2] / "lessons"
GRADIENTS = [f"backward: dL/d{p}{k}" for k in (1, 2, 3) for p in "Wb"]


def planted(tmp_path: Path, exercise: str, right: str, wrong: str) -> Path:
    """The reference solution of ``exercise`` with ``right`` replaced by ``wrong`` (once)."""
    source = (LESSONS / "exercises" / exercise / "solution.py").read_text("utf-8")
    assert source.count(right) == 1, f"{right!r} is not in the solution exactly once"
    path = tmp_path / f"{exercise}-planted.py"
    path.write_text(source.replace(right, wrong), "utf-8")
    return path


def check(exercise: str, file: Path) -> tuple[int, dict]:
    result = run_cli("exercise", "check", exercise, "--file", str(file), "--json")
    return result.returncode, json.loads(result.stdout)


def by_name(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["checks"]}


def assert_only(report: dict, failing: list[str], diagnosis: str) -> None:
    """Exactly the ``failing`` checks fail, each with ``diagnosis`` in its diagnosis."""
    checks = by_name(report)
    assert report["passed"] is False and report["error"] is None
    assert sorted(n for n, c in checks.items() if not c["passed"]) == sorted(failing)
    for name in failing:
        assert diagnosis in (checks[name]["diagnosis"] or ""), checks[name]


def test_the_reference_solution_passes(tmp_path: Path) -> None:
    code, report = check("three-layer", LESSONS / "exercises" / "three-layer" / "solution.py")
    assert code == 0 and report["passed"] and report["error"] is None
    assert set(by_name(report)) == {
        "forward: y",
        *GRADIENTS,
        "update_weights",
        "arguments left unchanged",
    }


def test_factor_two(tmp_path: Path) -> None:
    file = planted(tmp_path, "three-layer", "dy = (y - t) / m", "dy = 2 * (y - t) / m")
    code, report = check("three-layer", file)
    assert code == 1
    assert_only(report, GRADIENTS, "factor 2")
    assert all(by_name(report)[n]["message"].startswith("relative error 0.333 ") for n in GRADIENTS)


@pytest.mark.parametrize(
    ("layer", "right", "wrong"),
    [
        (3, "dz3 = dy * y * (1.0 - y)", "dz3 = dy"),
        (
            2,
            'dz2 = (p["W3"].T @ dz3) * self.a2 * (1.0 - self.a2)',
            'dz2 = p["W3"].T @ dz3',
        ),
        (
            1,
            'dz1 = (p["W2"].T @ dz2) * self.a1 * (1.0 - self.a1)',
            'dz1 = p["W2"].T @ dz2',
        ),
    ],
)
def test_activation_derivative_left_out(tmp_path: Path, layer: int, right: str, wrong: str) -> None:
    code, report = check("three-layer", planted(tmp_path, "three-layer", right, wrong))
    broken = [f"backward: dL/d{p}{k}" for k in range(1, layer + 1) for p in "Wb"]
    assert code == 1
    assert_only(report, broken, f"derivative is left out at layer {layer}")


def test_sign_flipped(tmp_path: Path) -> None:
    file = planted(tmp_path, "three-layer", "dy = (y - t) / m", "dy = (t - y) / m")
    assert_only(check("three-layer", file)[1], GRADIENTS, "sign flipped")


def test_one_over_m_forgotten(tmp_path: Path) -> None:
    file = planted(tmp_path, "three-layer", "dy = (y - t) / m", "dy = y - t")
    assert_only(check("three-layer", file)[1], GRADIENTS, "1/m forgotten")


def test_transposed_weight_gradient_names_both_shapes(tmp_path: Path) -> None:
    file = planted(tmp_path, "three-layer", '"W2": dz2 @ self.a1.T', '"W2": self.a1 @ dz2.T')
    _code, report = check("three-layer", file)
    assert_only(report, ["backward: dL/dW2"], "transposed")
    shapes = re.findall(r"\((\d+), (\d+)\)", by_name(report)["backward: dL/dW2"]["diagnosis"])
    assert len(shapes) == 2 and shapes[0] == shapes[1][::-1] and shapes[0] != shapes[1]


def test_bias_gradient_not_summed_names_both_shapes(tmp_path: Path) -> None:
    file = planted(tmp_path, "three-layer", '"b1": dz1.sum(axis=1, keepdims=True)', '"b1": dz1')
    _code, report = check("three-layer", file)
    assert_only(report, ["backward: dL/db1"], "not summed over the examples")
    (rows, m), (same_rows, one) = re.findall(
        r"\((\d+), (\d+)\)", by_name(report)["backward: dL/db1"]["diagnosis"]
    )
    assert rows == same_rows and one == "1" and int(m) >= 2


def test_update_sign(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "three-layer",
        "self.params[name] -= lr * gradient",
        "self.params[name] += lr * gradient",
    )
    assert_only(check("three-layer", file)[1], ["update_weights"], "the update's sign")


def test_assignment_where_gradients_accumulate(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "dense-layer",
        "self.grad_W += grad_z @ self.x.T\n        self.grad_b += grad_z.sum",
        "self.grad_W = grad_z @ self.x.T\n        self.grad_b = grad_z.sum",
    )
    report = check("dense-layer", file)[1]
    # One backward from zeros gives the same result with = or +=; the second one differs.
    assert_only(report, ["grad_W accumulates", "grad_b accumulates"], "`=` where `+=` accumulates")


def test_walkthrough_weight_gradient_not_summed(tmp_path: Path) -> None:
    file = planted(tmp_path, "walkthrough", "dw2 = np.sum(dz2 * a1)", "dw2 = dz2 * a1")
    assert_only(check("walkthrough", file)[1], ["dL/dw2"], "not summed over the examples")


def test_sigmoid_derivative_of_z_instead_of_a(tmp_path: Path) -> None:
    file = planted(
        tmp_path, "sigmoid", "s = sigmoid(z)\n    return s * (1.0 - s)", "return z * (1.0 - z)"
    )
    assert_only(check("sigmoid", file)[1], ["sigmoid_prime(z)"], "z(1 − z)")


def test_softmax_gradient_without_the_mean(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "softmax-cross-entropy",
        "return (softmax(z) - t) / z.shape[1]",
        "return softmax(z) - t",
    )
    report = check("softmax-cross-entropy", file)[1]
    assert_only(report, ["cross_entropy_backward(z, t)"], "1/m forgotten")


def test_gradient_check_without_the_denominator(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "gradcheck",
        "return np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))",
        "return np.linalg.norm(a - n)",
    )
    report = check("gradcheck", file)[1]
    failing = [n for n, c in by_name(report).items() if not c["passed"]]
    assert failing and all(n.startswith("gradient_check catches") for n in failing)
    for name in failing:
        assert "the absolute difference" in by_name(report)[name]["diagnosis"]


TWO_HEADS = LESSONS / "exercises" / "two-heads"


def test_the_two_heads_starter_is_diagnosed_as_an_overwrite() -> None:
    code, report = check("two-heads", TWO_HEADS / "starter.py")
    assert code == 1
    assert_only(report, ["dL/dh", "dL/dW"], "overwrote instead of accumulating")
    assert "only the path through y2 reached h" in by_name(report)["dL/dh"]["diagnosis"]
    code, report = check("two-heads", TWO_HEADS / "solution.py")
    assert code == 0 and report["passed"]


def test_two_heads_overwritten_the_other_way(tmp_path: Path) -> None:
    file = planted(
        tmp_path,
        "two-heads",
        "dh += V.T @ dz1\n    dh += U.T @ dz2",
        "dh = U.T @ dz2\n    dh = V.T @ dz1",
    )
    code, report = check("two-heads", file)
    assert code == 1
    assert_only(report, ["dL/dh", "dL/dW"], "only the path through y1 reached h")


def test_two_heads_factor_two_is_still_named(tmp_path: Path) -> None:
    file = planted(tmp_path, "two-heads", "dz2 = (y2 - t2) / m", "dz2 = 2 * (y2 - t2) / m")
    code, report = check("two-heads", file)
    assert code == 1
    checks = by_name(report)
    assert checks["dL/dV"]["passed"] and not checks["dL/dU"]["passed"]
    assert "factor 2" in (checks["dL/dU"]["diagnosis"] or "")
