"""The card of a ``network`` block: its shape in words, then its data and parameters.

Provides :func:`network_lines` (the card with the numbers in play: the block's own,
or those a varied question drew) and :func:`card_lines` (the card as a step's
:class:`~tutor.lesson.network_cards.CardPlan` wants it, with its note).  The TUI's
network card and ``lesson --plain`` both show these lines.
"""

from __future__ import annotations

from tutor.engine import NetworkSpec
from tutor.lesson.model import NetworkBlock
from tutor.lesson.network_cards import CardKind, CardPlan
from tutor.present.lines import Line, Role
from tutor.text.derivation import network_summary
from tutor.text.numbers import format_array, format_shape

MAX_ENTRIES_SHOWN = 24
"""Arrays up to this size are written out; larger ones by their shape."""
VARIED_NOTE = "The question below draws its own numbers; they are in its text."
WAITING = "  (the numbers the question below draws appear here)"
DRAWN = "  (the numbers drawn for the question below)"


def network_lines(block: NetworkBlock, drawn: NetworkSpec | None = None) -> list[Line]:
    """The summary line, then x, t and each parameter (small arrays in full, else shapes).

    ``drawn``: the block's network with the numbers a varied question drew, shown instead.
    """
    spec = block.spec if drawn is None else drawn
    lines = [Line.join((f"Network {block.id}: ", Role.LEAD), network_summary(spec))]
    arrays = {"x": spec.input, "t": spec.target}
    if block.drawn and drawn is None:
        shapes = ", ".join(f"{n} {format_shape(p.shape)}" for n, p in spec.params().items())
        lines.append(Line.of(f"  weights drawn at random ({block.drawn}): {shapes}"))
    else:
        arrays.update(spec.params())
    for name, array in arrays.items():
        shown = (
            format_array(array)
            if array.size <= MAX_ENTRIES_SHOWN
            else f"shape {format_shape(array.shape)}"
        )
        lines.append(Line.of(f"  {name} = {shown}"))
    return lines


def card_lines(block: NetworkBlock, plan: CardPlan, drawn: NetworkSpec | None = None) -> list[Line]:
    """The card as ``plan`` wants it ([] for no card); ``drawn``: the numbers a question drew."""
    if plan.kind == CardKind.NONE:
        return []
    if plan.kind == CardKind.FOLLOW:
        if drawn is None:
            return [Line.of(network_lines(block)[0].text), Line.of(WAITING, Role.HINT)]
        return [*network_lines(block, drawn), Line.of(DRAWN, Role.HINT)]
    lines = network_lines(block)
    if plan.kind == CardKind.FIXED_NOTED:
        lines.append(Line.of(f"  {VARIED_NOTE}", Role.HINT))
    return lines
