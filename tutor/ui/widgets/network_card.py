"""A card for a ``network`` block: its shape in words and its data and parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tutor.ui.literal import Plain

if TYPE_CHECKING:
    from tutor.lesson.model import NetworkBlock


def network_text(block: NetworkBlock) -> Text:
    """The summary line, then x, t and each parameter (small arrays in full, else shapes)."""
    from tutor.lesson.player import network_lines

    first, *rest = network_lines(block)
    head, summary = first.split(": ", 1)
    text = Text.assemble((f"{head}: ", "bold"), summary)
    for line in rest:
        text.append(f"\n{line}")
    return text


class NetworkCard(Plain):
    """Shows a network block the way the engine sees it."""

    def __init__(self, block: NetworkBlock) -> None:
        super().__init__(network_text(block), classes="network-card block")
        self.block = block
