"""The outline of a lesson's steps: the current one highlighted, finished ones ticked."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.ui.messages import StepChosen
from tutor.ui.styles import FINISHED_STYLE


class StepOutline(OptionList):
    """The steps of a lesson; Enter or a click on one posts :class:`StepChosen`."""

    DEFAULT_CSS = """
    StepOutline { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, titles: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = list(titles)
        self.current = 0
        self.finished: set[int] = set()

    def on_mount(self) -> None:
        """Fill in the steps."""
        self._rebuild()

    def show(self, current: int, finished: set[int]) -> None:
        """Mark ``current`` and the ``finished`` steps."""
        self.current, self.finished = current, set(finished)
        self._rebuild()

    def _rebuild(self) -> None:
        options = []
        for index, title in enumerate(self.titles):
            if index == self.current:
                mark, style = "▶", "bold"
            elif index in self.finished:
                mark, style = "✓", FINISHED_STYLE
            else:
                mark, style = " ", ""
            options.append(
                Option(Content.styled(f"{mark} {index + 1}. {title}", style), id=f"step-{index}")
            )
        self.set_options(options)
        self.highlighted = self.current

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Turn the selection into a step jump."""
        event.stop()
        self.post_message(StepChosen(event.option_index))
