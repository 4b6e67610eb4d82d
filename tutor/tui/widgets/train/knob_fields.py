"""The knob fields of the train view: a label and a fixed-width field per knob, wrapping.

Provides :class:`KnobFields`, a grid of label + input pairs whose columns follow
the width available (three at 80 columns, one when narrow), each field wide
enough to show its whole value; every field is validated as typed with
:func:`tutor.training.parse_knob`, and :meth:`KnobFields.read` returns the values or
the first refusal.  :class:`KnobValidator` does the checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ItemGrid
from textual.validation import ValidationResult, Validator
from textual.widgets import Input

from tutor.training import KNOB_LABELS, KnobError, Knobs, parse_knob
from tutor.training.knobs import CHOICES
from tutor.tui.literal import PlainLabel

LABEL_WIDTH = 13
"""Cells for a knob's label ("hidden width" and a space)."""
FIELD_WIDTH = 10
"""Cells for a knob's value: "200000", "0.0001" or "1e-06" with the cursor after it."""


def field_width(knob: str) -> int:
    """Cells for ``knob``'s field: :data:`FIELD_WIDTH`, or its longest choice and the cursor."""
    return max([FIELD_WIDTH, *(len(choice) + 1 for choice in CHOICES.get(knob, ()))])


class KnobValidator(Validator):
    """Checks the text of one knob's field with :func:`tutor.training.parse_knob`."""

    def __init__(self, knob: str) -> None:
        super().__init__()
        self.knob = knob

    def validate(self, value: str) -> ValidationResult:
        """Success, or a failure whose description says why the value is refused."""
        try:
            parse_knob(self.knob, value)
        except KnobError as exc:
            return self.failure(exc.reason, value)
        return self.success()


class KnobInput(Input):
    """A knob's field; the footer says that Enter trains.  A knob with a few named values
    (optimizer, init scheme, activation, loss) also steps through them with ↑ and ↓."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Train"),
        Binding("up", "choose(-1)", "Previous choice"),
        Binding("down", "choose(1)", "Next choice"),
    ]

    def __init__(self, knob: str, value: str) -> None:
        super().__init__(
            value,
            id=f"knob-{knob}",
            validators=[KnobValidator(knob)],
            validate_on=["changed", "submitted"],
            compact=True,
            select_on_focus=False,
        )
        self.knob = knob
        self.choices = tuple(CHOICES.get(knob, ()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """↑ and ↓ choose only in a field that has choices."""
        return bool(self.choices) if action == "choose" else True

    def action_choose(self, step: int) -> None:
        """The next (or previous) of the knob's named values."""
        typed = self.value.strip().lower()
        index = self.choices.index(typed) if typed in self.choices else -step
        self.value = self.choices[(index + step) % len(self.choices)]
        self.cursor_position = len(self.value)


class KnobFields(ItemGrid):
    """One label and field per editable knob, as many pairs a row as fit."""

    DEFAULT_CSS = f"""
    KnobFields {{
        grid-gutter: 0 2;
        grid-rows: 1;
    }}
    KnobFields > Horizontal {{ height: 1; }}
    KnobFields Label {{ width: {LABEL_WIDTH}; }}
    """

    def __init__(self, knobs: Sequence[str], values: Knobs, *, id: str | None = None) -> None:
        widest = max((field_width(knob) for knob in knobs), default=FIELD_WIDTH)
        super().__init__(id=id, min_column_width=LABEL_WIDTH + widest)
        self.knobs = list(knobs)
        self.values = values

    def compose(self) -> ComposeResult:
        """A label and a compact field per knob, the field showing the knob's value."""
        for knob in self.knobs:
            value = "" if getattr(self.values, knob) is None else self.values.display(knob)
            field = KnobInput(knob, value.replace(",", ""))
            field.styles.width = field_width(knob)
            yield Horizontal(PlainLabel(KNOB_LABELS[knob]), field)

    def read(self) -> dict[str, Any] | tuple[Input, KnobError]:
        """The values typed, or the first field whose value is refused and why."""
        values: dict[str, Any] = {}
        for field in self.query(Input):
            knob = field.id.removeprefix("knob-") if field.id else ""
            try:
                values[knob] = parse_knob(knob, field.value)
            except KnobError as exc:
                return field, exc
        return values
