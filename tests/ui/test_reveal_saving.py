"""Reveals share a write of the progress, and quitting writes the newest (issue 21)."""

from __future__ import annotations

from tests.ui.support import demo_catalog, settle
from tutor.store.progress_file import ProgressStore
from tutor.tui.app import SAVE_AFTER, make_app
from tutor.tui.widgets.derivation.view import DerivationView


def saved_reveals(data_dir) -> dict[str, int]:
    """How far each derivation of the demo lesson is revealed in the progress file."""
    return dict(ProgressStore(data_dir).load().lesson("demo").revealed)


async def test_reveals_are_written_a_moment_later_in_one_write(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("end", "p", "p")  # the demo's derivation step
        await settle(pilot)
        view = app.screen.body.query_one(DerivationView)
        writes: list[str] = []
        write = app.store.write

        def counted(text: str) -> None:
            writes.append(text)
            write(text)

        app.store.write = counted  # type: ignore[method-assign]
        await pilot.press("n", "n", "n")
        await settle(pilot)
        assert view.revealed == 3
        assert view.key not in saved_reveals(tmp_path)  # not written at each key…
        await pilot.pause(SAVE_AFTER + 0.5)
        await app.workers.wait_for_complete()
        assert saved_reveals(tmp_path)[view.key] == 3  # …but once, a moment later
        assert len(writes) == 1


async def test_quitting_right_after_a_reveal_writes_it(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("end", "p", "p")
        await settle(pilot)
        await pilot.pause(SAVE_AFTER + 0.5)  # the step change is written
        await app.workers.wait_for_complete()
        view = app.screen.body.query_one(DerivationView)
        await pilot.press("n", "n")
        await settle(pilot)
        key = view.key
        assert view.revealed == 2 and key not in saved_reveals(tmp_path)
        app.exit()
    assert saved_reveals(tmp_path)[key] == 2
