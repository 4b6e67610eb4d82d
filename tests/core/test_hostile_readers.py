"""Hostile specs and lessons (issue 14): each reproducer ends at once with a problem at a line.

Deep nesting, integers past 64 bits, FIFOs, devices, networks past the size budget,
huge matrices in a question, and a lesson whose check fails in an unforeseen way.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tutor.formats.spec import (
    MAX_ACTIVATIONS,
    MAX_LAYERS,
    MAX_PARAMETERS,
    SpecError,
    load_spec,
)
from tutor.formats.tomlsource import INT_LIMIT, MAX_DEPTH, TomlSyntaxError, parse_toml
from tutor.lesson import catalog
from tutor.lesson.catalog import load_catalog, load_lesson
from tutor.lesson.quantities import placeholder_text, render_question
from tutor.text.numbers import EDGE_ITEMS, format_array, format_number

HEAD = 'target = [[1.0]]\nloss = "half_squared_error"\n'
ONE_LAYER = "[[layers]]\nW = [[1.0]]\n"


def spec_problem(tmp_path: Path, text: str) -> str:
    """The one problem ``load_spec`` raises for ``text``, as ``path:line: message``."""
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return str(caught.value)


def finishes(call: Callable[[], Any], seconds: float = 5.0) -> Any:
    """``call()``'s result, failing the test if it has not returned within ``seconds``."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


