"""Benchmark: the train view stays responsive and keeps training fast while it draws.

Trains XOR (examples/xor.toml, init scale 1.0, lr 1.0) for 200,000 epochs (a few
seconds a run, so every key below is pressed dozens of times while it trains) both
headless, iterating the engine's generator directly, and in a TrainView under
Textual's Pilot with the live plots, in interleaved rounds; the ratio compares the
best rate of each (the machine is shared, so single runs are noisy).  A third run
per round measures latency: while the view trains, a key is sent through the
driver every ~100 ms (as a terminal would): tab and escape (focus into a knob's
field and back) and every fifth time ``l`` (log scale, which redraws the loss
curve); the time until the screen update that shows the change is measured (the
app's ``_display`` call).  The worst sample is reported, leaving out presses
during which other processes on the (shared) machine starved this one of CPU.

    python bench/train_ui.py [--epochs N] [--rounds R]

Targets: latency ≤ 100 ms, throughput ratio ≥ 0.8.
The last line reads ``latency ms: X, throughput ratio: R``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.engine import NetworkSpec, train  # noqa: E402
from tutor.formats.spec import load_spec  # noqa: E402
from tutor.lesson.model import TrainBlock  # noqa: E402
from tutor.training import knobs_from_block, prepare_run  # noqa: E402
from tutor.tui.widgets.plot_view import PlotView  # noqa: E402
from tutor.tui.widgets.train.view import TrainView  # noqa: E402

KEY_EVERY = 0.1
"""Seconds between measured key presses."""
KEYS = ("tab", "escape", "tab", "escape", "l")
"""Pressed in turn: focus into a knob's field and back (cheap), and the log-scale toggle,
which redraws the loss curve (the dearest key of the view)."""
STARVED = 0.5
"""A sample during which the process got less than half a core was starved by other processes."""


@dataclass(frozen=True)
class Sample:
    """One key press: seconds until the screen showed it, and the CPU the process got meanwhile
    (in cores: below :data:`STARVED` other processes on the machine had the CPU)."""

    key: str
    latency: float
    cpu_share: float


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


async def ui_run(
    spec: NetworkSpec, block: TrainBlock, *, press_keys: bool
) -> tuple[float, list[Sample]]:
    """Epochs per second while the view trains and draws, and key-to-screen latencies."""
    app = BenchApp(block, spec)
    latencies: list[Sample] = []
    async with app.run_test(size=(100, 50)) as pilot:
        view = app.query_one(TrainView)
        plot = app.query_one("#loss-plot", PlotView)
        view.focus()
        await pilot.pause()
        assert app._driver is not None  # keys go in through the driver, as from a terminal
        app._driver.send_message(events.Key("r", "r"))
        keys = itertools.cycle(KEYS)
        while press_keys and app.finished is None:
            await asyncio.sleep(KEY_EVERY)
            if app.finished is not None or not view.running:
                break
            key = next(keys)
            before, updates_before = (app.focused, plot.log_y), len(app.updates)
            sent, cpu = time.perf_counter(), time.process_time()
            app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
            while True:
                await asyncio.sleep(0.001)
                changed = (app.focused, plot.log_y) != before
                if changed and len(app.updates) > updates_before and app.updates[-1] > sent:
                    wall = app.updates[-1] - sent
                    share = (time.process_time() - cpu) / (time.perf_counter() - sent)
                    latencies.append(Sample(key, wall, share))
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
    parser.add_argument("--epochs", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of runs (best of each)")
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
        in_view.append(asyncio.run(ui_run(spec, block, press_keys=False))[0])
        latencies.extend(asyncio.run(ui_run(spec, block, press_keys=True))[1])
    ratio = max(in_view) / max(headless)
    print(
        f"best of {args.rounds}: headless {max(headless):,.0f} epochs/s, "
        f"in the view with live plots {max(in_view):,.0f} epochs/s"
    )
    fair = [sample for sample in latencies if sample.cpu_share >= STARVED]
    starved = [sample.latency for sample in latencies if sample.cpu_share < STARVED]
    if starved:
        print(
            f"{len(starved)} presses left out: the machine gave this process under "
            f"{STARVED} of a core meanwhile (worst {max(starved) * 1000:.1f} ms)"
        )
    for key in dict.fromkeys(KEYS):
        times = [sample.latency * 1000 for sample in fair if sample.key == key]
        if times:
            print(
                f"key {key!r} to screen over {len(times)} presses: "
                f"median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms"
            )
    worst = max(sample.latency for sample in fair) * 1000 if fair else float("nan")
    print(f"latency ms: {worst:.1f}, throughput ratio: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
