"""Shared test set-up: learner data always goes to a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BACKPROP_TUTOR_HOME at a fresh directory so no test touches the real home."""
    home = tmp_path_factory.mktemp("tutor-home")
    monkeypatch.setenv("BACKPROP_TUTOR_HOME", str(home))
    monkeypatch.delenv("BACKPROP_TUTOR_LESSONS", raising=False)
    return home


CORE = Path(__file__).parent / "core"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A session of core tests only must never have imported Textual (DESIGN: pure core)."""
    import sys

    items = getattr(session, "items", [])
    only_core = bool(items) and all(Path(item.path).is_relative_to(CORE) for item in items)
    if only_core and "textual" in sys.modules:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\ntests/core imported textual: the core must stay Textual-free", file=sys.stderr)