# ----------------------------------------------------------------- nesting, integers


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 5000])
def test_deep_nesting_is_a_problem_at_its_line(tmp_path: Path, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    problem = spec_problem(tmp_path, f"{HEAD}input = {nested}\n{ONE_LAYER}")
    assert problem == (
        f"{tmp_path / 'spec.toml'}:3: TOML syntax error: "
        f"values are nested more than {MAX_DEPTH} levels deep"
    )


def test_nesting_spread_over_lines_and_in_inline_tables_is_counted() -> None:
    lines = "x = " + "[\n" * (MAX_DEPTH + 1) + "]\n" * (MAX_DEPTH + 1)
    with pytest.raises(TomlSyntaxError) as caught:
        parse_toml(lines)
    assert caught.value.line == MAX_DEPTH + 1  # the line whose bracket goes one too deep
    tables = "x = " + "{a = " * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    with pytest.raises(TomlSyntaxError, match="nested more than"):
        parse_toml(tables)
    dotted = "a" + ".a" * 3000 + " = 1"  # no brackets: only the parsed tree shows the depth
    with pytest.raises(TomlSyntaxError, match="nested more than"):
        parse_toml(dotted)
    ok = "x = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH  # exactly the limit parses
    assert parse_toml(ok).data["x"] is not None


def test_brackets_inside_strings_and_comments_are_not_nesting() -> None:
    text = 'a = "' + "[" * 100 + '"\nb = 1 # ' + "{" * 100 + "\nc = '''\n" + "[" * 100 + "\n'''\n"
    assert parse_toml(text).data["b"] == 1


@pytest.mark.parametrize("digits", [20, 400, 4300, 5000])
def test_an_integer_past_64_bits_is_a_problem_at_its_line(tmp_path: Path, digits: int) -> None:
    problem = spec_problem(tmp_path, f"{HEAD}\ninput = [[{'9' * digits}]]\n{ONE_LAYER}")
    assert problem.startswith(f"{tmp_path / 'spec.toml'}:4: TOML syntax error: ")
    assert "an integer is out of range: TOML integers are 64-bit" in problem


def test_the_64_bit_bounds_themselves_are_integers() -> None:
    data = parse_toml(f"low = {-INT_LIMIT}\nhigh = {INT_LIMIT - 1}").data
    assert data == {"low": -(2**63), "high": 2**63 - 1}
    with pytest.raises(TomlSyntaxError, match="out of range") as caught:
        parse_toml(f"ok = 1\n[t]\nx = [1, {{y = {INT_LIMIT}}}]")
    assert caught.value.line == 3  # the key holding it


def test_a_huge_integer_in_a_lesson_block_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text(
        '+++\nid = "b"\ntitle = "B"\n+++\n\n## One\n\n```train\nnetwork = "n"\n'
        f"epochs = {'9' * 900}\n```\n"
    )
    entry, _ = finishes(lambda: load_lesson(path))
    assert entry.lesson is None
    assert [(p.line, "out of range" in p.message) for p in entry.problems] == [(10, True)]


# ----------------------------------------------------------------- special files


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_only_regular_files_are_read_and_others_are_refused_at_once(
    tmp_path: Path, kind: str
) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe.toml"
        os.mkfifo(path)
        words = "a FIFO (named pipe)"
    elif kind == "device":
        path = Path(os.devnull)
        words = "a device"
    else:
        path = tmp_path / "folder.toml"
        path.mkdir()
        words = "a directory"
    with pytest.raises(SpecError) as caught:
        finishes(lambda: load_spec(path))
    assert str(caught.value) == f"{path}: is {words}, not a TOML spec file"
    entry, _ = finishes(lambda: load_lesson(path))
    assert [p.message for p in entry.problems] == [f"is {words}, not a lesson file"]


# ----------------------------------------------------------------- the size budget


def units_spec(widths: list[int], examples: int = 1, rows: int = 1, bias_last: bool = True) -> str:
    """A spec of ``units`` layers; the input has ``rows`` rows and ``examples`` columns."""
    layers = "".join(f"[[layers]]\nunits = {w}\n" for w in widths)
    if not bias_last:
        layers += "bias = false\n"
    row = "[" + ", ".join(["0.5"] * examples) + "]"
    matrix = "[" + ", ".join([row] * rows) + "]"
    target = "[" + ", ".join(["1.0"] * examples) + "]"
    return f'input = {matrix}\ntarget = [{target}]\nloss = "squared_error"\n{layers}'


def test_the_issue_network_is_refused_before_its_weights_are_drawn(tmp_path: Path) -> None:
    text = units_spec([4096, 4096, 1])
    start = time.process_time()  # processor time: a loaded machine does not stretch it
    problem = finishes(lambda: spec_problem(tmp_path, text))
    assert time.process_time() - start < 2  # drawing 16.8 million weights would take longer
    total = 4096 * 2 + 4096 * 4097  # layer 1: W and b; layer 2: W and b
    assert problem == (
        f"{tmp_path / 'spec.toml'}:7: layer 2 brings the network to {total:,} parameters; "
        f"a network has at most {MAX_PARAMETERS:,} (the size budget in the authoring guide)"
    )


def test_the_parameter_budget_is_exact(tmp_path: Path) -> None:
    # 23 inputs → 4,000 units with bias (4,000 × 24) → 1 unit without bias (4,000): 100,000
    rows, hidden = 23, 4000
    assert hidden * (rows + 1) + hidden == MAX_PARAMETERS
    path = tmp_path / "at.toml"
    path.write_text(units_spec([hidden, 1], rows=rows, bias_last=False))
    assert load_spec(path)[0].parameter_count() == MAX_PARAMETERS
    problem = spec_problem(tmp_path, units_spec([hidden, 1], rows=rows))  # one bias more
    assert problem.endswith(
        f"layer 2 brings the network to {MAX_PARAMETERS + 1:,} parameters; "
        f"a network has at most {MAX_PARAMETERS:,} (the size budget in the authoring guide)"
    )


def test_too_many_layers(tmp_path: Path) -> None:
    text = units_spec([1] * (MAX_LAYERS + 1))
    assert spec_problem(tmp_path, text).endswith(
        f"{MAX_LAYERS + 1} layers; a network has at most {MAX_LAYERS} "
        "(the size budget in the authoring guide)"
    )
    path = tmp_path / "ok.toml"
    path.write_text(units_spec([1] * MAX_LAYERS))
    assert len(load_spec(path)[0].layers) == MAX_LAYERS


def test_units_times_examples(tmp_path: Path) -> None:
    # 1 input row + 9 hidden + 1 output = 11 units per example
    examples = MAX_ACTIVATIONS // 11 + 1
    problem = spec_problem(tmp_path, units_spec([9, 1], examples))
    assert problem == (
        f"{tmp_path / 'spec.toml'}:1: {examples:,} examples through 11 units make "
        f"{11 * examples:,} values per pass; at most {MAX_ACTIVATIONS:,} "
        "(the size budget in the authoring guide)"
    )
    path = tmp_path / "ok.toml"
    path.write_text(units_spec([9, 1], examples - 1))
    assert load_spec(path)[0].examples == examples - 1


def test_explicit_weights_count_towards_the_budget(tmp_path: Path) -> None:
    row = "[" + ", ".join(["0.1"] * 300) + "]"
    big = "[" + ", ".join([row] * 300) + "]"  # 300 × 300 = 90,000
    text = (
        'input = [[1.0]]\ntarget = [[1.0]]\nloss = "squared_error"\n'
        "[[layers]]\nunits = 300\nbias = false\n"
        f"[[layers]]\nW = {big}\n"
        "[[layers]]\nunits = 40\n"
    )
    problem = spec_problem(tmp_path, text)
    assert "layer 3 brings the network to 102,340 parameters" in problem  # 300 + 90,000 + 12,040


# ----------------------------------------------------------------- what is shown


def test_large_arrays_are_summarised_as_numpy_summarises_them() -> None:
    array = np.arange(2000.0).reshape(40, 50)
    with np.printoptions(threshold=1000, edgeitems=EDGE_ITEMS):
        expected = np.array2string(
            array, separator=", ", formatter={"float_kind": lambda v: format_number(v)}
        )
    expected = " ".join(expected.replace("...", "…").split()).replace("[ ", "[")
    assert format_array(array) == expected
    small = np.arange(6.0).reshape(2, 3)
    assert format_array(small) == "[[0, 1, 2], [3, 4, 5]]"  # below the threshold: complete


def test_placeholders_format_only_what_the_question_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor.lesson import quantities

    rng = np.random.default_rng(0)
    spec = load_big_spec(rng)
    formatted: list[Any] = []
    real = quantities.format_value

    def counting(value: Any, *args: Any, **kwargs: Any) -> str:
        formatted.append(np.shape(value))
        return real(value, *args, **kwargs)

    monkeypatch.setattr(quantities, "format_value", counting)
    shown = render_question("Entry {W2[300,300]} of W2, x = {x}, {nothing}", spec)
    assert formatted == [(), ()]  # one entry, one number: never the 90,000-entry matrix
    assert shown == (
        f"Entry {format_number(spec.layers[1].W[299, 299])} of W2, x = 0.5, {{nothing}}"
    )
    whole = finishes(lambda: render_question("{W2}", spec), 2)
    assert len(whole) < 2_000 and "…" in whole
    assert placeholder_text("{W2[301,1]}", spec) is None  # outside the matrix: names nothing
    assert placeholder_text("{lr}", spec) is None and placeholder_text("{lr}", spec, lr=0.5)


def load_big_spec(rng: np.random.Generator) -> Any:
    from tutor.engine import LayerSpec, NetworkSpec

    return NetworkSpec(
        input=np.array([[0.5]]),
        target=np.array([[1.0]]),
        loss="squared_error",
        layers=(
            LayerSpec(W=rng.normal(size=(300, 1)), b=None, activation="tanh"),
            LayerSpec(W=rng.normal(size=(300, 300)), b=None, activation="tanh"),
        ),
    )


# ----------------------------------------------------------------- one broken lesson


GOOD = '+++\nid = "good"\ntitle = "Good"\n+++\n\n## One\n\nText.\n'


def test_hostile_lessons_are_listed_with_their_error_and_the_rest_open(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "deep.md").write_text(GOOD.replace('"Good"', "[" * 400 + "]" * 400))
    (tmp_path / "huge.md").write_text(GOOD.replace('"Good"', "9" * 900))
    os.mkfifo(tmp_path / "pipe.md")
    entries = finishes(lambda: load_catalog([tmp_path]))
    by_name = {entry.path.name: entry for entry in entries}
    assert by_name["good.md"].lesson is not None
    assert "nested more than" in str(by_name["deep.md"].error)
    assert "out of range" in str(by_name["huge.md"].error)
    assert "FIFO" in str(by_name["pipe.md"].error)


def test_an_unforeseen_failure_costs_one_lesson(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD.replace('"good"', '"bad"'))
    real = catalog.validate_lesson

    def failing(parsed: Any, **options: Any) -> Any:
        if parsed.path.name == "b.md":
            raise RecursionError("maximum recursion depth exceeded")
        return real(parsed, **options)

    monkeypatch.setattr(catalog, "validate_lesson", failing)
    entries = {entry.path.name: entry for entry in load_catalog([tmp_path])}
    assert entries["a.md"].lesson is not None
    assert entries["b.md"].error == (
        f"{tmp_path / 'b.md'}: could not be checked "
        "(RecursionError: maximum recursion depth exceeded); please report this"
    )


# ----------------------------------------------------------------- terminal control


@pytest.mark.parametrize(
    ("body", "line", "what"),
    [
        ('+++\nid = "e"\ntitle = "Clear \\u001b[2J"\n+++\n\n## One\n', 3, "a string"),
        ('+++\nid = "e"\ntitle = "E"\n+++\n\n## One\n\nRaw \x1b]0;pwned\x07 text\n', 8, "the file"),
        (
            '+++\nid = "e"\ntitle = "E"\nsummary = "8-bit \\u009b31m"\n+++\n\n## One\n',
            4,
            "a string",
        ),
    ],
)
def test_control_characters_a_terminal_would_obey_are_refused(
    tmp_path: Path, body: str, line: int, what: str
) -> None:
    path = tmp_path / "escape.md"
    path.write_text(body, encoding="utf-8")
    entry, _ = load_lesson(path)
    code = "U+009B" if "009b" in body else "U+001B"
    assert [(p.line, what in p.message, code in p.message) for p in entry.problems] == [
        (line, True, True)
    ]


def test_tabs_newlines_and_crlf_are_text(tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_bytes(
        b'+++\r\nid = "ok"\r\ntitle = "Tab\\there"\r\n+++\r\n\r\n## One\r\n\r\n\tText.\r\n'
    )
    entry, _ = load_lesson(path)
    assert entry.problems == () and entry.lesson is not None
    assert entry.lesson.title == "Tab\there"
