"""``backprop-tutor train SPEC`` in a subprocess: plot, predictions, options, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
XOR = str(ROOT / "examples" / "xor.toml")
ANSI = re.compile(r"\x1b\[")

DIVERGING = """\
input = [[1.0, 2.0]]
target = [[1.0, 0.0]]
loss = "half_squared_error"
[[layers]]
W = [[0.5]]
activation = "linear"
[train]
lr = 1e6
"""


def prediction_lines(stdout: str) -> list[list[str]]:
    """The rows under the predictions header, split into cells."""
    lines = stdout.split("Predictions on the training examples\n", 1)[1].splitlines()
    return [re.split(r"\s{2,}", line.strip()) for line in lines[1:] if line.strip()][:4]


def test_xor_prints_progress_plot_and_correct_predictions() -> None:
    result = run_cli("train", XOR)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # The loss falls by more than two decades, so the axis is logarithmic and says so.
    assert "Loss (half_squared_error, log scale)" in out and "epoch" in out
    assert "┤" in out and "└" in out  # the plotext frame
    assert not ANSI.search(out)  # not a terminal: no colour codes
    rows = prediction_lines(out)
    assert [row[:2] for row in rows] == [["0, 0", "0"], ["0, 1", "1"], ["1, 0", "1"], ["1, 1", "0"]]
    assert [row[-1] for row in rows] == ["yes"] * 4
    final = float(re.search(r"Final loss: (\S+)", out).group(1).replace("−", "-"))
    assert final < 0.01
    assert "epoch 5,000 / 5,000" in result.stderr and "100%" in result.stderr


def test_options_override_the_spec_and_the_seed_reinitialises() -> None:
    short = run_cli("train", XOR, "--epochs", "3", "--lr", "0.5", "--optimizer", "adam")
    assert short.returncode == 0, short.stderr
    assert "epoch 3 / 3" in short.stderr
    same = run_cli("train", XOR, "--epochs", "3", "--seed", "0")
    default = run_cli("train", XOR, "--epochs", "3")
    other = run_cli("train", XOR, "--epochs", "3", "--seed", "1")
    assert same.stdout == default.stdout  # --seed 0 is the spec's own [init] seed
    assert other.stdout != default.stdout


def test_tiny_init_reports_the_plateau(tmp_path: Path) -> None:
    result = run_cli("train", str(ROOT / "examples" / "xor-tiny-init.toml"))
    assert result.returncode == 0, result.stderr
    assert "Stuck on a plateau" in result.stdout and "Try more epochs" not in result.stdout
    # A flat curve looks flat: a linear axis from 0, not a zoom on the last digits.
    assert "Loss (half_squared_error)" in result.stdout
    assert re.search(r"^\s*0┤", result.stdout, re.MULTILINE)
    rows = prediction_lines(result.stdout)
    assert [row[-2:] for row in rows] == [["?", "?"]] * 4  # outputs at chance are undecided
    outputs = [row[2] for row in rows]
    assert len(set(outputs)) == 4  # printed with enough digits to tell them apart
    assert all(abs(float(o) - 0.5) < 0.05 for o in outputs)


def test_divergence_is_reported_with_exit_1(tmp_path: Path) -> None:
    spec = tmp_path / "diverge.toml"
    spec.write_text(DIVERGING)
    result = run_cli("train", str(spec))
    assert result.returncode == 1
    assert "stopped being a number" in result.stdout and "smaller learning rate" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.toml"], "missing.toml: no such file"),
        ([XOR, "--lr", "-1"], "--lr: the learning rate must be greater than 0"),
        ([XOR, "--epochs", "0"], "--epochs: the number of epochs must be from 1"),
        ([XOR, "--epochs", "10000000"], "1,000,000"),
        ([XOR, "--seed", "-2"], "--seed: the seed must be from 0"),
        ([str(ROOT / "examples" / "walkthrough.toml"), "--seed", "1"], "`units`"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], message: str) -> None:
    result = run_cli("train", *args)
    assert result.returncode == 2
    assert result.stderr.startswith("backprop-tutor train: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bad_spec_names_the_line(tmp_path: Path) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(DIVERGING.replace('activation = "linear"', 'activation = "softsign"'))
    result = run_cli("train", str(spec))
    assert result.returncode == 2
    assert f"{spec}:6: `activation`" in result.stderr


def test_spirals_draws_the_decision_boundary_with_test_accuracy(private_home: Path) -> None:
    result = run_cli("train", str(ROOT / "examples" / "spirals.toml"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Decision boundary" in out and "Predictions on the training examples" not in out
    frame = [line for line in out.splitlines() if line.startswith("|") and line.endswith("|")]
    assert len(frame) == 20 and {len(line) for line in frame} == {46}
    assert {"1", "2", "3"} <= set("".join(frame))  # the training points of the three classes
    found = re.search(r"train accuracy ([\d.]+) % · test accuracy ([\d.]+) %", out)
    assert found is not None and float(found.group(2)) >= 95.0
    # the verdict agrees with the picture: 3 classes × 100 points, a fifth held out = 240 trained on
    right = round(float(found.group(1)) / 100 * 240)
    verdict = out.splitlines()[-1]
    everyone = "Learned: all 240 examples right"
    expected = f"{right} of 240 examples right" if right < 240 else everyone
    assert verdict.startswith(expected), verdict
