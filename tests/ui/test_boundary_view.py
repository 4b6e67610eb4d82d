"""The decision boundary in the TUI (live, coloured, the same characters as the plain picture),
and the exam on the home screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

import tutor.tui.app
from tutor.engine import NetworkSpec, train
from tutor.engine.boundary import accuracy
from tutor.formats.spec import load_spec
from tutor.lesson.model import TrainBlock
from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.text.boundary import network_picture, picture_lines
from tutor.training import knobs_from_block, prepare_run
from tutor.tui.app import make_app
from tutor.tui.literal import Plain
from tutor.tui.widgets.train.boundary_view import BoundaryView, boundary_text
from tutor.tui.widgets.train.view import TrainView

from .support import screen_text, settle

ROOT = Path(__file__).resolve().parents[2]
SPIRALS, _ = load_spec(ROOT / "examples" / "spirals.toml")
BLOCK = TrainBlock(
    network="spirals",
    line=1,
    epochs=120,
    lr=0.3,
    init="he",
    batch_size=32,
    boundary=True,
    record_every=1,
)


class Host(App[None]):
    CSS_PATH = Path(tutor.tui.app.__file__).with_name("app.tcss")

    def __init__(self, block: TrainBlock, spec: NetworkSpec) -> None:
        super().__init__()
        self.block, self.spec = block, spec

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            yield TrainView(self.block, self.spec, id="train")


def engine_run(block: TrainBlock, spec: NetworkSpec) -> NetworkSpec:
    """The same run as the view's, trained by the engine directly."""
    run = prepare_run(spec, knobs_from_block(block, spec))
    final = list(train(run.network, run.config))[-1]
    assert final.params is not None
    return run.network.with_params(final.params)


async def test_the_boundary_is_redrawn_live_and_ends_as_the_engine_draws_it(monkeypatch) -> None:
    shown: list[object] = []
    original = BoundaryView.show
    monkeypatch.setattr(BoundaryView, "show", lambda self, p: (shown.append(p), original(self, p)))
    monkeypatch.setattr("tutor.tui.widgets.train.view.BOUNDARY_INTERVAL", 0.0)
    app = Host(BLOCK, SPIRALS)
    async with app.run_test(size=(100, 80)) as pilot:
        view = app.query_one(TrainView)
        view.action_start()
        await settle(pilot)
        for _ in range(600):
            if not view.running:
                break
            await pilot.pause(0.05)
        await settle(pilot)
        assert view.runs[-1].status == "done"
        assert len(shown) >= 2  # drawn while training, not only at the end
        picture = app.query_one("#boundary-picture", Plain).render()
        accuracy_text = str(app.query_one("#boundary-accuracy", Plain).render())
        verdict = str(app.query_one("#train-message", Plain).render())
        table = str(app.query_one("#train-predictions", Plain).render())
    trained = engine_run(BLOCK, SPIRALS)
    right = round(accuracy(trained, trained.input, trained.target) * trained.examples)
    everyone = f"Learned: all {trained.examples} examples right"
    assert verdict.startswith(everyone if right == trained.examples else f"{right} of ")
    assert table.strip() == ""  # 240 examples: the boundary shows them, no table
    expected = picture_lines(network_picture(trained))
    rows = [line[1:-1] for line in expected[2:-3]]  # inside the frame
    assert str(picture).splitlines() == rows
    assert accuracy_text == expected[-1]
    assert trained.test_input is not None and trained.test_target is not None
    test = accuracy(trained, trained.test_input, trained.test_target)
    assert f"test accuracy {100 * test:.1f} %" in accuracy_text
    coloured = boundary_text(shown[-1])  # what the view showed last, coloured per class
    assert coloured.plain.splitlines() == rows
    backgrounds = {str(span.style).split(" on ")[-1] for span in coloured.spans}
    assert len(backgrounds) == 3


async def test_a_race_ends_with_the_boundary_of_its_last_run() -> None:
    block = replace(BLOCK, epochs=60, init="normal", compare=(("init", "he"),))
    app = Host(block, SPIRALS)
    async with app.run_test(size=(100, 80)) as pilot:
        view = app.query_one(TrainView)
        view.action_start()
        for _ in range(1200):
            await settle(pilot)
            if len(view.runs) == 2 and not view.running:
                break
            await pilot.pause(0.05)
        assert [run.knobs.init for run in view.runs] == ["normal", "he"]
        accuracy_text = str(app.query_one("#boundary-accuracy", Plain).render())
        started = str(app.query_one("#train-params", Plain).render()).splitlines()
    he = engine_run(replace(block, init="he", compare=()), SPIRALS)
    assert accuracy_text == picture_lines(network_picture(he))[-1]
    # Both runs' gradients at the start, side by side: the naive scale's are far larger.
    assert started[0] == "‖dL/dW_l‖ at epoch 0, layer 1 to 4:"
    naive, he_norms = (
        [float(v.replace("\u2212", "-")) for v in line.split("  ")[-1].split(" · ")]
        for line in started[1:]
    )
    assert started[1].lstrip().startswith("normal") and started[2].lstrip().startswith("he")
    assert naive[-1] > 10 * he_norms[-1]


async def test_the_home_screen_shows_the_exam_and_whether_it_is_passed(tmp_path) -> None:
    for solved, words in ((False, "Exam: deep-network · not passed yet"), (True, "✓ passed")):
        data = tmp_path / str(solved)
        progress = Progress()
        progress.exercise("deep-network").solved = solved
        ProgressStore(data).save(progress)
        app = make_app(data_dir=data)
        async with app.run_test(size=(100, 60)) as pilot:
            await settle(pilot)
            text = screen_text(app)
        assert "3.7  Deep networks from scratch" in text
        assert words in text
        assert text.index("3.6") < text.index("3.7")  # the last lesson
