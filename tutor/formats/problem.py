"""Provides :class:`Problem`: one thing wrong with a file a person wrote, at its line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: printed as ``path:line: message``.

    Line 0 means the problem is with the file as a whole (``path: message``).
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
