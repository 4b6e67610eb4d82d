"""``solve`` prints a derivation in the words the TUI and ``lesson --plain`` use for it.

The lines between "Forward pass" and the gradients' summary must be, line for line,
what :func:`tutor.present.derivation.stage_lines` gives for each stage of a walk over
the same network (``lesson --plain`` prints these as each stage is revealed), and what
the TUI's :func:`~tutor.present.derivation.derivation_lines` draws once all is revealed
(less the marker on the newest stage).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import BATCH_SPEC
from tutor.cli import main
from tutor.engine import derive
from tutor.formats.spec import load_spec
from tutor.lesson.model import DeriveBlock
from tutor.lesson.walk import DerivationWalk
from tutor.present.derivation import (
    CURRENT,
    EARLIER,
    derivation_lines,
    finished_lines,
    stage_lines,
)
from tutor.text.derivation import FORWARD

SPECS = {
    "one example, scalars": """\
input = [[1.0]]
target = [[1.0]]
loss = "half_squared_error"
[[layers]]
W = [[0.5]]
activation = "sigmoid"
[[layers]]
W = [[0.8]]
activation = "sigmoid"
""",
    "a batch, matrices and biases": BATCH_SPEC,
    "softmax with cross-entropy": """\
input = [[1.0], [2.0]]
target = [[0.0], [1.0], [0.0]]
loss = "cross_entropy"
[[layers]]
W = [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.1]]
b = [[0.0], [0.1], [0.2]]
activation = "linear"
""",
}


def solve_output(tmp_path: Path, spec: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    path = tmp_path / "spec.toml"
    path.write_text(spec, encoding="utf-8")
    assert main(["solve", str(path)]) == 0
    return capsys.readouterr().out.splitlines()


def fully_revealed_walk(path: Path) -> DerivationWalk:
    spec, _ = load_spec(path)
    walk = DerivationWalk(derive(spec), DeriveBlock(network="n", line=1))
    walk.revealed = len(walk.stages)
    return walk


@pytest.mark.parametrize("name", list(SPECS))
def test_solve_prints_the_shared_derivation_lines(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = solve_output(tmp_path, SPECS[name], capsys)
    start = out.index(FORWARD)
    end = out.index("Gradients of the loss")
    printed = [line for line in out[start:end] if line]  # a blank line before each pass
    walk = fully_revealed_walk(tmp_path / "spec.toml")
    plain = [line.text for i in range(len(walk.stages)) for line in stage_lines(walk, i)]
    assert printed == plain
    drawn = [line.text for line in derivation_lines(walk, None)]
    drawn = [line.replace(CURRENT, EARLIER, 1) for line in drawn[: len(plain)]]
    assert printed == drawn
    assert sum(line.startswith("  dL/d") for line in printed) == len(walk.derivation.trace)


def test_solve_sums_up_every_parameter_gradient(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = solve_output(tmp_path, SPECS["a batch, matrices and biases"], capsys)
    summary = out[out.index("Gradients of the loss") + 1 :]
    assert [line.split(" = ")[0] for line in summary] == [
        f"  dL/d{name}" for name in ("W1", "b1", "W2", "b2")
    ]
    assert summary[0].endswith("shape (3, 2)") and summary[-1].endswith("shape (1, 1)")
    assert out[1] == "  x = [[0, 1, 0.5], [1, 0, −0.5]]   (2, 3)"


@pytest.mark.parametrize("width", [0, 40, 80])
def test_the_room_kept_for_a_derivation_is_what_it_shows_once_finished(
    tmp_path: Path, width: int
) -> None:
    """The TUI keeps rows for :func:`finished_lines`: at every stage the lines shown fit in
    them, and the finished walk shows exactly them (a blank kept for each verdict to come)."""
    path = tmp_path / "spec.toml"
    path.write_text(SPECS["one example, scalars"], encoding="utf-8")
    spec, _ = load_spec(path)
    derivation = derive(spec)
    walk = DerivationWalk(derivation, DeriveBlock(network="n", line=1, predict=("dL/dz2",)))
    update = "W1: 0.5 → 0.49"
    room = [line.text for line in finished_lines(walk, update, width=width)]
    assert len(derivation_lines(walk, update, width=width)) <= len(room)
    while walk.advance():
        if walk.asking is not None:
            assert walk.submit(f"{walk.asking.record.value.item():.6g}").question_over
        assert len(derivation_lines(walk, update, width=width)) <= len(room)
    finished = [line.text for line in derivation_lines(walk, update, width=width)]
    assert finished == [line.text for line in finished_lines(walk, update, width=width)]
    assert len(finished) == len(room)
    assert room.count("") == finished.count("") + 1  # the verdict's blank, now written
    assert any(line.strip().startswith("You predicted dL/dz2 = ") for line in finished)
