"""The computational graph: across in one row when it fits, a column when it does not.

Expected numbers are derived by hand for the walkthrough network (x = 1, w1 = 0.5,
w2 = 0.8, t = 1, two sigmoids, ½(y − t)²), not read back from the engine.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import sig
from tests.ui.support import Entry, demo_catalog, screen_text, settle
from tutor.lesson.parser import parse_lesson_text
from tutor.present.derivation import RULE_INDENT
from tutor.text.numbers import format_number
from tutor.tui.app import make_app
from tutor.tui.widgets.derivation.graph_view import GraphView
from tutor.tui.widgets.derivation.lines import DerivationLines
from tutor.tui.widgets.derivation.view import DerivationView, PredictionInput

CHAIN = ["x", "z1", "a1", "z2", "a2", "L"]
SIDES = ["W1", "W2", "t"]


def walkthrough_numbers() -> tuple[dict[str, float], dict[str, float]]:
    """Values and gradients of the walkthrough network, by hand."""
    z1 = 0.5 * 1.0
    a1 = sig(z1)
    z2 = 0.8 * a1
    a2 = sig(z2)
    loss = 0.5 * (a2 - 1.0) ** 2
    da2 = a2 - 1.0
    dz2 = da2 * a2 * (1 - a2)
    values = {"x": 1.0, "z1": z1, "a1": a1, "z2": z2, "a2": a2, "L": loss}
    return values, {"a2": da2, "z2": dz2, "W2": dz2 * a1}


async def open_demo_derivation(pilot) -> DerivationView:
    """Go to the demo lesson's "Derive" step (index 2)."""
    await settle(pilot)
    await pilot.press("end", "p", "p")
    await settle(pilot)
    return pilot.app.screen.body.query_one(DerivationView)


async def reveal_through(pilot, view: DerivationView, target: str) -> None:
    """Press n (skipping predictions) until the product for ``target`` is the newest."""
    while True:
        newest = view.walk.stages[view.revealed - 1] if view.revealed else None
        if getattr(newest, "target", None) == target:
            return
        if isinstance(pilot.app.focused, PredictionInput):
            await pilot.press("escape")
        else:
            await pilot.press("n")
        await settle(pilot)


def graph_rows(graph: GraphView) -> list[str]:
    return graph.render().plain.splitlines()


async def test_walkthrough_graph_is_one_row_with_values_under_each_node(tmp_path):
    values, gradients = walkthrough_numbers()
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_demo_derivation(pilot)
        await reveal_through(pilot, view, "dL/dW2")
        graph = view.query_one(GraphView)
        assert graph.layout_mode == "horizontal"
        rows = graph_rows(graph)
        chain_row = next(i for i, row in enumerate(rows) if row.lstrip().startswith("x "))
        chain = rows[chain_row].split()
        assert [word for word in chain if word not in ("─▶",) and "─" not in word] == CHAIN
        side_row = rows[chain_row - 4]
        assert side_row.split() == SIDES
        columns = {label: rows[chain_row].index(f" {label} ") + 1 for label in CHAIN[1:-1]}
        columns["x"] = rows[chain_row].index("x")
        columns["L"] = rows[chain_row].rindex("L")
        for label, column in columns.items():
            shown = rows[chain_row + 1][column:].split()[0]
            assert shown == format_number(values[label]), label
        for label in ("a2", "z2"):
            shown = rows[chain_row + 2][columns[label] :].split()[0]
            assert shown == format_number(gradients[label]), label
        w2_column = side_row.index("W2")
        assert rows[chain_row - 2][w2_column:].split()[0] == format_number(gradients["W2"])
        assert rows[chain_row - 1][w2_column] == "▼"
        assert rows[chain_row - 1][w2_column] == rows[chain_row - 1][columns["z2"]]


