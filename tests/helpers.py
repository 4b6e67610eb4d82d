"""Helpers shared by tests in several layers (no Textual here)."""

from __future__ import annotations

import asyncio
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from tutor.engine import LayerSpec, NetworkSpec


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``backprop-tutor ARGS`` in a subprocess with this interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


HANG = 120.0
"""Seconds a test waits for something before it fails: a bound on a hang, never a benchmark
(generous, so a test holds on a loaded machine)."""
POLL = 0.01
"""Seconds between two looks at a condition while waiting."""


async def wait_until(
    pilot: Any, condition: Callable[[], object], timeout: float = HANG, *, what: str = ""
) -> None:
    """Let the app under ``pilot`` run until ``condition()`` is true (threads, workers and
    messages carry on meanwhile); fail after ``timeout`` seconds, saying ``what`` was awaited,
    or at once if the app ends.

    Between looks it only sleeps: the app runs on in the same event loop, refreshing on its
    own clock.  (``pilot.pause`` first waits for every widget on the screen to take a message
    of its own: half the processor time of a wait went to that.)  Once the condition holds,
    one ``pilot.pause`` lets the widgets handle what led to it and the screen refresh, as
    every look did before."""
    deadline = time.monotonic() + timeout
    waited = False
    while not condition():
        if not pilot.app.is_running:
            raise AssertionError(f"the app ended while waiting: {what or condition}")
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout:g} s: {what or condition}")
        await asyncio.sleep(POLL)
        waited = True
    if waited:
        await pilot.pause()


def sig(z: float) -> float:
    """The sigmoid, written out by hand (tests derive expected values without the engine)."""
    return 1.0 / (1.0 + math.exp(-z))


BATCH_SPEC = """\
input = [[0.0, 1.0, 0.5], [1.0, 0.0, -0.5]]
target = [[1.0, 0.0, 0.5]]
loss = "squared_error"

[[layers]]
W = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]
b = [[0.0], [0.1], [-0.1]]
activation = "tanh"

[[layers]]
W = [[0.7, -0.8, 0.9]]
b = [[0.05]]
activation = "sigmoid"
"""
"""A spec file's text: three examples, biases, tanh then sigmoid (used by solve's tests)."""


def walkthrough_spec() -> NetworkSpec:
    """The walkthrough network: x = 1, w1 = 0.5, w2 = 0.8, sigmoid twice, ½(y − t)², t = 1."""
    return NetworkSpec(
        input=np.array([[1.0]]),
        target=np.array([[1.0]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(np.array([[0.5]]), None, "sigmoid"),
            LayerSpec(np.array([[0.8]]), None, "sigmoid"),
        ),
    )


def fork_spec() -> NetworkSpec:
    """One sigmoid hidden unit feeding two sigmoid outputs: dL/da1 adds two paths."""
    return NetworkSpec(
        input=np.array([[1.0]]),
        target=np.array([[1.0], [0.0]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(np.array([[0.5]]), None, "sigmoid"),
            LayerSpec(np.array([[0.7], [0.5]]), None, "sigmoid"),
        ),
    )


def one_weight_network(network_id: str = "n", target: float = 0.5) -> str:
    """A lesson's network block of one linear weight (0.5) on the input 1.0, for small
    lesson texts written in tests."""
    return (
        f'```network\nid = "{network_id}"\ninput = [[1.0]]\ntarget = [[{target}]]\n'
        'loss = "half_squared_error"\n\n[[layers]]\nW = [[0.5]]\nactivation = "linear"\n```'
    )


def budget_lesson_text(steps: int | None = None) -> str:
    """A lesson at every limit of the size budget: the most a lesson that passes can hold.

    ``steps`` steps (default: the most allowed), each with as much code as a step may
    hold (token-dense Python, the costliest to draw) and prose up to the step's limit,
    in lines of the longest length allowed.
    """
    from tutor.lesson.parser import MAX_CODE_CHARS, MAX_LINE_CHARS, MAX_STEP_CHARS, MAX_STEPS

    code_line = "x = " + "1 + " * 23 + "1\n"  # 97 characters and a newline
    code = "```python\n" + code_line * (MAX_CODE_CHARS // len(code_line)) + "```\n"
    prose_line = ("word " * MAX_LINE_CHARS)[: MAX_LINE_CHARS - 1] + ".\n"
    body = []
    for i in range(MAX_STEPS if steps is None else steps):
        heading = f"## Step {i + 1}\n\n"
        room = MAX_STEP_CHARS - len(heading) - len(code) - 2
        prose = prose_line * (room // len(prose_line))
        body.append(heading + code + "\n" + prose + "\n")
    return '+++\nid = "budget"\ntitle = "At every limit"\n+++\n\n' + "".join(body)


def solution_text(solution: object) -> list[str]:
    """A worked solution's lines as text (the one writer, :mod:`tutor.present.solution`)."""
    from tutor.present.solution import solution_lines

    return [line.text for line in solution_lines(solution)]  # type: ignore[arg-type]


def run_verdict(history: Any, rows: Any = None, **options: Any) -> str:
    """A training run judged by the engine's numbers (``judge_run``), in the tutor's words."""
    from tutor.present.run_verdict import verdict_text
    from tutor.training.results import judge_run

    return verdict_text(judge_run(history, rows, **options))


def loaded_after(modules: list[str]) -> set[str]:
    """The full names in ``sys.modules`` after importing ``modules`` in a fresh interpreter."""
    code = "import importlib, sys\n"
    code += "".join(f"importlib.import_module({name!r})\n" for name in modules)
    code += "print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def top_level(names: set[str]) -> set[str]:
    """The top-level packages of module names."""
    return {name.split(".")[0] for name in names}
