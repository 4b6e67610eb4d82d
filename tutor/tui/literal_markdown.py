"""Prose as Markdown, the boundary's one Markdown widget (see :mod:`tutor.tui.literal`).

Provides :class:`VisibleMarkdown`.  Apart from :mod:`tutor.tui.literal` so that what
starts the tutor (the home screen) does not load a Markdown parser.
"""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete
from textual.widgets import Markdown

from tutor.text.visible import visible


class VisibleMarkdown(Markdown):
    """Textual's ``Markdown``, its source's control characters spelled out."""

    def __init__(self, markdown: str | None = None, **kwargs: Any) -> None:
        super().__init__(None if markdown is None else visible(markdown, lines=True), **kwargs)

    def update(self, markdown: str) -> AwaitComplete:
        """Show ``markdown`` (control characters spelled out)."""
        return super().update(visible(markdown, lines=True))

    def append(self, markdown: str) -> AwaitComplete:
        """Add ``markdown`` at the end (control characters spelled out)."""
        return super().append(visible(markdown, lines=True))
