"""A reveal in a derivation repaints what changed, not the whole screen (issue 21)."""

from __future__ import annotations

from textual._compositor import Compositor

from tests.ui.support import settle
from tutor.tui.app import make_app
from tutor.tui.widgets.derivation.view import DerivationView


async def test_a_reveal_does_not_repaint_the_whole_screen(tmp_path, monkeypatch):
    full: list[int] = []
    render_full_update = Compositor.render_full_update

    def counted(self, simplify=False):
        full.append(1)
        return render_full_update(self, simplify)

    monkeypatch.setattr(Compositor, "render_full_update", counted)
    app = make_app(data_dir=tmp_path, start="lesson:backprop")  # a long derivation
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        step = next(
            n
            for n, s in enumerate(screen.lesson.steps)
            if any(p.__class__.__name__ == "DeriveBlock" for p in s.parts)
        )
        screen.show_step(step)
        await settle(pilot)
        view = screen.body.query_one(DerivationView)
        for _ in range(3):
            before, shown = len(full), view.revealed
            await pilot.press("n")
            await settle(pilot)
            await pilot.pause(0.1)
            assert view.revealed == shown + 1  # a product was revealed…
            assert len(full) == before  # …and only what changed was painted
