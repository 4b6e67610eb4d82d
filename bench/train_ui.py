"""Benchmark: the train view stays responsive and keeps training fast while it draws.

Trains XOR (examples/xor.toml, init scale 1.0, lr 1.0) for 20,000 epochs both
headless, iterating the engine's generator directly, and in a TrainView under
Textual's Pilot with the live plots, in interleaved rounds; the ratio compares the
best rate of each (the machine is shared, so single runs are noisy).  While the
view trains, the log-scale key ``l`` is sent through the driver every ~100 ms (as
a terminal would) and the time until the screen update that shows it is measured
(the app's ``_display`` call); the worst sample is reported.

    python bench/train_ui.py [--epochs N] [--rounds R]

Targets: latency ≤ 100 ms, throughput ratio ≥ 0.8.
The last line reads ``latency ms: X, throughput ratio: R``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.engine import NetworkSpec, load_spec, train  # noqa: E402
from tutor.script.model import TrainBlock  # noqa: E402
from tutor.trainer import knobs_from_block, prepare_run  # noqa: E402
from tutor.ui.widgets.plot_view import PlotView  # noqa: E402
from tutor.ui.widgets.train_view import TrainView  # noqa: E402

KEY_EVERY = 0.1
"""Seconds between measured key presses."""


class BenchApp(App[None]):
    """One TrainView; counts screen updates and keeps the RunFinished message."""

    def __init__(self, block: TrainBlock, spec: NetworkSpec) -> None:
        super().__init__()
        self.block, self.spec = block, spec
        self.finished: TrainView.RunFinished | None = None
        self.updates: list[float] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield TrainView(self.block, self.spec)

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            self.updates.append(time.perf_counter())
        super()._display(screen, renderable)

    def on_train_view_run_finished(self, message: TrainView.RunFinished) -> None:
        self.finished = message


def headless_rate(spec: NetworkSpec, block: TrainBlock, repeats: int = 1) -> float:
    """Best epochs per second of the bare training loop."""
    run = prepare_run(spec, knobs_from_block(block, spec))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _record in train(run.network, run.config):
            pass
        rates.append(run.config.epochs / (time.perf_counter() - start))
    return max(rates)


async def ui_run(spec: NetworkSpec, block: TrainBlock) -> tuple[float, list[float]]:
    """Epochs per second while the view trains and draws, and key-to-screen latencies (s)."""
    app = BenchApp(block, spec)
    latencies: list[float] = []
    async with app.run_test(size=(100, 50)) as pilot:
        view = app.query_one(TrainView)
        plot = app.query_one("#loss-plot", PlotView)
        view.focus()
        await pilot.pause()
        assert app._driver is not None  # keys go in through the driver, as from a terminal
        app._driver.send_message(events.Key("r", "r"))
        while app.finished is None:
            await asyncio.sleep(KEY_EVERY)
            if app.finished is not None or not view.running:
                break
            log_before, updates_before = plot.log_y, len(app.updates)
            sent = time.perf_counter()
            app._driver.send_message(events.Key("l", "l"))
            while True:
                await asyncio.sleep(0.001)
                changed = plot.log_y != log_before
                if changed and len(app.updates) > updates_before and app.updates[-1] > sent:
                    latencies.append(app.updates[-1] - sent)
                    break
        await app.workers.wait_for_complete()
        for _ in range(100):
            if app.finished is not None:
                break
            await pilot.pause()
        last = view.runs[-1].last
        assert last is not None and last.status == "done", last
        return last.epoch / last.elapsed, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="headless + UI pairs (best of each)")
    args = parser.parse_args()
    spec, _ = load_spec(ROOT / "examples" / "xor.toml")
    block = TrainBlock(
        network="xor",
        line=1,
        epochs=args.epochs,
        lr=1.0,
        init_scale=1.0,
        knobs=("lr", "init_scale", "epochs"),
    )
    headless, in_view, latencies = [], [], []
    for _ in range(args.rounds):  # interleaved, so both see the same load on a shared machine
        headless.append(headless_rate(spec, block, repeats=1))
        rate, samples = asyncio.run(ui_run(spec, block))
        in_view.append(rate)
        latencies.extend(samples)
    ratio = max(in_view) / max(headless)
    print(
        f"best of {args.rounds}: headless {max(headless):,.0f} epochs/s, "
        f"in the view with live plots {max(in_view):,.0f} epochs/s"
    )
    worst = max(latencies) * 1000 if latencies else float("nan")
    if latencies:
        median = statistics.median(latencies) * 1000
        print(f"key-to-screen latency over {len(latencies)} presses: median {median:.1f} ms")
    print(f"latency ms: {worst:.1f}, throughput ratio: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
