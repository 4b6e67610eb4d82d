"""What a gradient check says: the engine's :class:`~tutor.engine.GradCheck` in words.

Provides :func:`gradcheck_status` (ε and whether backprop agrees, and which loss a
planted bug backpropagates), :func:`gradcheck_table` (parameter, relative error and
verdict per parameter and overall, each verdict in the role of a right or a wrong
answer), :func:`gradcheck_notes` (what the relative error means, and why a check at a
ReLU kink fails without a bug) and :func:`gradcheck_lines` (all of it as lines: the
plain lesson and ``solve``).  The gradcheck view shows the same status, cells and notes.
"""

from __future__ import annotations

from tutor.engine import GradCheck
from tutor.present.lines import Line, Role
from tutor.text.numbers import format_number

HEADER = ("parameter", "relative error", "verdict")
PARAM_VERDICTS = {True: ("ok", Role.CORRECT), False: ("MISMATCH", Role.WRONG)}
"""A parameter's verdict by whether it passed: a pass looks like a right answer."""
OVERALL_VERDICTS = {True: ("passed", Role.CORRECT), False: ("FAILED", Role.WRONG)}
"""The overall verdict by whether the check passed."""
OVERALL = "overall"
MAX_KINKS_SHOWN = 4
INDENT = "  "

Cell = tuple[str, Role]


def gradcheck_status(check: GradCheck, *, backprop_loss: str | None = None, loss: str = "") -> Line:
    """``Gradient check (central differences, ε = 1e-05): backprop agrees.``

    ``backprop_loss``: the loss a block's planted bug backpropagates instead of ``loss``.
    """
    epsilon = format_number(check.epsilon)
    said, role = (
        ("backprop agrees.", Role.CORRECT) if check.passed else ("backprop disagrees!", Role.WRONG)
    )
    bug = (
        f" Backprop here uses the {backprop_loss} loss while the numbers measure {loss}."
        if backprop_loss
        else ""
    )
    return Line.join(f"Gradient check (central differences, ε = {epsilon}): ", (said, role), bug)


def gradcheck_table(check: GradCheck) -> list[tuple[Cell, Cell, Cell]]:
    """The header, a row per parameter, then the overall row: each cell with its role."""
    rows: list[tuple[Cell, Cell, Cell]] = [
        ((HEADER[0], Role.LEAD), (HEADER[1], Role.LEAD), (HEADER[2], Role.LEAD))
    ]
    for param in check.params:
        error = (format_number(param.relative_error, 3), Role.TEXT)
        rows.append(((param.name, Role.TEXT), error, PARAM_VERDICTS[param.passed]))
    overall = (format_number(check.relative_error, 3), Role.TEXT)
    rows.append(((OVERALL, Role.LEAD), overall, OVERALL_VERDICTS[check.passed]))
    return rows


def gradcheck_notes(check: GradCheck) -> list[str]:
    """What the relative error means; with failing entries at a ReLU kink, why that is no bug."""
    threshold = format_number(check.threshold)
    notes = [
        f"Relative error ‖a − n‖ / (‖a‖ + ‖n‖): below {threshold} means backprop agrees "
        "with the numerical slope; a gradient off by a factor of 2 gives 1/3."
    ]
    if check.kinks:
        notes.append(kink_note(check))
    return notes


def kink_note(check: GradCheck) -> str:
    """Why a check fails at ReLU kinks: which entries, which layers, and that it is no bug."""
    entries = ", ".join(
        f"{k.param}[{','.join(str(i + 1) for i in k.index)}]"  # counted from 1, as W1[2,1]
        for k in check.kinks[:MAX_KINKS_SHOWN]
    )
    hidden = len(check.kinks) - MAX_KINKS_SHOWN
    more = f" and {hidden} more" if hidden > 0 else ""
    layers = ", ".join(str(n) for n in sorted({k.layer for k in check.kinks}))
    word = "layer" if "," not in layers else "layers"
    return (
        f"At a ReLU kink: moving {entries}{more} by ±ε carries a z of {word} {layers} "
        "across 0, where ReLU has no slope. The central difference averages the slopes on "
        "the two sides; backprop takes ReLU′(0) = 0. The failing entries sit at the kink, "
        "so this mismatch is not a bug in backprop."
    )


def gradcheck_lines(
    check: GradCheck, *, backprop_loss: str | None = None, loss: str = ""
) -> list[Line]:
    """The status, the table in aligned columns, then the notes."""
    table = gradcheck_table(check)
    name_width = max(len(row[0][0]) for row in table)
    error_width = max(len(row[1][0]) for row in table)
    lines = [gradcheck_status(check, backprop_loss=backprop_loss, loss=loss)]
    for (name, name_role), (error, _), verdict in table:
        lines.append(
            Line.join(
                (f"{INDENT}{name:<{name_width}}", name_role),
                f"  {error:>{error_width}}  ",
                verdict,
            )
        )
    lines.extend(Line.of(INDENT + note) for note in gradcheck_notes(check))
    return lines
