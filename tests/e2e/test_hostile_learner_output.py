"""What a learner's code prints, warns and raises is shown spelled out (issue 23).

The learner's file prints an OSC 52 clipboard write and a right-to-left override,
warns with a title sequence and raises with one and a C1 CSI; ``exercise check``
shows each as ``\\u001b``…, and no byte of a control sequence reaches the terminal.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from tests.helpers import run_cli

LEARNER = """
import warnings

import numpy as np

print("\\x1b]52;c;SGVsbG8=\\x07 clipboard \\u202e")


def sigmoid(z):
    warnings.warn("\\x1b]2;WARN\\x07")
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    raise ValueError("\\x1b]2;EXC\\x07 \\x9b31m")
"""


def test_learner_output_warnings_and_errors_are_spelled_out(tmp_path: Path) -> None:
    learner = tmp_path / "learner.py"
    learner.write_text(LEARNER, encoding="utf-8")
    result = run_cli("exercise", "check", "sigmoid", "--file", str(learner))
    assert result.returncode == 1  # sigmoid_prime raised
    output = result.stdout + result.stderr
    hidden = [c for c in output if c not in "\n\t" and unicodedata.category(c)[0] == "C"]
    assert hidden == []
    assert "\\u001b]52;c;SGVsbG8=\\u0007 clipboard \\u202e" in output  # printed
    assert "UserWarning: \\u001b]2;WARN\\u0007" in output  # warned
    assert "ValueError" in output and "\\u001b]2;EXC\\u0007 \\u009b31m" in output  # raised
