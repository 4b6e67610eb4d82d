"""Property tests with hostile input (issue 14): random TOML trees, mutated files, random bytes.

The spec reader, the lesson parser (with the engine checks) and the progress
decoder raise nothing but their own error, and each example ends within a
bounded time.  The checks are called directly, not through the catalog's guard
for unforeseen failures, so a bug shows here as an exception.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.formats.spec import SpecError, check_spec, load_spec
from tutor.formats.tomlsource import TomlSyntaxError, parse_toml
from tutor.lesson.model import BLOCK_KINDS
from tutor.lesson.parser import parse_lesson_file, parse_lesson_text
from tutor.lesson.validate import validate_lesson
from tutor.store.progress import Progress
from tutor.store.progress_decode import DamagedProgress, progress_from_dict
from tutor.store.progress_file import ProgressStore

DEADLINE_MS = 60_000
"""No example may take longer: a bound on a hang (hypothesis times each example by the clock,
which a loaded machine stretches many times over)."""
BOUNDED = settings(
    max_examples=120,
    deadline=DEADLINE_MS,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ----------------------------------------------------------------- TOML trees

SPEC_KEYS = [
    "input", "target", "loss", "layers", "W", "b", "units", "bias", "activation",
    "init", "train", "scale", "seed", "scheme", "epochs", "lr", "optimizer", "id",
]  # fmt: skip
BLOCK_KEYS = [
    "id", "network", "predict", "lr", "caption", "epochs", "hidden", "knobs", "init_scale",
    "question", "answer", "hints", "tolerance", "vary", "epsilon", "backprop_loss", "x", "W1",
]  # fmt: skip
WORDS = [
    "sigmoid", "tanh", "relu", "linear", "half_squared_error", "cross_entropy",
    "binary_cross_entropy", "squared_error", "sgd", "adam", "tiny", "grad W1 of tiny",
    "loss of tiny", "value y of tiny", "W1[1,1] after one step of tiny with lr 0.1",
    "dL/dz2", "[b]bold[/b]", "[/]", "[@click=app.quit]x[/]", "{W1}", "{x}",
]  # fmt: skip

numbers = st.one_of(
    st.integers(-3, 5),
    st.integers(),
    st.sampled_from([2**63 - 1, -(2**63), 2**63, 10**400, 4096, 4097, 10**9]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-2, 2),
)
leaves = st.one_of(numbers, st.booleans(), st.sampled_from(WORDS), st.text(max_size=12))
deep = st.integers(1, 300).map(
    lambda depth: functools.reduce(lambda inner, _: [inner], range(depth), 1)
)


@functools.cache
def trees(keys: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Nested lists and tables whose keys are mostly ones the reader knows (one strategy per
    key list: building and checking a recursive strategy costs more than drawing from it)."""
    key = st.one_of(st.sampled_from(keys), st.text(min_size=1, max_size=6))
    return st.recursive(
        leaves | deep,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(key, inner, max_size=4)
        ),
        max_leaves=30,
    )


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """A network spec that fits together, then some of its values swapped for random trees."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    examples = draw(st.integers(1, 3))
    entry = st.floats(-3, 3, allow_subnormal=False)

    def matrix(rows: int, cols: int) -> list[list[float]]:
        return draw(
            st.lists(st.lists(entry, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
        )

    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        layer: dict[str, Any] = {"activation": draw(st.sampled_from(WORDS[:4]))}
        if draw(st.booleans()):
            layer["W"] = matrix(n_out, n_in)
            if draw(st.booleans()):
                layer["b"] = matrix(n_out, 1)
        else:
            layer["units"] = n_out
            layer["bias"] = draw(st.booleans())
        layers.append(layer)
    spec: dict[str, Any] = {
        "id": "tiny",
        "input": matrix(sizes[0], examples),
        "target": [[draw(st.floats(0, 1)) for _ in range(examples)] for _ in range(sizes[-1])],
        "loss": draw(st.sampled_from(WORDS[4:8])),
        "layers": layers,
    }
    for _ in range(draw(st.integers(0, 3))):  # damage: a key at any depth gets a random tree
        table = spec
        if layers and draw(st.booleans()):
            table = layers[draw(st.integers(0, len(layers) - 1))]
        table[draw(st.sampled_from(SPEC_KEYS))] = draw(trees(tuple(SPEC_KEYS)))
    return spec


def toml_value(value: Any) -> str:
    """``value`` in TOML's inline syntax (floats' NaN and infinities included)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if len(str(abs(value))) < 4000 else "9" * 5000
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("-inf" if value < 0 else "inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = "".join(
        f"\\{c}" if c in '"\\' else f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c
        for c in text
    )
    return f'"{escaped}"'


def toml_text(table: dict[str, Any]) -> str:
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in table.items())


# ----------------------------------------------------------------- the spec reader


