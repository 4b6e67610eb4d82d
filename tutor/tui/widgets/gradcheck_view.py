"""The gradient-check table of a ``gradcheck`` block, computed in a worker thread.

Rows are parameter / relative error / verdict from the engine's
:func:`~tutor.engine.gradient_check`; the text under the table explains the threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from tutor.tui.literal import Plain, literal
from tutor.tui.messages import Computed, post_computed
from tutor.tui.styles import outcome_content

if TYPE_CHECKING:
    from tutor.engine import GradCheck, NetworkSpec
    from tutor.lesson.model import GradcheckBlock


def _verdict(good: str, bad: str, passed: bool) -> tuple[str, str]:
    """A verdict word and its outcome: a pass looks like a right answer, a fail like a wrong one."""
    return (good, "correct") if passed else (bad, "wrong")


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
        from tutor.text.derivation import gradcheck_text
        from tutor.text.numbers import format_number

        table = self.query_one(DataTable)
        table.clear(columns=True)
        # the verdict column is as wide as its longest word: a styled cell is not measured
        words = ("ok", "MISMATCH", "passed", "FAILED", "verdict")
        table.add_column(Text("parameter"))
        table.add_column(Text("relative error"))
        table.add_column(Text("verdict"), width=max(len(word) for word in words))
        for param in check.params:
            table.add_row(
                literal(param.name),
                literal(format_number(param.relative_error, 3)),
                outcome_content(*_verdict("ok", "MISMATCH", param.passed)),
            )
        table.add_row(
            literal("overall", "bold"),
            literal(format_number(check.relative_error, 3)),
            outcome_content(*_verdict("passed", "FAILED", check.passed)),
        )
        bug = (
            f" Backprop here uses the {self.block.backprop_loss} loss while the numbers "
            f"measure {self.spec.loss}."
            if self.block.backprop_loss
            else ""
        )
        self.query_one(".gc-status", Plain).update(
            f"Central differences with ε = {format_number(check.epsilon)}: "
            + ("backprop agrees." if check.passed else "backprop disagrees!")
            + bug
        )
        lines = [line.strip() for line in gradcheck_text(check).splitlines()]
        note = next(line for line in lines if line.startswith("(relative error"))
        kink = [line for line in lines if line.startswith("At a ReLU kink")]
        self.query_one(".gc-note", Plain).update(
            " ".join([note.removeprefix("(").removesuffix(")"), *kink])
        )
