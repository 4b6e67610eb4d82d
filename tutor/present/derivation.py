"""The one derivation line builder: a walk's revealed stages as lines tagged with a role.

Provides :func:`stage_lines` (one stage: a heading where a pass starts, the
learner's prediction of a product, the equation, a matrix's rows, the rule in words
and, where asked, the product path by path) and :func:`derivation_lines` (every
revealed stage, the newest marked, then what the keys do next or the update after
the last product).  The TUI's derivation view draws :func:`derivation_lines`;
``lesson --plain`` prints :func:`stage_lines` as each stage is revealed; ``solve``
prints :func:`whole_derivation_lines` (every stage at once, as a walk shows it once
all is revealed, then :func:`gradient_lines`).  With a
``width``, an equation too long for it continues on the next line with its ``=``
under the first one, and the rule in words wraps under itself.
"""

from __future__ import annotations

import re
import textwrap

import numpy as np

from tutor.engine import Derivation, TraceRecord
from tutor.lesson.model import DeriveBlock
from tutor.lesson.walk import DerivationWalk
from tutor.present.lines import BLANK, Line, Role, lines_of
from tutor.present.path_lines import MAX_ENTRIES, path_lines
from tutor.present.verdict import predicted_line
from tutor.text.derivation import (
    BACKWARD,
    FORWARD,
    forward_line,
    network_summary,
    on_the_way_lines,
    record_line,
)
from tutor.text.numbers import array_lines, format_array, format_shape

CURRENT = "▶ "
EARLIER = "  "
RULE_INDENT = "      "
UNLIMITED = 10_000
MIN_WRAP = 40
BREAKS = re.compile(r"(?= = )|(?<=   )(?=\S)")
"""Where a long equation may break: before `` = ``, or before the shapes of an array product."""
COMPLETE = "Derivation complete: n moves on."
GRADIENTS = "Gradients of the loss"


def summary_line(walk: DerivationWalk) -> Line:
    """``Network: 1 → 1 → 1 (sigmoid, sigmoid), …``."""
    return Line.of(f"Network: {network_summary(walk.derivation.spec)}", Role.HINT)


def whole_derivation_lines(derivation: Derivation) -> list[Line]:
    """A whole derivation at once (``solve``): the network and its input, every stage as
    :func:`stage_lines` writes it (a blank line before each pass), then :func:`gradient_lines`."""
    walk = DerivationWalk(derivation, DeriveBlock(network="", line=0))
    walk.revealed = len(walk.stages)
    lines = [summary_line(walk)]
    x = derivation.values["x"]
    if x.size > 1:  # one number shows in the first weighted sum
        lines.append(Line.of(f"  x = {format_array(x)}   {format_shape(x.shape)}"))
    for index in range(len(walk.stages)):
        stage = stage_lines(walk, index)
        lines += [BLANK, *stage] if Role.HEADING in stage[0].roles else stage
    return [*lines, BLANK, *gradient_lines(derivation)]


def gradient_lines(derivation: Derivation) -> list[Line]:
    """``Gradients of the loss``, then ``dL/dW1 = [[…]]   shape (4, 2)`` for every parameter."""
    lines = [Line.of(GRADIENTS, Role.HEADING)]
    for name, param in derivation.spec.params().items():
        grad = format_array(derivation.gradients[name])
        lines.append(Line.of(f"  dL/d{name} = {grad}   shape {format_shape(param.shape)}"))
    return lines


