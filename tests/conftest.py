"""Shared test set-up: learner data always goes to a temporary directory."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

BYTECODE = Path(__file__).resolve().parents[1] / ".pytest_cache" / "bytecode"


def keep_bytecode() -> None:
    """Keep compiled bytecode between runs, outside the source tree, when the environment
    says not to write it beside the sources (``PYTHONDONTWRITEBYTECODE``).

    Otherwise every test process would compile the tutor and have pytest rewrite every
    test module again, and so would every ``python -m tutor`` a test starts (an installed
    tutor runs from bytecode; ``bench/pty_screen.py`` compiles it for the same reason).
    Set before the test modules are imported and before xdist starts its workers, so
    they and every subprocess inherit it; the sandboxed exercise child runs isolated
    (``-I``) and is not affected.
    """
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    BYTECODE.mkdir(parents=True, exist_ok=True)
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = str(BYTECODE)
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(BYTECODE)


keep_bytecode()


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BACKPROP_TUTOR_HOME at a fresh directory so no test touches the real home."""
    home = tmp_path_factory.mktemp("tutor-home")
    monkeypatch.setenv("BACKPROP_TUTOR_HOME", str(home))
    monkeypatch.delenv("BACKPROP_TUTOR_LESSONS", raising=False)
    return home


CORE = Path(__file__).parent / "core"
WORKERS_PER_CORE = 3


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (the default, see ``pyproject.toml``): three test processes per core, one
    for a run of the core tests alone.

    Much of the suite waits rather than computes (commands in subprocesses, tmux, the
    browser, the sandbox held to its time limits, Pilot's idle checks), and the other
    processes on a core work meanwhile: on two cores the whole suite took 317 s with two per
    core, its cores idle a tenth of the time, and 298 s with three, never idle.  The core
    only computes, and a second process there only costs its start.
    ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides where it is set.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0))
    paths = [Path(config.invocation_params.dir, arg.split("::")[0]) for arg in config.args]
    only_core = bool(paths) and all(path.resolve().is_relative_to(CORE) for path in paths)
    return cores if only_core else WORKERS_PER_CORE * cores


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A session of core tests only must never have imported Textual (DESIGN: pure core)."""
    import sys

    items = getattr(session, "items", [])
    only_core = bool(items) and all(Path(item.path).is_relative_to(CORE) for item in items)
    if only_core and "textual" in sys.modules:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\ntests/core imported textual: the core must stay Textual-free", file=sys.stderr)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests (marked ``long``, then ``slow``) first, spread evenly through the
    first quarter of the run, so that each test process gets its share of them at the
    start (xdist hands out runs of consecutive tests) and the run does not end waiting
    on one of them.  The same order in every process."""
    long = [item for item in items if item.get_closest_marker("long")]
    long += [item for item in items if item.get_closest_marker("slow") and item not in long]
    if not long:
        return
    rest = [item for item in items if item not in long]
    between = max(0, len(items) // 4 // len(long) - 1)
    ordered: list[pytest.Item] = []
    for n, item in enumerate(long):
        ordered += [item, *rest[n * between : (n + 1) * between]]
    items[:] = ordered + rest[len(long) * between :]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect garbage as the tutor does when its command starts it (``run_tui``, then
    ``TutorApp._started``): what start-up loaded (here pytest, the tutor and every test
    module) frozen, and the youngest generation collected after 10,000 allocations.

    An idle lesson screen runs a full collection once a few younger ones have run
    (``TutorApp.collect_garbage``); at Python's default of 700 that was after nearly every
    step, and in a test process each walked every cached strip Textual keeps (0.2 s).
    """
    gc.collect()
    gc.freeze()
    if "tutor.tui.app" in sys.modules:  # a session with UI tests (the core loads no Textual)
        from tutor.tui.app import YOUNG_COLLECT_AFTER

        _, middle, oldest = gc.get_threshold()
        gc.set_threshold(YOUNG_COLLECT_AFTER, middle, oldest)
