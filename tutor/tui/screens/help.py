"""The help overlay: the keys of the screen it was opened from, and how a lesson works."""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from tutor.tui.literal import Plain, authored, literal


def reflow(text: str) -> str:
    """Lines of a paragraph joined with spaces; blank lines stay paragraph breaks."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


LESSON_TIPS = authored(
    reflow("""\
A lesson is a sequence of steps. In a derivation, [b]n[/b] first reveals the forward
pass value by value, then the backward pass one chain-rule product at a time,
exactly as the engine computed it; [b]p[/b] hides the last one again, and [b]x[/b]
writes a matrix product out path by path (each entry the sum it is). When the
lesson asks for a prediction, type a number (or your working, e.g. -0.4*0.25)
and press Enter; Escape skips the prediction. Once a derivation is finished, [b]p[/b]
steps back over it whole; [b]\\[[/b] and [b]][/b] always move whole steps. Wherever the
focus is, [b]r[/b] trains the step's network and [b]a[/b] goes to the answer field; Tab
goes through the step's question and panels in reading order; Esc leaves a field or a
panel, and with nothing focused goes back to the lessons. Your place is saved after
every key.
In a code exercise your file is checked every time it is saved: [b]e[/b] opens it in
$VISUAL or $EDITOR, [b]i[/b] edits it here ([b]ctrl+s[/b] saves, Escape leaves the
editor), [b]h[/b] gives the next hint, [b]s[/b] the solution, [b]r[/b] starts over,
[b]c[/b] checks now.""")
)
KEYS_HEADING = authored("[b]Keys[/b]")
CLOSING = authored("[dim]Esc or ? closes this help.[/dim]")


ONE_COLUMN_ROWS = 8
"""More keys than this are laid out in two columns, so the tips below stay on screen."""
GAP = "  "
"""Between a key and what it does, and between two columns."""


def declared_by_tutor(node: DOMNode, binding: Binding) -> bool:
    """Whether ``binding`` is one of this app's (not a key Textual gives every input or app)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("tutor.") or "BINDINGS" not in cls.__dict__:
            continue
        for declared in cls.__dict__["BINDINGS"]:
            if isinstance(declared, Binding):
                keys, action = declared.key, declared.action
            else:
                keys, action = declared[0], declared[1]
            # by key and action: a screen may say a key differently (e served: Download)
            if action == binding.action and binding.key in keys.split(","):
                return True
    return False


def key_table(screen: Screen) -> Content:
    """This app's active bindings of ``screen`` with a description, keys grouped by what they do.

    The screen's own keys come first, then the app-wide ones (the palette, dark/light).
    Keys Textual binds in every input or app (cursor moves, copy, quit) are left out.
    """
    keys: dict[str, list[str]] = {}
    app_wide: dict[str, bool] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not declared_by_tutor(active.node, binding):
            continue
        app_wide.setdefault(binding.description, active.node is screen.app)
        keys.setdefault(binding.description, []).append(screen.app.get_key_display(binding))
    rows = [
        (" / ".join(dict.fromkeys(keys[description])), description)
        for description in sorted(keys, key=lambda description: app_wide[description])
    ]
    if not rows:
        return Content()
    columns = 2 if len(rows) > ONE_COLUMN_ROWS else 1
    height = -(-len(rows) // columns)
    stacks = [rows[column * height : (column + 1) * height] for column in range(columns)]
    widths = [
        (max(len(key) for key, _ in stack), max(len(said) for _, said in stack)) for stack in stacks
    ]
    lines = []
    for index in range(height):
        pieces: list[Content] = []
        for stack, (key_width, said_width) in zip(stacks, widths, strict=True):
            if index < len(stack):
                key, said = stack[index]
                if pieces:
                    pieces.append(literal(GAP))
                pieces.append(literal(key.ljust(key_width), "bold"))
                pieces.append(literal(GAP + said.ljust(said_width)))
        lines.append(Content.assemble(*pieces).rstrip())
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Keys of the screen underneath, plus a few words on how lessons work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]

    def __init__(self, origin: Screen, *, tips: Content = LESSON_TIPS) -> None:
        super().__init__()
        self._keys = key_table(origin)
        self._tips = tips

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Plain(KEYS_HEADING, classes="help-heading")
            yield Plain(self._keys)
            yield Plain(self._tips, classes="help-tips")
            yield Plain(CLOSING)
