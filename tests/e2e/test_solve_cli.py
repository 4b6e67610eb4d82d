"""``backprop-tutor solve``: the derivation, the JSON contract, and bad specs (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import BATCH_SPEC, run_cli, sig
from tutor.text.numbers import format_distinct, format_number

WALKTHROUGH = """\
input  = [[1.0]]
target = [[1.0]]
loss   = "half_squared_error"

[[layers]]
W = [[0.5]]
activation = "sigmoid"

[[layers]]
W = [[0.8]]
activation = "sigmoid"
"""


def write(tmp_path: Path, text: str | bytes, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_readable_derivation_shows_every_product(tmp_path: Path) -> None:
    result = run_cli("solve", str(write(tmp_path, WALKTHROUGH)), "--lr", "0.1", "--check")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    a1 = sig(0.5)
    a2 = sig(0.8 * a1)
    dz2 = (a2 - 1) * a2 * (1 - a2)  # the hand derivation
    dz1 = dz2 * 0.8 * a1 * (1 - a1)
    new_w1, new_w2 = 0.5 - 0.1 * dz1, 0.8 - 0.1 * dz2 * a1
    new_loss = 0.5 * (sig(new_w2 * sig(new_w1)) - 1) ** 2
    factors = f"({format_number(a2 - 1)}) × ({format_number(a2 * (1 - a2))})"
    assert f"dL/dz2 = dL/da2 × da2/dz2 = {factors} = {format_number(dz2)}" in out
    for target in ("dL/da2 =", "dL/dW2 =", "dL/da1 =", "dL/dz1 =", "dL/dW1 ="):
        assert target in out
    assert out.index("dL/dz2 =") < out.index("dL/dW2 =") < out.index("dL/dW1 =")
    assert f"a2 = σ(z2) = {format_number(a2)}" in out
    assert f"W2: 0.8 → {format_number(new_w2)}" in out
    old, new = format_distinct([0.5 * (a2 - 1) ** 2, new_loss])
    assert old != new and f"loss: {old} → {new}" in out  # enough digits to see the change
    assert "overall" in out and "passed" in out


def test_json_matches_the_contract(tmp_path: Path) -> None:
    result = run_cli("solve", str(write(tmp_path, WALKTHROUGH)), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"loss", "output", "values", "gradients", "trace"}
    a1 = sig(0.5)
    a2 = sig(0.8 * a1)
    assert data["loss"] == pytest.approx(0.5 * (a2 - 1) ** 2, abs=1e-15)
    assert data["output"] == [[pytest.approx(a2, abs=1e-15)]]
    assert set(data["values"]) == {"x", "z1", "a1", "z2", "a2"}
    assert set(data["gradients"]) == {"W1", "W2", "z1", "a1", "z2", "a2"}  # no b: no bias
    dz2 = (a2 - 1) * a2 * (1 - a2)
    assert data["gradients"]["W2"] == [[pytest.approx(dz2 * a1, abs=1e-15)]]
    record = next(r for r in data["trace"] if r["target"] == "dL/dz2")
    assert record["factors"][0][0] == "dL/da2" and record["factors"][1][0] == "da2/dz2"
    assert record["value"] == pytest.approx(dz2, abs=1e-15)
    assert "sigmoid" in record["rule"]


def test_json_for_a_batch_network_keeps_shapes(tmp_path: Path) -> None:
    data = json.loads(run_cli("solve", str(write(tmp_path, BATCH_SPEC)), "--json").stdout)
    assert [len(data["gradients"]["W1"]), len(data["gradients"]["W1"][0])] == [3, 2]
    assert [len(data["gradients"]["b1"]), len(data["gradients"]["b1"][0])] == [3, 1]
    assert [len(data["values"]["a1"]), len(data["values"]["a1"][0])] == [3, 3]
    assert data["trace"][0]["factors"][-1] == ["1/m", pytest.approx(1 / 3)]


BAD_SPECS = {
    "toml syntax": ("input = [[1.0]\ntarget = [[1.0]]\n", 2, "TOML syntax error"),
    "unknown activation": (
        WALKTHROUGH.replace('"sigmoid"', '"softplus"', 1),
        7,
        '`activation` must be one of "sigmoid", "tanh", "relu", "linear", found "softplus"',
    ),
    "unknown loss": (WALKTHROUGH.replace("half_squared_error", "hinge"), 3, 'found "hinge"'),
    "wrong shape": (
        WALKTHROUGH.replace("W = [[0.8]]", "W = [[0.8, 0.1]]"),
        10,
        "W needs 1 column",
    ),
    "target rows": (
        WALKTHROUGH.replace("target = [[1.0]]", "target = [[1.0], [0.0]]"),
        2,
        "last layer has 1 output",
    ),
    "cross entropy needs linear": (
        WALKTHROUGH.replace("half_squared_error", "cross_entropy"),
        11,
        'must be "linear"',
    ),
    "nan": (WALKTHROUGH.replace("W = [[0.5]]", "W = [[nan]]"), 6, "only finite numbers"),
    "inf": (WALKTHROUGH.replace("input  = [[1.0]]", "input = [[inf]]"), 1, "only finite numbers"),
    "not a number": (
        WALKTHROUGH.replace("W = [[0.5]]", 'W = [["half"]]'),
        6,
        "must hold only numbers",
    ),
    "bool is not a number": (
        WALKTHROUGH.replace("W = [[0.5]]", "W = [[true]]"),
        6,
        "must hold only numbers",
    ),
    "ragged": (
        WALKTHROUGH.replace("W = [[0.5]]", "W = [[0.5], [0.1, 0.2]]"),
        6,
        "same, non-zero number",
    ),
    "flat list": (WALKTHROUGH.replace("W = [[0.5]]", "W = [0.5]"), 6, "a flat list is ambiguous"),
    "unknown key": (
        "learning_rate = 3\n" + WALKTHROUGH,
        1,
        "unknown key `learning_rate` in the spec",
    ),
    "unknown layer key": (
        WALKTHROUGH + "units_ = 3\n",
        12,
        "unknown key `units_` in layer 2; did you mean `units`?",
    ),
    "misspelt key": (
        WALKTHROUGH.replace("loss   =", "lose ="),
        3,
        "unknown key `lose` in the spec; did you mean `loss`?",
    ),
    "missing layers": (
        'input = [[1.0]]\ntarget = [[1.0]]\nloss = "squared_error"\n',
        None,
        "missing `layers`",
    ),
    "empty": ("", None, "the file is empty"),
    "whitespace": ("  \n\n", None, "the file is empty"),
}


@pytest.mark.parametrize("case", list(BAD_SPECS))
def test_bad_specs_exit_2_with_file_line_and_message(tmp_path: Path, case: str) -> None:
    text, line, message = BAD_SPECS[case]
    path = write(tmp_path, text)
    result = run_cli("solve", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_every_problem_is_printed_in_line_order(tmp_path: Path) -> None:
    text = (
        WALKTHROUGH.replace("W = [[0.8]]", "W = [[0.8, 0.1]]")
        .replace('"half_squared_error"', '"hinge"')
        .replace("W = [[0.5]]", "W = [[0.5]]\nbais = [[0.0]]")
    )
    path = write(tmp_path, text)
    result = run_cli("solve", str(path))
    assert result.returncode == 2 and result.stdout == ""

    def line(fragment: str) -> int:
        return next(i for i, x in enumerate(text.splitlines(), 1) if fragment in x)

    assert result.stderr.splitlines() == [
        f"backprop-tutor solve: {path}:{line('loss')}: `loss` must be one of "
        '"half_squared_error", "squared_error", "binary_cross_entropy", "cross_entropy", '
        'found "hinge"',
        f"backprop-tutor solve: {path}:{line('bais')}: unknown key `bais` in layer 1; "
        "did you mean `bias`?",
        f"backprop-tutor solve: {path}:{line('0.8, 0.1')}: layer 2: W has shape (1, 2), "
        "but its input has 1 row, so W needs 1 column",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x00\x01\x02binary", "binary file"), (b"input = [[1.0]]\n\xff\xfe", "not valid UTF-8")],
)
def test_binary_and_non_utf8_files(tmp_path: Path, content: bytes, message: str) -> None:
    result = run_cli("solve", str(write(tmp_path, content)))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = run_cli("solve", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    directory = run_cli("solve", str(tmp_path))
    assert directory.returncode == 2 and "is a directory" in directory.stderr


def test_bad_learning_rate(tmp_path: Path) -> None:
    result = run_cli("solve", str(write(tmp_path, WALKTHROUGH)), "--lr", "-1")
    assert result.returncode == 2 and "--lr must be a positive number" in result.stderr


def test_json_stays_valid_when_a_step_overflows(tmp_path: Path) -> None:
    result = run_cli("solve", str(write(tmp_path, WALKTHROUGH)), "--json", "--lr", "1e308")
    assert result.returncode == 0, result.stderr
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    data = json.loads(result.stdout)
    assert "RuntimeWarning" not in result.stderr
    assert data["update"]["lr"] == 1e308 and data["loss"] > 0


def test_a_step_past_floating_point_is_null_in_json_and_infinite_in_words(
    tmp_path: Path,
) -> None:
    """dL/dW = (W·x − t)·x = 10.5 for both weights (x = 1): a step of 1e308 overshoots the
    largest float, so the parameters after it are −∞, and so is nothing else."""
    spec = tmp_path / "over.toml"
    spec.write_text(
        'input = [[1.0], [1.0]]\ntarget = [[0.0]]\nloss = "half_squared_error"\n'
        '[[layers]]\nW = [[10.0, 0.5]]\nb = [[0.0]]\nactivation = "linear"\n',
        "utf-8",
    )
    result = run_cli("solve", str(spec), "--json", "--lr", "1e308")
    assert result.returncode == 0 and result.stderr == ""  # no RuntimeWarning
    data = json.loads(result.stdout)
    assert data["gradients"]["W1"] == [[10.5, 10.5]] and data["loss"] == 0.5 * 10.5**2
    assert data["update"]["params"] == {"W1": [[None, None]], "b1": [[None]]}
    words = run_cli("solve", str(spec), "--lr", "1e308")
    assert words.stderr == "" and "W1: [[10, 0.5]] → [[−∞, −∞]]" in words.stdout


def test_json_puts_each_matrix_on_one_line(tmp_path: Path) -> None:
    """Every value, gradient and trace entry is one line of its own (a line per number made
    a large network's JSON tens of megabytes longer), and the lines read back as the whole."""
    text = run_cli("solve", str(write(tmp_path, BATCH_SPEC)), "--json").stdout
    data = json.loads(text)
    lines = [line.removesuffix(",") for line in text.splitlines()]
    for name, matrix in (*data["values"].items(), *data["gradients"].items()):
        assert f'    "{name}": {json.dumps(matrix, ensure_ascii=False)}' in lines
    for entry in data["trace"]:
        assert (
            json.loads(next(x for x in lines if f'"target": "{entry["target"]}"' in x).strip(" ,"))
            == entry
        )
    # "{", loss, output, each object's opening and closing line, "}": 10 more
    expected = len(data["values"]) + len(data["gradients"]) + len(data["trace"]) + 10
    assert len(lines) == expected


def test_check_at_a_relu_kink_says_so(tmp_path: Path) -> None:
    spec = tmp_path / "kink.toml"
    spec.write_text(
        'input = [[1.0]]\ntarget = [[2.0]]\nloss = "half_squared_error"\n'
        '[[layers]]\nW = [[1.0], [0.5]]\nb = [[-1.0], [0.2]]\nactivation = "relu"\n'
        '[[layers]]\nW = [[1.0, 1.0]]\nactivation = "linear"\n',
        "utf-8",
    )
    text = run_cli("solve", str(spec), "--check").stdout
    assert "FAILED" in text and "At a ReLU kink: moving W1[1,1], b1[1,1]" in text
    assert "layer 1 across 0" in text and "not a bug in backprop" in text
    data = json.loads(run_cli("solve", str(spec), "--check", "--json").stdout)
    assert data["gradcheck"]["kinks"] == [
        {"param": "W1", "index": [0, 0], "layer": 1},
        {"param": "b1", "index": [0, 0], "layer": 1},
    ]
