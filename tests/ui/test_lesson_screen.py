"""The lesson player through Pilot: walking steps, the derivation view, predictions, resume."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ui.support import demo_catalog, notice, screen_text, settle
from tutor.engine import derive
from tutor.store.progress_file import ProgressStore
from tutor.text.derivation import forward_line, record_line
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.derivation.graph_view import GraphView
from tutor.tui.widgets.derivation.view import DerivationView, PredictionInput

SIZE = (100, 30)


def lesson_app(tmp_path, **kwargs):
    return make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo", **kwargs)


async def walk_to_end(pilot, *, predict=None, limit=400) -> int:
    """Press n until the last step is finished; answer or skip predictions. Returns presses."""
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    last = len(screen.lesson.steps) - 1
    for presses in range(limit):
        await settle(pilot)
        if isinstance(app.focused, PredictionInput):
            if predict is None:
                await pilot.press("escape")
            else:
                await pilot.press(*predict(app.focused), "enter")
            continue
        views = screen.body.query(DerivationView)
        if screen.index == last and all(v.finished for v in views):
            return presses
        await pilot.press("n")
    raise AssertionError("the walk did not reach the end")


async def test_walk_demo_lesson_forward_and_back(tmp_path):
    app = lesson_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.index == 0
        await walk_to_end(pilot)
        assert screen.index == len(screen.lesson.steps) - 1
        for _ in range(400):
            if screen.index == 0:
                break
            await pilot.press("p")
            await settle(pilot)
        assert screen.index == 0
        for view in app.query(DerivationView):
            assert view.revealed == 0


async def test_every_reveal_shows_the_engine_record_and_highlights_its_node(tmp_path):
    expected = derive(demo_catalog()[0].lesson.network("tiny"))
    app = lesson_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end")  # jump to the last step, then back to "Derive" (index 2)
        await pilot.press("p", "p")
        await settle(pilot)
        screen = app.screen
        assert screen.index == 2
        view = screen.body.query_one(DerivationView)
        graph = view.query_one(GraphView)
        for step in expected.forward:
            await pilot.press("n")
            await settle(pilot)
            assert forward_line(step) in screen_text(app)
            assert graph.highlighted == step.label
        for record in expected.trace:
            await pilot.press("n")
            await settle(pilot)
            if isinstance(app.focused, PredictionInput):
                await pilot.press("escape")
                await settle(pilot)
            assert record_line(record) in screen_text(app), record.target
            assert graph.highlighted == record.node
        assert view.finished
        assert "After one gradient-descent step" in screen_text(app)


async def test_predictions_are_judged_before_the_product_with_retries(tmp_path):
    derivation = derive(demo_catalog()[0].lesson.network("tiny"))
    record = derivation.record_for("dL/dz2")
    dz2 = record.value.item()
    app = lesson_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "p", "p")
        await settle(pilot)
        view = app.screen.body.query_one(DerivationView)
        while not isinstance(app.focused, PredictionInput):
            await pilot.press("n")
            await settle(pilot)
        before = view.revealed
        await pilot.press(*"abc", "enter")  # unreadable: explained, not counted
        await settle(pilot)
        assert "couldn't read that" in screen_text(app)
        assert isinstance(app.focused, PredictionInput) and view.revealed == before
        app.focused.value = ""
        wrong = f"{-dz2:.4f}"  # the sign flipped: a wrong answer, and another try
        await pilot.press(*wrong, "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "✗ This looks like: sign flipped" in text
        assert f"Hint 1 of 2: dL/dz2 = {record.expression}" in text
        assert isinstance(app.focused, PredictionInput) and view.walk.asking.attempt.tries == 1
        right = f"{dz2:.4g}"
        await pilot.press(*right, "enter")
        await settle(pilot)
        text = screen_text(app)
        assert f"You predicted dL/dz2 = {right}. Correct" in text
        assert record_line(record) not in text  # not yet revealed
        await pilot.press("n")
        await settle(pilot)
        assert record_line(record) in screen_text(app)
        while not isinstance(app.focused, PredictionInput):
            await pilot.press("n")
            await settle(pilot)
        for _ in range(3):  # three wrong answers: two hints, then the solution
            await pilot.press(*"12345", "enter")
            await settle(pilot)
        assert "You predicted dL/dW1 = 12345. Not quite" in screen_text(app)
    saved = ProgressStore(tmp_path).load().lessons["demo"].predictions
    (block,) = saved.values()  # the demo's one derive block
    assert {target: p.outcome for target, p in block.items()} == {
        "dL/dz2": "correct",
        "dL/dW1": "wrong",
    }


async def test_progress_resumes_in_a_new_app(tmp_path):
    app = lesson_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "p", "p")
        await settle(pilot)
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
        revealed = app.screen.body.query_one(DerivationView).revealed
        assert revealed == 3
        await pilot.press("q")
        await settle(pilot)
    second = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, LessonScreen) and screen.index == 2
        view = screen.body.query_one(DerivationView)
        assert view.revealed == revealed
        first_three = derive(demo_catalog()[0].lesson.network("tiny")).forward[:3]
        for step in first_three:
            assert forward_line(step) in screen_text(second)


async def test_array_derivation_shows_shapes(tmp_path):
    lesson = demo_catalog()[0].lesson
    expected = derive(lesson.network("batch"))
    app = lesson_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end", "p")
        await settle(pilot)
        assert app.screen.index == 3
        graph = app.screen.body.query_one(GraphView)
        for record in expected.trace[:4]:
            await pilot.press("n")
            await settle(pilot)
            assert graph.highlighted == record.node
            if not record.is_scalar:
                assert record_line(record) in screen_text(app)
        assert "(3, 2)" in screen_text(app)  # W1's shape in the graph


async def test_gradcheck_table(tmp_path):
    app = lesson_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        text = screen_text(app)
        assert "relative error" in text and "overall" in text and "passed" in text


@pytest.mark.parametrize("key", ["o"])
async def test_outline_toggle_and_jump(tmp_path, key):
    app = lesson_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outline = app.screen.query_one("#outline")
        assert outline.display
        await pilot.press(key)
        assert not outline.display
        await pilot.press(key)
        outline.focus()
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.screen.index == 2
        assert np.isfinite(app.screen.index)


async def test_layout_work_queued_by_a_reveal_is_harmless_after_the_step_is_gone(tmp_path):
    """Fast keys queue layout callbacks; leaving the step first must not crash them."""
    app = lesson_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "n")  # to the derivation step, first value shown
        await settle(pilot)
        view = app.screen.body.query_one(DerivationView)
        await view.remove()
        view._fit()  # what a pending call_after_refresh runs
        view._scroll_to_newest()
        await pilot.press("escape")
        await settle(pilot)
        assert app.return_code is None and not isinstance(app.screen, LessonScreen)


async def test_a_training_run_and_its_curve_survive_leaving_the_lesson(tmp_path):
    """Train in a lesson step, quit, come back: the run is saved and its curve redrawn."""
    from tests.ui.support import Entry
    from tutor.engine import NetworkSpec, init_layers
    from tutor.formats.spec import TrainSettings
    from tutor.lesson.model import Lesson, NetworkBlock, Step, TrainBlock
    from tutor.tui.widgets.plot_view import PlotView
    from tutor.tui.widgets.train.view import TrainView

    layers = init_layers((2, 3, 1), ("sigmoid", "sigmoid"), np.random.default_rng(0))
    xor = NetworkSpec(
        input=np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]),
        target=np.array([[0.0, 1.0, 1.0, 0.0]]),
        loss="half_squared_error",
        layers=layers,
    )
    block = NetworkBlock("xor", xor, TrainSettings(), 3)
    train = TrainBlock("xor", 10, epochs=300, lr=1.0, knobs=("lr",))
    steps = (Step("Train", (block, train), 2),)
    lesson = Lesson("t", "Train", tmp_path / "t.md", steps, networks={"xor": block})
    catalog = [Entry(lesson.path, lesson)]

    app = make_app(data_dir=tmp_path, catalog=catalog, start="lesson:t")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await settle(pilot)
    (run,) = ProgressStore(tmp_path).load().lessons["t"].runs.values()
    assert run[0].status == "done" and len(run[0].curve) >= 2
    assert run[0].curve[0][0] == 0 and run[0].curve[-1][0] == 300

    again = make_app(data_dir=tmp_path, catalog=catalog, start="lesson:t")
    async with again.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        view = again.screen.body.query_one(TrainView)
        (series,) = view.query_one("#loss-plot", PlotView).series
        assert list(series.xs)[-1] == 300 and len(series.xs) == len(run[0].curve)


async def test_x_writes_the_newest_matrix_product_out_path_by_path(tmp_path):
    from tutor.engine.entry_paths import entry_paths
    from tutor.text.numbers import format_number

    lesson = demo_catalog()[0].lesson
    derivation = derive(lesson.network("batch"))
    app = lesson_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end", "p", "n")  # the batch step: dL/da2 (elementwise)
        await settle(pilot)
        assert "x: its paths" not in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert "x shows a matrix product" in notice(app)
        await pilot.press("n", "n")  # dL/dz2, then dL/dW2 = dL/dz2 · a1ᵀ over 4 examples
        await settle(pilot)
        assert "x: its paths, one by one" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        text = screen_text(app)
        first = entry_paths(derivation, derivation.record_for("dL/dW2"), 0, 0)
        assert "dL/dW2 entry by entry, one product per path:" in text
        assert "dL/dW2[1,1] = dL/dz2[1,1]·a1[1,1] + dL/dz2[1,2]·a1[1,2]" in text
        assert f"via z2[1,4]: ({format_number(float(first.paths[3].factors[0].value))})" in text
        assert "x: hide its paths" in text
        await pilot.press("x")
        await settle(pilot)
        assert "entry by entry" not in screen_text(app)
