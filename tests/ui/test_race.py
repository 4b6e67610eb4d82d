"""Lesson 3.5's race seen as the lesson means it: both runners on a log scale from one key.

The step is the bundled lesson's own; ``r`` trains the squared-error run and then its
comparison run with binary cross-entropy, and ``l`` switches the scale with nothing
focused (it used to work only from inside the panel).
"""

from __future__ import annotations

from tests.helpers import wait_until
from tests.ui.support import bundled_entries, settle
from tutor.lesson.model import TrainBlock
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.plot_view import PlotView
from tutor.tui.widgets.train.view import TrainView


async def wait_for_runs(pilot, view: TrainView, count: int) -> None:
    """Wait until ``count`` runs have finished."""
    await wait_until(
        pilot, lambda: len(view.runs) >= count and not view.running, what=f"{count} runs"
    )
    await settle(pilot)


async def test_r_races_both_losses_on_a_log_scale_and_l_works_unfocused(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start="lesson:classification")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        index = next(
            i
            for i, step in enumerate(screen.lesson.steps)
            if any(isinstance(p, TrainBlock) and p.compare for p in step.parts)
        )
        screen.show_step(index)
        await settle(pilot)
        view = screen.body.query_one(TrainView)
        plot = view.query_one("#loss-plot", PlotView)
        assert plot.log_y  # the block asks for a log scale: the shelf is visible at once
        assert app.focused is None
        await pilot.press("r")
        await wait_for_runs(pilot, view, 2)
        assert [run.knobs.loss for run in view.runs] == [
            "half_squared_error",
            "binary_cross_entropy",
        ]
        assert all(run.status == "done" for run in view.runs)
        message = str(view.query_one("#train-message").render())
        assert "half_squared_error: Learned" in message
        assert "binary_cross_entropy: Learned" in message
        await pilot.press("l")
        assert not plot.log_y and app.focused is None
        await pilot.press("l")
        assert plot.log_y