def stage_lines(
    walk: DerivationWalk,
    index: int,
    *,
    newest: bool = False,
    width: int = 0,
    collapsed_paths: int = 0,
    verdicts: bool = True,
) -> list[Line]:
    """The lines of stage ``index`` of ``walk``.

    ``newest`` marks it (``▶``); ``collapsed_paths``: how many entries of a matrix
    product to write out path by path when the learner has not asked for its paths
    (all of :data:`MAX_ENTRIES` when asked); ``verdicts=False`` leaves out the
    verdict on a prediction made in this session (a front end that printed it already).
    """
    lines: list[Line] = []
    if index == 0 and walk.forward_count:
        lines.append(Line.of(FORWARD, Role.HEADING))
    if index == walk.forward_count:
        lines.append(Line.of(BACKWARD, Role.HEADING))
    stage = walk.stages[index]
    role = Role.NEWEST if newest else Role.TEXT
    marker = CURRENT if newest else EARLIER
    if not isinstance(stage, TraceRecord):
        lines += _equation(marker, forward_line(stage), width, role, stage.value)
        for extra in on_the_way_lines(stage):  # a softmax loss's p, which p − t starts from
            lines += _equation(EARLIER + "  ", extra, width - 2 if width else 0, role)
        return lines
    if verdicts or stage.target not in walk.messages:
        lines += _prediction(walk, stage)
    lines += _equation(marker, record_line(stage), width, role)
    if not stage.is_scalar:
        room = width - len(RULE_INDENT) if width else UNLIMITED
        lines += [Line.of(RULE_INDENT + row, role) for row in array_lines(stage.value, room)]
    wrap = max(width, MIN_WRAP) if width else UNLIMITED
    rule = textwrap.wrap(
        f"({stage.rule})", wrap, initial_indent=RULE_INDENT, subsequent_indent=RULE_INDENT
    )
    lines += [Line.of(piece, Role.RULE) for piece in rule]
    limit = MAX_ENTRIES if index in walk.expanded else collapsed_paths
    for line in path_lines(walk.derivation, stage, limit=limit) if limit else ():
        indent = RULE_INDENT + " " * (len(line) - len(line.lstrip()))
        pieces = textwrap.wrap(
            line.strip(), wrap, initial_indent=indent, subsequent_indent=indent + "  "
        )
        lines += [Line.of(piece, role) for piece in pieces]
    return lines


def derivation_lines(
    walk: DerivationWalk, update: str | None, *, width: int = 0, prompting: bool = False
) -> list[Line]:
    """Every revealed stage of ``walk``, the newest marked, then a key hint or the update.

    While the learner is ``prompting`` for a prediction, no key hint is shown (the
    prompt says what to do).  ``update``: the gradient-descent step after the last product.
    """
    lines: list[Line] = []
    for index in range(walk.revealed):
        lines += stage_lines(walk, index, newest=index == walk.revealed - 1, width=width)
    pending = walk.next_stage
    kept = walk.predictions.get(pending.target) if isinstance(pending, TraceRecord) else None
    if isinstance(pending, TraceRecord) and kept is not None and not kept.open:
        lines += _prediction(walk, pending)
        lines.append(Line.of("  n reveals the product.", Role.HINT))
    elif pending is not None:
        if not prompting:  # "n" would be typed into the prompt
            lines.append(Line.of(key_hint(walk), Role.HINT))
    else:
        lines += _complete(walk, update)
    return lines


def finished_lines(walk: DerivationWalk, update: str | None, *, width: int = 0) -> list[Line]:
    """The lines :func:`derivation_lines` gives once every stage of ``walk`` is revealed,
    a blank line for the verdict of each prediction still to come: the room a view keeps."""
    count = len(walk.stages)
    lines = [
        line
        for index in range(count)
        for line in stage_lines(walk, index, newest=index == count - 1, width=width)
    ]
    for stage in walk.stages[walk.revealed :]:
        kept = walk.predictions.get(stage.target) if isinstance(stage, TraceRecord) else None
        if isinstance(stage, TraceRecord) and stage.target in walk.block.predict:
            lines += [BLANK] if kept is None or kept.open else []
    return lines + _complete(walk, update)


