"""The quiz command refuses bad options before the terminal is taken over."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "argv",
    [
        ["quiz", "--plain", "--seed", "-1"],
        ["quiz", "--plain", "--seed", str(2**63)],
        ["quiz", "--seed", "-1"],  # the TUI path: refused before the terminal is taken over
    ],
)
def test_a_seed_out_of_range_is_a_usage_error_not_a_traceback(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.cli import main
    from tutor.tui import app

    def no_app(**_: object) -> None:
        raise AssertionError("the TUI must not start with a bad seed")

    monkeypatch.setattr(app, "make_app", no_app)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"backprop-tutor quiz: --seed must be a whole number from 0 to {2**63 - 1}" in err
