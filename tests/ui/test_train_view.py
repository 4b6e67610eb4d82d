"""The train view in a tiny host app: runs, plateau, overlay, divergence, knobs, sizes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

import tutor.tui.app
from tests.helpers import wait_until
from tutor.engine import NetworkSpec
from tutor.engine.functions import sigmoid
from tutor.formats.spec import load_spec
from tutor.lesson.model import TrainBlock
from tutor.store.progress import RunRecord
from tutor.tui.dialogs.confirm import ConfirmScreen
from tutor.tui.widgets.plot_view import PlotView
from tutor.tui.widgets.train.view import TrainView

ROOT = Path(__file__).resolve().parents[2]
XOR, _ = load_spec(ROOT / "examples" / "xor.toml")
XOR_BLOCK = TrainBlock(
    network="xor",
    line=1,
    epochs=5000,
    lr=1.0,
    init_scale=0.01,
    knobs=("init_scale", "lr", "epochs", "optimizer"),
    caption="Train XOR from tiny weights.",
)


class Host(App[None]):
    """Mounts one TrainView (styled by the app's stylesheet) and keeps every RunFinished."""

    CSS_PATH = Path(tutor.tui.app.__file__).with_name("app.tcss")

    def __init__(
        self, block: TrainBlock, spec: NetworkSpec, runs: Sequence[RunRecord] = ()
    ) -> None:
        super().__init__()
        self.block, self.spec, self.runs = block, spec, runs
        self.finished: list[TrainView.RunFinished] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            yield TrainView(self.block, self.spec, runs=self.runs, id="train")

    def on_train_view_run_finished(self, message: TrainView.RunFinished) -> None:
        self.finished.append(message)


def message_text(app: App[None]) -> str:
    return str(app.query_one("#train-message", Static).render())


async def set_knob(pilot: Pilot[None], knob: str, text: str) -> None:
    field = pilot.app.query_one(f"#knob-{knob}", Input)
    field.value = text
    await pilot.pause()


async def wait_for_finished(pilot: Pilot[None], count: int, *, workers: bool = True) -> None:
    """Wait (no sleeping) until the host has kept ``count`` RunFinished messages.

    ``workers``: first wait for the training worker to end (not for a cancelled one).
    """
    app: Host = pilot.app  # type: ignore[assignment]
    if workers:
        await app.workers.wait_for_complete()
    # messages from the thread arrive a few loop turns later
    await wait_until(pilot, lambda: len(app.finished) >= count, what=f"{count} RunFinished")
    assert len(app.finished) == count, message_text(app)


async def train_once(pilot: Pilot[None], key: str = "r") -> TrainView.RunFinished:
    """Press ``key`` on the view, wait for the worker, then for its RunFinished message."""
    app: Host = pilot.app  # type: ignore[assignment]
    view = app.query_one(TrainView)
    before = len(app.finished)
    view.focus()
    await pilot.press(key)
    await app.workers.wait_for_complete()
    # messages from the thread arrive a few loop turns later
    await wait_until(pilot, lambda: len(app.finished) > before, what="its RunFinished")
    assert len(app.finished) == before + 1, message_text(app)
    return app.finished[-1]


def shown(widget: Widget) -> str:
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text for strip in strips)


