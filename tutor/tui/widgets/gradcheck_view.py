"""The gradient-check table of a ``gradcheck`` block, computed in a worker thread.

Rows are parameter / relative error / verdict from the engine's
:func:`~tutor.engine.gradient_check`; the text under the table explains the threshold.
The words are :mod:`tutor.present.gradcheck`'s, the same as ``lesson --plain``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from tutor.present.gradcheck import (
    OVERALL_VERDICTS,
    PARAM_VERDICTS,
    gradcheck_notes,
    gradcheck_status,
    gradcheck_table,
)
from tutor.present.lines import Line
from tutor.tui.literal import Plain, literal_text
from tutor.tui.messages import Computed, post_computed
from tutor.tui.tagged import line_content

if TYPE_CHECKING:
    from tutor.engine import GradCheck, NetworkSpec
    from tutor.lesson.model import GradcheckBlock


class GradcheckView(Vertical):
    """Analytical against numerical gradients, per parameter and overall."""

    def __init__(
        self, block: GradcheckBlock, spec: NetworkSpec, *, key: str, cache: dict[str, Any]
    ) -> None:
        super().__init__(classes="gradcheck-view block")
        self.block, self.spec, self.key, self._cache = block, spec, key, cache
        self.check: GradCheck | None = cache.get(key)

    def compose(self) -> ComposeResult:
        if self.block.caption:
            yield Plain(self.block.caption, classes="caption")
        yield Plain("Checking gradients against central differences…", classes="gc-status")
        yield DataTable(show_cursor=False, zebra_stripes=True)
        yield Plain("", classes="gc-note")

    def on_mount(self) -> None:
        """Show the cached check, or run it."""
        if self.check is None:
            self._run()
        else:
            self._show(self.check)

    @work(thread=True, exclusive=True)
    def _run(self) -> None:
        """Run the gradient check off the UI thread."""
        from tutor.engine import gradient_check

        block = self.block
        post_computed(
            self,
            self.key,
            lambda: gradient_check(
                self.spec, epsilon=block.epsilon, analytical_loss=block.backprop_loss
            ),
            "The gradient check failed",
        )

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        """Keep and show the engine's result."""
        message.stop()
        if message.error:
            self.query_one(".gc-status", Plain).update(message.error)
            return
        self.check = message.result
        self._cache[self.key] = message.result
        self._show(message.result)

    def _show(self, check: GradCheck) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        header, *rows = gradcheck_table(check)
        # the verdict column is as wide as its longest word: a styled cell is not measured
        verdicts = [*PARAM_VERDICTS.values(), *OVERALL_VERDICTS.values(), header[2]]
        widths = [None, None, max(len(word) for word, _ in verdicts)]
        for (word, _), width in zip(header, widths, strict=True):
            # Textual 8.2's DataTable takes a column label as a str (read as markup) or a
            # Rich Text only, not Content: the one place this view needs Rich
            table.add_column(literal_text(word), width=width)
        for row in rows:
            table.add_row(*(line_content(Line.join(cell)) for cell in row))
        status = gradcheck_status(
            check, backprop_loss=self.block.backprop_loss, loss=self.spec.loss
        )
        self.query_one(".gc-status", Plain).update(line_content(status))
        self.query_one(".gc-note", Plain).update(" ".join(gradcheck_notes(check)))