async def test_graph_highlights_the_node_of_the_newest_product(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_demo_derivation(pilot)
        graph = view.query_one(GraphView)
        for target, node in (("dL/da2", "a2"), ("dL/dz2", "z2"), ("dL/dW2", "W2")):
            await reveal_through(pilot, view, target)
            text = graph.render()
            highlighted = {
                text.plain[span.start : span.end]
                for span in text.spans
                if "reverse" in str(span.style) and "green" not in str(span.style)
            }
            assert highlighted == {node}, target


async def test_narrow_width_falls_back_to_one_node_per_row(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=(55, 30)) as pilot:
        view = await open_demo_derivation(pilot)
        graph = view.query_one(GraphView)
        assert graph.cells.horizontal_width() > graph.content_size.width
        assert graph.layout_mode == "vertical"
        rows = graph_rows(graph)
        firsts = [row.replace("├◂", "").replace("▼", "").split()[0] for row in rows[1:]]
        assert firsts == ["x", "W1", "z1", "a1", "W2", "z2", "a2", "t", "L"]
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert graph.layout_mode == "horizontal"


async def test_graph_and_newest_product_share_the_window_at_80x24(tmp_path):
    from tutor.lesson.catalog import load_catalog
    from tutor.lesson.model import DeriveBlock
    from tutor.store.locations import lesson_dirs

    catalog = [e for e in load_catalog(lesson_dirs()) if e.lesson is not None]
    entry = next(e for e in catalog if e.lesson.id == "backprop")
    step = next(
        i
        for i, s in enumerate(entry.lesson.steps)
        if any(isinstance(p, DeriveBlock) and p.network == "tiny" for p in s.parts)
    )
    app = make_app(data_dir=tmp_path, catalog=catalog, start="lesson:backprop")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_step(step)
        await settle(pilot)
        view = app.screen.body.query_one(DerivationView)
        for target in ("dL/da2", "dL/dW2", "dL/da1"):
            await reveal_through(pilot, view, target)
            record = view.result.derivation.record_for(target)
            text = screen_text(app)
            assert view.query_one(GraphView).layout_mode == "horizontal"
            assert "x ─▶ z1" in text  # the graph's chain row
            assert f"▶ {record.target} = {record.expression}" in text  # the newest product
            assert record.rule in text  # and its rule
            products = view.query_one(DerivationLines)
            assert products.scroll_y == products.max_scroll_y  # scrolled to its end


WIDE_LESSON = """+++
id = "wide"
title = "Wide"
+++

## A batch of eight

```network
id = "eight"
input = [[0.11, -0.52, 0.93, -1.24, 0.35, -0.66, 0.77, -0.18],
         [1.21, 0.42, -0.83, 0.54, -0.95, 0.36, -0.27, 0.68]]
target = [[0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]]
loss = "half_squared_error"

[[layers]]
W = [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.4]]
activation = "tanh"

[[layers]]
W = [[0.7, -0.5, 0.3]]
activation = "sigmoid"
```

```derive
network = "eight"
```
"""


async def test_a_matrix_too_wide_for_the_step_wraps_a_row_per_line_with_aligned_columns(
    tmp_path,
):
    parsed = parse_lesson_text(WIDE_LESSON, Path("wide.md"))
    entry = Entry(Path("wide.md"), parsed.lesson)
    app = make_app(data_dir=tmp_path, catalog=[entry], start="lesson:wide")
    async with app.run_test(size=(60, 40)) as pilot:
        await settle(pilot)
        view = app.screen.body.query_one(DerivationView)
        await reveal_through(pilot, view, "dL/dz1")
        lines_widget = view.query_one(DerivationLines)
        width = lines_widget.content_size.width
        lines = str(lines_widget.render()).splitlines()
        value = [line for line in lines if line.startswith(RULE_INDENT + "[[")][-1]
        block = lines[lines.index(value) :]
        block = block[: next(i for i, line in enumerate(block) if line.endswith("]]")) + 1]
        assert len(block) > 3  # dL/dz1 is 3 × 8: too wide for one line at this width
        assert all(len(line) <= width for line in block)
        rows = [line for line in block if line.lstrip(" ").startswith("[")]
        assert len(rows) == 3  # a row of the matrix starts each of its own lines
        assert all(row.index("[", len(RULE_INDENT) + 1) == len(RULE_INDENT) + 1 for row in rows)
        commas = {line.index(",") for line in block if "," in line[: len(line) - 2]}
        assert len(commas) == 1  # every line's first column ends at the same place
