"""A card for a ``network`` block: its shape in words and its data and parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tutor.ui.literal import Plain

if TYPE_CHECKING:
    from tutor.lesson.model import NetworkBlock

MAX_ENTRIES_SHOWN = 24


def network_text(block: NetworkBlock) -> Text:
    """The summary line, then x, t and each parameter (small arrays in full, else shapes)."""
    from tutor.text.derivation import network_summary
    from tutor.text.numbers import format_array, format_shape

    spec = block.spec
    text = Text()
    text.append(f"Network {block.id}: ", style="bold")
    text.append(network_summary(spec) + "\n")
    arrays = {"x": spec.input, "t": spec.target}
    if block.drawn:
        shapes = ", ".join(f"{n} {format_shape(p.shape)}" for n, p in spec.params().items())
        text.append(f"  weights drawn at random ({block.drawn}): {shapes}\n")
    else:
        arrays.update(spec.params())
    for name, array in arrays.items():
        shown = (
            format_array(array)
            if array.size <= MAX_ENTRIES_SHOWN
            else f"shape {format_shape(array.shape)}"
        )
        text.append(f"  {name} = {shown}\n")
    text.rstrip()
    return text


class NetworkCard(Plain):
    """Shows a network block the way the engine sees it."""

    def __init__(self, block: NetworkBlock) -> None:
        super().__init__(network_text(block), classes="network-card block")
        self.block = block
