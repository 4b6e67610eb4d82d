"""The gradient-check table of a ``gradcheck`` block, computed in a worker thread.

Rows are parameter / relative error / verdict from the engine's
:func:`~tutor.engine.gradient_check`; the text under the table explains the threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from tutor.ui.messages import Computed, post_computed
from tutor.ui.styles import outcome_content

if TYPE_CHECKING:
    from tutor.engine import GradCheck, NetworkSpec
    from tutor.lesson.model import GradcheckBlock


def _verdict(word: str, passed: bool) -> Content:
    """A verdict in the style of a correct answer when it passed, of a wrong one when not."""
    return outcome_content(word, "correct" if passed else "wrong")


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
            yield Static(self.block.caption, classes="caption", markup=False)
        yield Static("Checking gradients against central differences…", classes="gc-status")
        yield DataTable(show_cursor=False, zebra_stripes=True)
        yield Static("", classes="gc-note")

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
            self.query_one(".gc-status", Static).update(message.error)
            return
        self.check = message.result
        self._cache[self.key] = message.result
        self._show(message.result)

    def _show(self, check: GradCheck) -> None:
        from tutor.text.derivation import gradcheck_text
        from tutor.text.numbers import format_number

        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("parameter", "relative error", "verdict")
        for param in check.params:
            verdict = _verdict("ok" if param.passed else "MISMATCH", param.passed)
            table.add_row(param.name, format_number(param.relative_error, 3), verdict)
        overall = _verdict("passed" if check.passed else "FAILED", check.passed)
        error = format_number(check.relative_error, 3)
        table.add_row(Content.styled("overall", "bold"), error, overall)
        bug = (
            f" Backprop here uses the {self.block.backprop_loss} loss while the numbers "
            f"measure {self.spec.loss}."
            if self.block.backprop_loss
            else ""
        )
        self.query_one(".gc-status", Static).update(
            f"Central differences with ε = {format_number(check.epsilon)}: "
            + ("backprop agrees." if check.passed else "backprop disagrees!")
            + bug
        )
        note = gradcheck_text(check).splitlines()[-1].strip()
        self.query_one(".gc-note", Static).update(note.removeprefix("(").removesuffix(")"))