@BOUNDED
@given(spec=specs())
def test_random_spec_trees_give_problems_never_exceptions(spec: dict[str, Any]) -> None:
    text = toml_text(spec)
    try:
        source = parse_toml(text)
    except TomlSyntaxError as exc:
        assert exc.message.strip()
        return
    try:
        network, _ = check_spec(source, "spec.toml")
    except SpecError as exc:
        assert exc.problems and all(p.message.strip() for p in exc.problems)
        return
    assert network.parameter_count() >= 1


@BOUNDED
@given(raw=st.binary(max_size=300))
def test_random_bytes_as_a_spec_file_give_one_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.toml"
        path.write_bytes(raw)
        try:
            load_spec(path)
        except SpecError as exc:
            assert str(exc).startswith(str(path))


# ----------------------------------------------------------------- the lesson parser

HEAD = '+++\nid = "hostile"\ntitle = "[b]Hostile[/b] [/]"\nsummary = "[@click=app.quit]x[/]"\n+++\n'
TINY = {
    "id": "tiny",
    "input": [[1.0]],
    "target": [[1.0]],
    "loss": "half_squared_error",
    "layers": [{"W": [[0.5]], "activation": "sigmoid"}, {"W": [[0.8]], "activation": "sigmoid"}],
}


PLAUSIBLE: dict[str, dict[str, Any]] = {
    "derive": {"network": "tiny", "predict": ["dL/dz2", "dL/dW1"], "lr": 0.1, "caption": "[b]"},
    "train": {"network": "tiny", "epochs": 20, "lr": 0.5, "knobs": ["lr", "epochs", "hidden"]},
    "gradcheck": {"network": "tiny"},
    "quiz": {
        "id": "q",
        "question": "With {x}, {W1[1,1]} and {W2}: [@click=app.quit]dL/dW2?[/]",
        "answer": "grad W2 of tiny",
        "hints": ["[/]"],
        "tolerance": 0.01,
        "vary": {"x": [0.5, 2.0]},
    },
    "exercise": {"id": "forward"},
}


@st.composite
def lessons(draw: st.DrawFn) -> str:
    """A lesson with networks and blocks that mostly fit, some of their keys made random."""
    parts = [HEAD, "\n## [red]Step[/red] {x}\n\n", "```network\n" + toml_text(TINY) + "```\n"]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from([*BLOCK_KINDS, "networ", "python"]))
        if kind == "network":
            table = {**draw(specs()), "id": draw(st.sampled_from(["other", "more"]))}
        else:
            table = dict(PLAUSIBLE.get(kind, {}))
            if kind not in ("quiz", "exercise") and draw(st.booleans()):
                table["network"] = draw(st.sampled_from(["tiny", "other", "none"]))
        for _ in range(draw(st.integers(0, 3))):
            table[draw(st.sampled_from(BLOCK_KEYS))] = draw(trees(tuple(BLOCK_KEYS)))
        if draw(st.booleans()):
            parts.append(f"\n## {draw(st.text(max_size=10))}\n")
        parts.append(f"\n```{kind}\n{toml_text(table)}```\n")
    return "".join(parts)


@BOUNDED
@given(text=lessons())
def test_random_lesson_blocks_give_problems_never_exceptions(text: str) -> None:
    parsed = parse_lesson_text(text, Path("hostile.md"))
    problems = validate_lesson(parsed)
    lines = text.count("\n") + 1
    for problem in problems:
        assert 0 <= problem.line <= lines and problem.message.strip()


@BOUNDED
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_a_lesson_file_give_problems(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.md"
        path.write_bytes(raw)
        parsed = parse_lesson_file(path)
        assert parsed.lesson is not None or parsed.problems
        validate_lesson(parsed)


# ----------------------------------------------------------------- the progress decoder

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**30, -1, 2**63, 10**4299]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_trees = st.recursive(
    json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)
PROGRESS_KEYS = [
    "version", "lessons", "families", "step", "finished_steps", "revealed", "predictions",
    "runs", "answer", "outcome", "knobs", "final_loss", "status", "curve", "attempts",
    "correct", "streak", "box", "last_seen", "due",
]  # fmt: skip
progress_like = st.recursive(
    json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(PROGRESS_KEYS) | st.text(max_size=3), inner, max_size=5),
    ),
    max_leaves=40,
).map(lambda tree: {"version": 1, **tree} if isinstance(tree, dict) else tree)


@BOUNDED
@given(data=st.one_of(json_trees, progress_like))
def test_random_json_decodes_to_progress_that_saves_again(data: Any) -> None:
    problems: list[str] = []
    try:
        progress = progress_from_dict(data, problems)
    except DamagedProgress:
        return
    saved = json.loads(json.dumps(progress.to_dict(), allow_nan=False))
    again: list[str] = []
    assert progress_from_dict(saved, again) == progress and again == []


@BOUNDED
@given(raw=st.one_of(st.binary(max_size=300), json_trees.map(lambda t: json.dumps(t).encode())))
def test_random_progress_files_never_raise_and_are_never_lost(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "progress.json").write_bytes(raw)
        store = ProgressStore(directory)
        progress = store.load()
        assert isinstance(progress, Progress)
        kept = [p.read_bytes() for p in directory.glob("progress.json*")]
        assert raw in kept  # as it was, or set aside under another name
