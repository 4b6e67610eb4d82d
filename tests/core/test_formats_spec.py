"""Network specs: one collecting key checker for spec files and lessons' network blocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tutor.formats.problem import Problem
from tutor.formats.spec import SpecError, TrainSettings, load_spec
from tutor.lesson.parser import parse_lesson_text

SPEC = """\
id = "n"
input = [[1.0, 0.0]]
target = [[1.0, 0.0]]
loss = "half_squared_error"

[[layers]]
W = [[0.5], [-0.3]]
b = [[0.1], [0.2]]
activation = "tanh"

[[layers]]
units = 1
activation = "sigmoid"

[init]
scale = 0.5
seed = 7

[train]
epochs = 20
lr = 0.5
"""

MISTAKES = {
    "layer key": ('activation = "tanh"', 'activation = "tanh"\nactivaton = "relu"'),
    "init key": ("seed = 7", "sead = 7"),
    "train key": ("lr = 0.5", "rate = 0.5"),
    "activation": ('"tanh"', '"softplus"'),
    "loss": ('"half_squared_error"', '"hinge"'),
    "shape": ("W = [[0.5], [-0.3]]", "W = [[0.5, 1.0], [-0.3, 1.0]]"),
    "bias shape": ("b = [[0.1], [0.2]]", "b = [[0.1]]"),
    "not finite": ("target = [[1.0, 0.0]]", "target = [[1.0, nan]]"),
    "units": ("units = 1", "units = 0"),
    "missing loss": ('loss = "half_squared_error"\n', ""),
    "target columns": ("target = [[1.0, 0.0]]", "target = [[1.0]]"),
    "softmax needs linear": ('"half_squared_error"', '"cross_entropy"'),
    "train lr": ("lr = 0.5", "lr = -1"),
}


def spec_problems(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    assert str(raised.value) == str(raised.value.problems[0])
    return list(raised.value.problems)


def test_the_spec_reads_into_a_network_and_training_defaults(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC, encoding="utf-8")
    spec, settings = load_spec(path)
    assert spec.name == "n" and spec.loss == "half_squared_error"
    np.testing.assert_array_equal(spec.layers[0].W, [[0.5], [-0.3]])
    np.testing.assert_array_equal(spec.layers[0].b, [[0.1], [0.2]])
    assert spec.layers[1].W.shape == (1, 2) and spec.layers[1].activation == "sigmoid"
    assert settings == TrainSettings(epochs=20, lr=0.5, optimizer="sgd")
    path.write_text(SPEC.replace("seed = 7", "seed = 8"), encoding="utf-8")
    reseeded, _ = load_spec(path)
    assert not np.array_equal(reseeded.layers[1].W, spec.layers[1].W)
    assert load_spec(path)[0].layers[1].W.tolist() == reseeded.layers[1].W.tolist()


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_mistake_reads_the_same_in_a_spec_file_and_in_a_lesson(
    tmp_path: Path, mistake: str
) -> None:
    old, new = MISTAKES[mistake]
    assert old in SPEC
    body = SPEC.replace(old, new, 1)
    in_file = spec_problems(tmp_path, body)
    head = '+++\nid = "demo"\ntitle = "Demo"\n+++\n\n## One\n\n```network\n'
    fence = head.count("\n")  # the file line of the fence: the body starts on the next
    lesson = tmp_path / "lesson.md"
    in_lesson = parse_lesson_text(head + body + "```\n", lesson).problems
    assert in_file and all(p.path == str(tmp_path / "spec.toml") for p in in_file)
    assert [
        (p.line + fence if p.line else fence, f"network block: {p.message}") for p in in_file
    ] == [(p.line, p.message) for p in sorted(in_lesson, key=lambda p: p.line)]


def test_every_problem_is_reported_in_line_order(tmp_path: Path) -> None:
    text = SPEC
    for mistake in ("init key", "train key", "shape", "not finite", "units"):
        old, new = MISTAKES[mistake]
        text = text.replace(old, new, 1)
    lines = text.splitlines()

    def line(fragment: str) -> int:
        return next(i for i, x in enumerate(lines, 1) if fragment in x)

    problems = spec_problems(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [
        (line("nan"), "`target` holds nan: only finite numbers are allowed"),
        (line("W = "), "layer 1: W has shape (2, 2), but its input has 1 row, so W needs 1 column"),
        (line("units"), "`units` must be a whole number from 1 to 4,096, found 0"),
        (line("sead"), "unknown key `sead` in [init]; did you mean `seed`?"),
        (
            line("rate"),
            "unknown key `rate` in [train]; known keys: `batch_size`, `epochs`, `lr`, `optimizer`",
        ),
    ]


def test_unknown_keys_get_the_closest_known_key_at_every_level(tmp_path: Path) -> None:
    text = SPEC.replace("loss =", "lose =").replace("units = 1", "unit = 1")
    problems = spec_problems(tmp_path, text)
    messages = [p.message for p in problems]
    assert "unknown key `lose` in the spec; did you mean `loss`?" in messages
    assert "unknown key `unit` in layer 2; did you mean `units`?" in messages
    assert "missing `loss`: a spec needs input, target, loss and [[layers]]" in messages
    missing = next(p for p in problems if p.message.startswith("missing"))
    assert missing.line == 0 and str(missing) == f"{tmp_path / 'spec.toml'}: {missing.message}"


def test_a_table_that_is_not_a_table(tmp_path: Path) -> None:
    text = SPEC.replace("[train]\nepochs = 20\nlr = 0.5\n", "").replace("id =", "train = 3\nid =")
    (problem,) = spec_problems(tmp_path, text)
    assert (problem.line, problem.message) == (
        1,
        "`train` must be a table: a [train] header, then its keys",
    )


def test_a_spec_error_for_the_whole_file() -> None:
    error = SpecError.at("net.toml", "the file is empty")
    assert str(error) == "net.toml: the file is empty"
    assert str(SpecError.at("net.toml", "bad", 3)) == "net.toml:3: bad"


CLASSES = """input = [[1.0, 2.0], [0.5, -1.0]]
target = {target}
loss = "cross_entropy"

[[layers]]
W = [[0.6, -0.4], [0.2, 0.8], [-0.5, 0.3]]
activation = "linear"
"""


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("[[0.0, 0.2], [1.0, 0.8], [0.0, 0.0]]", None),  # one-hot, then a soft target
        ("[[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]]", "target column 2 adds up to 2, not 1"),
        ("[[0.0, 0.0], [0.0, 1.0], [0.0, 0.0]]", "target column 1 adds up to 0, not 1"),
        (
            "[[1.5, 0.0], [-0.5, 1.0], [0.0, 0.0]]",
            "target column 1 has the entry 1.5, outside 0 to 1",
        ),
    ],
)
def test_a_cross_entropy_target_column_must_be_a_distribution(
    tmp_path: Path, target: str, message: str | None
) -> None:
    path = tmp_path / "classes.toml"
    path.write_text(CLASSES.format(target=target), encoding="utf-8")
    if message is None:
        spec, _ = load_spec(path)
        assert np.allclose(spec.target.sum(axis=0), 1.0)
        return
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    (problem,) = caught.value.problems
    assert problem.line == 2 and problem.message.startswith(message)
    assert "each target column is a distribution over the classes" in problem.message