async def test_init_one_learns_xor_with_all_predictions_right() -> None:
    app = Host(XOR_BLOCK, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        await set_knob(pilot, "init_scale", "1.0")
        finished = await train_once(pilot)
        assert finished.status == "done"
        assert finished.knobs["init_scale"] == 1.0 and finished.knobs["epochs"] == 5000
        assert finished.final_loss is not None and finished.final_loss < 0.01
        view = app.query_one(TrainView)
        run = view.runs[-1]
        assert run.epochs[-1] == 5000
        # The trained parameters really classify XOR: forward pass by hand.
        p = run.params
        assert p is not None
        hidden = sigmoid(p["W1"] @ XOR.input + p["b1"])
        output = sigmoid(p["W2"] @ hidden + p["b2"])
        np.testing.assert_array_equal(np.round(output), XOR.target)
        table = shown(app.query_one("#train-predictions", Static))
        assert [line.split()[-1] for line in table.splitlines()[2:6]] == ["yes"] * 4
        assert "Final loss: " in table
        assert "Learned: all 4 examples right" in message_text(app)


async def test_tiny_init_stays_on_the_plateau() -> None:
    app = Host(XOR_BLOCK, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        finished = await train_once(pilot, "enter")
        run = app.query_one(TrainView).runs[-1]
        assert run.first_loss is not None and finished.final_loss is not None
        assert abs(finished.final_loss - run.first_loss) < 1e-3 * run.first_loss
        assert max(abs(loss - run.first_loss) for loss in run.losses) < 1e-3 * run.first_loss
        assert max(run.grad_norms[-1]) < 1e-6  # stuck, not converged
        assert message_text(app).startswith("Stuck on a plateau")
        # Every output is within 0.05 of 0.5: undecided, none counted right or wrong.
        assert run.params is not None
        hidden = sigmoid(run.params["W1"] @ XOR.input + run.params["b1"])
        output = sigmoid(run.params["W2"] @ hidden + run.params["b2"])
        assert np.all(np.abs(output - 0.5) < 0.05)
        table = shown(app.query_one("#train-predictions", Static))
        rows = [line.split() for line in table.splitlines()[2:6]]  # "x1, x2" takes two words
        assert [row[-2:] for row in rows] == [["?", "?"]] * 4  # rounded, right?
        assert "yes" not in table and "NO" not in table
        assert len({row[3] for row in rows}) == 4  # four different outputs print differently
        # The flat curve is drawn flat: its y axis starts at 0, not at the curve's noise.
        loss_plot = app.query_one("#loss-plot", PlotView)
        assert loss_plot.y_axis() == (0.0, max(run.losses))


async def test_two_runs_are_overlaid_with_labels_of_the_changed_knob() -> None:
    app = Host(XOR_BLOCK, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        await train_once(pilot)
        await set_knob(pilot, "init_scale", "1.0")
        await train_once(pilot)
        plot = app.query_one("#loss-plot", PlotView)
        assert [s.label for s in plot.series] == ["init 0.01", "init 1.0"]
        assert [len(s.xs) for s in plot.series] == [1001, 1001]
        assert "init 0.01" in shown(plot) and "init 1.0" in shown(plot)
        grads = app.query_one("#grad-plot", PlotView)
        assert [s.label for s in grads.series] == ["W1", "W2"] and grads.log_y
        await pilot.press("c")  # clearing asks first: "n" keeps the runs
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Clear the 2 compared runs" in str(
            app.screen.query_one(Static).render()
        )
        await pilot.press("n")
        await pilot.pause()
        assert len(plot.series) == 2 and len(app.query_one(TrainView).runs) == 2
        await pilot.press("c", "y")
        await pilot.pause()
        assert plot.series == () and app.query_one(TrainView).runs == []


async def test_huge_learning_rate_diverges_with_an_explanation() -> None:
    layers = (XOR.layers[0], XOR.layers[1].__class__(XOR.layers[1].W, None, "linear"))
    spec = NetworkSpec(XOR.input, XOR.target, "half_squared_error", layers)
    block = TrainBlock(network="lin", line=1, epochs=5000, lr=1e6, knobs=("lr",))
    app = Host(block, spec)
    async with app.run_test(size=(100, 60)) as pilot:
        finished = await train_once(pilot)
        assert finished.status == "diverged" and finished.final_loss is None
        run = app.query_one(TrainView).runs[-1]
        assert run.epochs[-1] < 5000
        assert app.query_one("#loss-plot", PlotView).vertical_marker == run.epochs[-1]
        text = message_text(app)
        assert "stopped being a number" in text and "smaller learning rate" in text
        assert app.query_one("#train-message").has_class("-error")
        await set_knob(pilot, "lr", "0.01")  # the app is alive and trains again
        assert (await train_once(pilot)).status == "done"


@pytest.mark.parametrize(
    ("knob", "text", "reason"),
    [
        ("lr", "abc", "must be a number"),
        ("lr", "-1", "greater than 0"),
        ("init_scale", "0", "greater than 0"),
        ("epochs", "10000000", "200,000"),
        ("optimizer", "rmsprop", "unknown optimizer"),
    ],
)
async def test_invalid_knob_is_refused_and_nothing_starts(
    knob: str, text: str, reason: str
) -> None:
    app = Host(XOR_BLOCK, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        field = app.query_one(f"#knob-{knob}", Input)
        field.focus()
        field.value = ""
        await pilot.press(*text)
        assert reason in message_text(app)  # said as typed
        assert field.has_class("-invalid")
        await pilot.press("enter")
        assert message_text(app).startswith("Not started: ") and reason in message_text(app)
        assert app.query_one(TrainView).runs == [] and not app.workers
        assert app.finished == []


async def test_fixed_knobs_are_read_only_and_saved_runs_are_resumed() -> None:
    saved = [RunRecord({"init_scale": 1.0, "lr": 2.0}, 0.002, "done")]
    app = Host(XOR_BLOCK, XOR, runs=saved)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        assert app.query_one("#knob-init_scale", Input).value == "1.0"
        assert app.query_one("#knob-lr", Input).value == "2.0"
        assert not app.query("#knob-seed")  # not in the block's knobs
        assert "seed 0" in str(app.query_one("#train-fixed", Static).render())
        assert "Runs tried before" in str(app.query_one("#train-earlier", Static).render())


async def test_stop_ends_a_long_run() -> None:
    block = TrainBlock(network="xor", line=1, epochs=200_000, lr=1.0, knobs=("epochs",))
    app = Host(block, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        view = app.query_one(TrainView)
        view.focus()
        await pilot.press("r", "s")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: app.finished, what="the stopped run's message")
        assert app.finished[-1].status == "stopped"
        assert view.runs[-1].epochs[-1] < 200_000


@pytest.mark.parametrize("size", [(120, 70), (80, 24), (40, 12), (16, 5)])
async def test_plots_render_at_every_size(size: tuple[int, int]) -> None:
    app = Host(XOR_BLOCK, XOR)
    async with app.run_test(size=size) as pilot:
        await train_once(pilot)
        await pilot.press("l")
        for plot in app.query(PlotView):
            assert plot.render() is not None
            shown(plot)
        await pilot.resize_terminal(size[0] // 2 + 1, size[1] // 2 + 1)
        await pilot.pause()
        for plot in app.query(PlotView):
            shown(plot)
        assert app.query_one("#loss-plot", PlotView).log_y


async def test_knob_values_are_fully_visible_at_80_columns() -> None:
    block = replace(XOR_BLOCK, knobs=("init_scale", "lr", "epochs", "seed", "optimizer"))
    app = Host(block, XOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await set_knob(pilot, "epochs", "200000")
        await set_knob(pilot, "lr", "0.0001")
        fields = list(app.query(Input))
        assert [f.value for f in fields] == ["0.0001", "200000", "0.01", "0", "sgd"]
        for field in fields:
            for focused in (False, True):  # focused, the cursor sits after the value
                if focused:
                    field.focus()
                    field.cursor_position = len(field.value)
                    await pilot.pause()
                assert field.content_region.width > len(field.value)
                assert shown(field).strip() == field.value
        rows = {field.region.y for field in fields}
        assert len(rows) == 2  # three label + field pairs a row at 80 columns
        await pilot.resize_terminal(30, 24)
        await pilot.pause()
        assert len({field.region.y for field in fields}) == len(fields)  # one a row when narrow
        assert all(shown(field).strip() == field.value for field in fields)


class Unfocused(Host):
    """A host that focuses nothing itself (the lesson screen does not either)."""

    AUTO_FOCUS = None


async def test_the_view_never_takes_the_focus_and_says_how_to_train() -> None:
    app = Unfocused(XOR_BLOCK, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        view = app.query_one(TrainView)
        await pilot.pause()
        assert app.focused is None
        assert message_text(app).startswith(
            "Press r to train, l for a log scale; Tab into this panel"
        )
        await pilot.press("tab")  # the panel first, then its knobs, in reading order
        assert app.focused is view
        assert message_text(app).startswith("Press r or Enter to train")
        await pilot.press("tab")
        assert app.focused is app.query_one("#knob-lr", Input)
        assert message_text(app).startswith("Press Enter to train")
        await pilot.press("s", "c")  # typed into the field, not stop and clear
        assert app.focused.value == "1.0sc" and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("backspace", "backspace", "escape")
        assert app.focused is view and message_text(app).startswith("Press r or Enter")
        await pilot.press("r")
        await wait_for_finished(pilot, 1)
        assert app.finished[0].status == "done"


async def test_a_run_still_going_is_stopped_and_reported_when_the_view_goes() -> None:
    block = TrainBlock(network="xor", line=1, epochs=200_000, lr=1.0, knobs=("epochs",))
    app = Host(block, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        view = app.query_one(TrainView)
        view.focus()
        await pilot.press("r")
        await wait_until(pilot, lambda: view.runs[-1].losses, what="the first records")
        await view.remove()
        await wait_for_finished(pilot, 1, workers=False)
        finished = app.finished[0]
        assert finished.status == "stopped" and finished.control is view
        assert finished.final_loss is not None and finished.knobs["epochs"] == 200_000
        assert finished.curve and finished.curve[0][0] == 0
        assert finished.curve[-1][0] < 200_000


class LessonLike(Screen[None]):
    """A screen holding a train view, popped like the lesson screen on q/Esc."""

    def __init__(self, block: TrainBlock) -> None:
        super().__init__()
        self.block = block
        self.heard: list[str] = []

    def compose(self) -> ComposeResult:
        yield TrainView(self.block, XOR, id="train")

    def on_train_view_run_finished(self, message: TrainView.RunFinished) -> None:
        self.heard.append(message.status)


async def test_a_run_still_going_is_reported_when_its_screen_is_closed() -> None:
    block = TrainBlock(network="xor", line=1, epochs=200_000, lr=1.0, knobs=("epochs",))
    app = Host(block, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        screen = LessonLike(block)
        await app.push_screen(screen)
        view = screen.query_one(TrainView)
        await pilot.press("r")
        await wait_until(pilot, lambda: view.runs[-1].losses, what="the first records")
        app.pop_screen()
        await wait_for_finished(pilot, 1, workers=False)
        assert screen.heard == ["stopped"]  # the screen heard it before it closed
        assert app.finished[0].status == "stopped"


async def test_saved_runs_are_drawn_again_with_their_labels() -> None:
    saved = [
        RunRecord({"init_scale": 0.01}, 0.25, "done", [(0, 0.25), (2500, 0.25), (5000, 0.25)]),
        RunRecord({"init_scale": 1.0}, 0.001, "done", [(0, 0.3), (2500, 0.01), (5000, 0.001)]),
        RunRecord({"init_scale": 3.0}, 0.2, "stopped"),  # no curve
    ]
    app = Host(XOR_BLOCK, XOR, runs=saved)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        plot = app.query_one("#loss-plot", PlotView)
        assert [s.label for s in plot.series] == ["init 0.01", "init 1.0"]
        assert [list(s.ys) for s in plot.series] == [[0.25] * 3, [0.3, 0.01, 0.001]]
        assert "init 0.01" in shown(plot) and "init 1.0" in shown(plot)
        await set_knob(pilot, "epochs", "10")
        finished = await train_once(pilot)
        assert [s.label for s in plot.series][-1] == "epochs 10, init 3.0"
        assert finished.curve == [
            (e, loss)
            for e, loss in zip(
                app.query_one(TrainView).runs[-1].epochs,
                app.query_one(TrainView).runs[-1].losses,
                strict=True,
            )
        ]


async def test_many_layers_keep_their_legend_off_the_curves() -> None:
    layers = tuple(XOR.layers[0].__class__(np.eye(2), None, "sigmoid") for _ in range(5))
    deep = NetworkSpec(XOR.input, XOR.target, "squared_error", (*layers, XOR.layers[1]))
    deep = replace(deep, layers=(*layers, replace(XOR.layers[1], W=np.ones((1, 2)))))
    block = TrainBlock(network="deep", line=1, epochs=29, lr=0.5, knobs=("lr",))
    app = Host(block, deep)
    async with app.run_test(size=(80, 60)) as pilot:
        await train_once(pilot)
        grads = app.query_one("#grad-plot", PlotView)
        assert [s.label for s in grads.series] == [f"W{i}" for i in range(1, 7)]
        lines = shown(grads).splitlines()
        axis = max(i for i, line in enumerate(lines) if "└" in line)
        legend = "\n".join(lines[axis + 1 :])
        assert all(f"W{i}" in legend for i in range(1, 7))
        assert not any(re.search(r"W\d", line) for line in lines[: axis + 1])  # none on the plot
        ticks = lines[axis + 1]
        assert "." not in ticks  # 29 epochs: whole-number ticks, not 5.8, 11.6, …


SATURATED = NetworkSpec(
    input=np.array([[1.0, 2.0, -1.0, -2.0]]),
    target=np.array([[0.0, 0.0, 1.0, 1.0]]),
    loss="half_squared_error",
    layers=(XOR.layers[1].__class__(np.array([[1.0]]), np.zeros((1, 1)), "sigmoid"),),
)
RACE = TrainBlock(
    network="race",
    line=1,
    epochs=200,
    lr=1.0,
    init="constant",
    init_scale=5.0,
    knobs=("loss", "epochs"),
    show_params=("W1",),
)


async def test_the_loss_knob_races_two_losses_from_the_same_start() -> None:
    app = Host(RACE, SATURATED)
    async with app.run_test(size=(100, 60)) as pilot:
        assert app.query_one("#knob-loss", Input).value == "half_squared_error"
        slow = await train_once(pilot)
        params = shown(app.query_one("#train-params", Static))
        assert "Trained parameters, one line per unit:" in params and "W1 unit 1:" in params
        await set_knob(pilot, "loss", "cross_entropy")  # needs a linear output: refused
        view = app.query_one(TrainView)
        view.focus()
        await pilot.press("r")
        assert 'activation must be "linear"' in message_text(app) and len(app.finished) == 1
        await set_knob(pilot, "loss", "binary_cross_entropy")
        fast = await train_once(pilot)
        assert (slow.knobs["loss"], fast.knobs["loss"]) == (
            "half_squared_error",
            "binary_cross_entropy",
        )
        first, second = view.runs
        # the same start (every weight 5): squared error saturates, cross-entropy does not
        assert first.losses[0] == pytest.approx(
            np.mean(0.5 * (sigmoid(5 * SATURATED.input) - SATURATED.target) ** 2)
        )
        drop = [1 - run.losses[20] / run.losses[0] for run in (first, second)]
        assert drop[0] < 0.05 < 0.9 < drop[1]
        plot = app.query_one("#loss-plot", PlotView)
        assert [s.label for s in plot.series] == ["half_squared_error", "binary_cross_entropy"]


async def test_choice_knobs_step_through_their_values_and_label_the_runs() -> None:
    block = replace(XOR_BLOCK, init_scale=1.0, knobs=("optimizer", "activation", "init", "lr"))
    app = Host(block, XOR)
    async with app.run_test(size=(100, 60)) as pilot:
        field = app.query_one("#knob-optimizer", Input)
        assert field.value == "sgd"
        field.focus()
        await pilot.press("down")
        assert field.value == "momentum"
        await pilot.press("down", "down")
        assert field.value == "sgd"  # round again
        await pilot.press("up")
        assert field.value == "adam"
        lr = app.query_one("#knob-lr", Input)
        lr.focus()
        await pilot.press("down")  # no choices: the number stays as typed
        assert lr.value == "1.0"
        app.query_one(TrainView).focus()
        await set_knob(pilot, "optimizer", "sgd")
        await train_once(pilot)
        await set_knob(pilot, "optimizer", "adam")
        await set_knob(pilot, "activation", "relu")
        await train_once(pilot)
        plot = app.query_one("#loss-plot", PlotView)
        assert [s.label for s in plot.series] == ["sgd, sigmoid", "adam, relu"]
        assert app.finished[-1].knobs["optimizer"] == "adam"


async def test_the_gradient_plot_has_room_for_a_curve_per_layer() -> None:
    from tutor.lesson.catalog import load_catalog
    from tutor.store.locations import lesson_dirs
    from tutor.tui.widgets.train.plots import gradient_plot_height

    (entry,) = [e for e in load_catalog(lesson_dirs()) if e.lesson and e.lesson.id == "backprop"]
    spec = entry.lesson.network("deep-relu")
    assert len(spec.layers) == 6
    block = TrainBlock(network="deep-relu", line=1, epochs=300, lr=0.1, init="he", knobs=("lr",))
    app = Host(block, spec)
    async with app.run_test(size=(100, 80)) as pilot:
        await train_once(pilot)
        grads = app.query_one("#grad-plot", PlotView)
        assert [s.label for s in grads.series] == [f"W{i}" for i in range(1, 7)]
        assert grads.size.height == gradient_plot_height(6) == 20
        lines = shown(grads).splitlines()
        legend = [line for line in lines if "── W1" in line]
        assert len(legend) == 1 and all(f"W{i}" in legend[0] for i in range(1, 7))
        assert len(lines) - len(legend) >= 18  # the plot itself, three times the 6 rows it had
