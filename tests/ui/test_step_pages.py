"""A page built out of view is laid out once, at the width it is shown at (issue 21)."""

from __future__ import annotations

from textual._compositor import Compositor

from tests.helpers import wait_until
from tests.ui.support import bundled_entries, demo_catalog, screen_text, settle
from tutor.tui.app import make_app


async def shown_built_ahead(pilot, step: int) -> str:
    """The screen of ``step`` moved in from out of view (it was built while the step
    before it was read)."""
    screen = pilot.app.screen
    screen.show_step(step - 1)
    await wait_until(pilot, lambda: step in screen.pages, what="the next page built")
    await settle(pilot)
    await pilot.pause(0.2)
    assert not screen.pages[step].showing
    await pilot.press("right_square_bracket")
    await settle(pilot)
    await pilot.pause(0.1)
    assert screen.index == step
    return step_view_text(pilot.app)


def step_view_text(app) -> str:
    """The text of the step view (the outline beside it marks the steps visited)."""
    region = app.screen.deck.region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(row[region.x : region.right].rstrip() for row in rows)


async def shown_built_at_once(pilot, step: int) -> str:
    """The screen of ``step`` built while the learner waits (a jump from far away)."""
    screen = pilot.app.screen
    far = step + 3 if step + 3 < len(screen.lesson.steps) else step - 3
    screen.show_step(far)
    await settle(pilot)
    await pilot.pause(0.2)
    assert step not in screen.pages  # pruned: far from the step in view
    screen.show_step(step)
    await settle(pilot)
    await pilot.pause(0.1)
    return step_view_text(pilot.app)


async def test_a_long_page_built_out_of_view_is_laid_out_at_its_final_width(tmp_path, monkeypatch):
    """Its widgets get their width in the first layout; the scrollbar appearing does not
    make them all narrower in a second one (and wrap their text again)."""
    narrowed: list[str] = []
    reflow = Compositor.reflow

    def noted(self, parent, size):
        widths = {widget: placed.region.width for widget, placed in self._full_map.items()}
        result = reflow(self, parent, size)
        page = getattr(self.root, "pages", {}).get(2)
        if page is not None and not page.showing:
            narrowed.extend(
                type(widget).__name__
                for widget in result.resized
                if page in widget.ancestors
                and widths[widget] != self._full_map[widget].region.width
            )
        return result

    monkeypatch.setattr(Compositor, "reflow", noted)
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start="lesson:backprop")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        waited = await shown_built_ahead(pilot, 2)  # a derivation and a question: long
        page = app.screen.body
        assert narrowed == []
        assert page.show_vertical_scrollbar  # longer than the view
        assert await shown_built_at_once(pilot, 2) == waited


async def test_a_short_page_built_out_of_view_takes_its_scrollbar_column_back(tmp_path):
    """A page that fits shows no scrollbar and the same screen as one built at once."""
    app = make_app(data_dir=tmp_path, catalog=demo_catalog(), start="lesson:demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        waited = await shown_built_ahead(pilot, 1)  # a sentence and a network card
        page = app.screen.body
        assert not page.show_vertical_scrollbar
        assert page.scrollable_content_region.width == page.content_region.width
        assert await shown_built_at_once(pilot, 1) == waited


async def test_a_derivation_built_out_of_view_shares_the_window_with_its_graph(tmp_path):
    """The product list of a derivation on a page built ahead is capped to the window it is
    shown in (whether its walk was computed before or after the page was first laid out),
    so the first reveal shows the graph whole beside the newest product, as a page built
    at once does."""
    from tutor.tui.widgets.derivation.graph_view import GraphView
    from tutor.tui.widgets.derivation.view import DerivationView

    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start="lesson:backprop")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        waited = await shown_built_ahead(pilot, 2)  # the first derivation, and a question
        assert await shown_built_at_once(pilot, 2) == waited
        for built in (shown_built_ahead, shown_built_at_once):
            await built(pilot, 2)
            view = app.screen.body.query_one(DerivationView)
            await pilot.press("n")  # the first value revealed
            await settle(pilot)
            graph = view.query_one(GraphView)
            assert view.revealed == 1
            assert graph.region.height == graph.outer_size.height, screen_text(app)
            await pilot.press("p")
            await settle(pilot)