def _complete(walk: DerivationWalk, update: str | None) -> list[Line]:
    """The update after the last product, if any, and what the keys do now."""
    lines = [BLANK, *lines_of(update)] if update else []
    return [*lines, BLANK, Line.of(COMPLETE + _paths_hint(walk), Role.HINT)]


def _paths_hint(walk: DerivationWalk) -> str:
    """`` · x: dL/da1 path by path`` on a finished walk whose products add paths."""
    index = walk.paths_stage
    stage = walk.stages[index] if index is not None else None
    if not isinstance(stage, TraceRecord):
        return ""
    return f" · x: {'hide its paths' if index in walk.expanded else f'{stage.target} path by path'}"


def key_hint(walk: DerivationWalk) -> str:
    """What n, p and x do next."""
    revealed, forward_count = walk.revealed, walk.forward_count
    if revealed == 0:
        which = "forward pass, value by value" if forward_count else "backward pass"
        return f"Press n to start the {which}."
    if revealed < forward_count:
        keys = "n: next value · p: back"
    elif revealed == forward_count:
        keys = "n: first product of the backward pass · p: back"
    else:
        keys = "n: next product · p: hide the last product"
    if walk.newest_expandable:
        shown = revealed - 1 in walk.expanded
        keys += " · x: hide its paths" if shown else " · x: its paths, one by one"
    return keys


def prediction_prompt(record: TraceRecord, note: str | None, *, keys: str = "") -> list[Line]:
    """``Your turn: predict dL/dz2 = dL/da2 × da2/dz2 before it is revealed.`` and the note.

    ``keys``: how to answer, where the front end has keys to say (the TUI).
    """
    ask = f"predict {record.target} = {record.expression} before it is revealed."
    lines = [Line.join(("Your turn: ", Role.LEAD), ask + (f" {keys}" if keys else ""))]
    if note:
        lines.append(Line.of(note, Role.NOTE))
    return lines


def wrap_equation(line: str, width: int) -> list[str]:
    """``line`` in pieces of at most ``width`` columns, broken before an `` = `` or a shape story.

    Continuation pieces are indented so that their ``=`` sits under the first one.
    A piece that cannot be broken is left long (the widget wraps it).
    """
    if width <= 0 or len(line) <= width:
        return [line]
    pieces = [p for p in BREAKS.split(line) if p]
    hang = " " * (len(pieces[0]) + 1)
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + len(piece) <= width:
            lines[-1] += piece
        else:
            lines[-1] = lines[-1].rstrip()
            lines.append(hang + piece.strip())
    return lines


def _equation(
    marker: str, equation: str, width: int, role: Role, value: np.ndarray | None = None
) -> list[Line]:
    """``equation`` broken to fit ``width``; its ``value``, if a matrix too wide, a row a line."""
    usable = width - len(marker) if width else 0
    pieces = wrap_equation(equation, usable)
    if value is not None and value.ndim in (1, 2):
        pieces = [q for p in pieces for q in _value_rows(p, value, usable)]
    return [Line.of(f"{marker if n == 0 else EARLIER}{p}", role) for n, p in enumerate(pieces)]


def _prediction(walk: DerivationWalk, record: TraceRecord) -> list[Line]:
    kept = walk.predictions.get(record.target)
    if kept is None or kept.open:
        return []
    line = predicted_line(record.target, kept, walk.messages.get(record.target))
    return [line.indented(EARLIER)] if line is not None else []


def _value_rows(piece: str, value: np.ndarray, usable: int) -> list[str]:
    """``piece`` as it is, unless it is the ``= [[…]]`` of ``value`` and too wide: then the
    matrix a row a line (as a product's value is), its ``=`` where it was."""
    body = piece.lstrip()
    if not usable or len(piece) <= usable or not body.startswith("= ["):
        return [piece]
    hang = " " * (len(piece) - len(body))
    rows = array_lines(value, usable - len(hang) - 2)
    return [f"{hang}= {rows[0]}", *(f"{hang}  {row}" for row in rows[1:])]
