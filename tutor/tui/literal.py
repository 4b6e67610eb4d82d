"""Text is shown as text: the one boundary between strings from files and the screen.

A lesson title, a file name, a hint or a string in ``progress.json`` may hold
``[b]``, ``[/]`` or ``[@click=app.quit]``.  Parsed as markup it would crash a
screen, hide text (``x[i]`` shown as ``x``) or run an action on a click.  So in
``tutor.tui`` markup is off by default:

- every text widget is a :class:`Plain` (or a :class:`PlainLabel`), a ``Static``
  that never parses markup (``tutor.tui`` imports ``Static`` and ``Label`` nowhere
  else; a test checks);
- styled text is :class:`~textual.content.Content` built by :func:`literal` (or
  ``Content.assemble``): strings go in as text and styles beside them, never text
  inside a markup string.  Markup written in this package is parsed by :func:`authored`,
  which is called only at module level (a test checks), before any file is read;
- table cells and option prompts are Content too (Textual reads a str as markup);
- notifications go through ``TutorApp.notify``, which never parses markup;
- the command palette gets Content for its prompts (:func:`highlighted`) and its
  help lines too: Textual reads a str help as markup, and passes Content through.

Markdown is rendered by :class:`~tutor.tui.literal_markdown.VisibleMarkdown` (``Markdown``
is imported nowhere else), which reads Markdown only; it lives in its own module, so that
the home screen's start does not load a Markdown parser.  A step's prose is drawn from
``tui/widgets/prose_layout.py``'s pieces, whose Content is built with :func:`literal`.

Control characters are a second danger: ``Content`` keeps an ``ESC``, so a file named
with an escape sequence would reach the terminal (a window title changed, the
clipboard written).  Every helper here, :class:`Plain`, ``VisibleMarkdown`` and
the screens' titles (``TutorScreen``) pass text through
:func:`tutor.text.visible.visible`, the boundary the plain terminal uses too, and
``Content``/``Text`` are built from a str only here (a test checks); code is highlighted
by :func:`literal_code`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.fuzzy import Matcher
from textual.visual import VisualType
from textual.widgets import Label, Static

from tutor.text.visible import visible


def literal(text: str, style: str = "") -> Content:
    """``text`` as written, control characters spelled out, in ``style`` if one is given."""
    text = visible(text, lines=True)
    return Content.styled(text, style) if style else Content(text)


def literal_text(text: str, style: str = "", **options: Any) -> Text:
    """``text`` as a Rich ``Text``, control characters spelled out: for a ``DataTable``
    column label, which Textual 8.2 takes as a str (read as markup) or a Text, not Content."""
    return Text(visible(text, lines=True), style=style, **options)


def literal_code(code: str, language: str, *, line_numbers: bool = False) -> Content:
    """``code`` highlighted as ``language`` (Textual's highlighter, in the theme's colours),
    control characters spelled out; with ``line_numbers``, each line after its number."""
    from textual.highlight import highlight  # Pygments: loaded by the first code shown

    content = highlight(visible(code.removesuffix("\n"), lines=True), language=language)
    if not line_numbers:
        return content
    lines = content.split("\n", allow_blank=True)
    width = len(str(len(lines)))
    return Content("\n").join(
        Content.assemble(literal(f"{n:>{width}} ", "dim"), line)
        for n, line in enumerate(lines, start=1)
    )


def authored(markup: str) -> Content:
    """Markup written in this package, parsed: for module constants only, never file text."""
    return Content.from_markup(markup)


def highlighted(text: str, matcher: Matcher) -> Content:
    """``text`` as a palette prompt, the letters the query matched highlighted."""
    content = Content(visible(text))
    text = content.plain  # offsets count in what is shown
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class Plain(Static):
    """A ``Static`` whose strings are shown as text, never parsed as markup."""

    def __init__(
        self,
        content: VisualType = "",
        *,
        expand: bool = False,
        shrink: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            _shown(content),
            expand=expand,
            shrink=shrink,
            markup=False,
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
        )

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content``; a str is shown as text, control characters spelled out."""
        super().update(_shown(content), layout=layout)


class PlainLabel(Label):
    """A ``Label`` (sized to its text) whose strings are never parsed as markup."""

    def __init__(self, content: VisualType = "", *, id: str | None = None) -> None:
        super().__init__(_shown(content), markup=False, id=id)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content``; a str is shown as text, control characters spelled out."""
        super().update(_shown(content), layout=layout)


def _shown(content: VisualType) -> VisualType:
    return visible(content, lines=True) if isinstance(content, str) else content
