"""Provides :class:`FormsReminder`: the table of accepted answer forms, shown once.

Apart from :mod:`tutor.answers.attempt` and importing nothing of it (nor NumPy), so a
screen can hold one before any question is asked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FormsReminder:
    """Shows the table of accepted answer forms with the first unreadable answer only."""

    shown: bool = False

    def first_time(self) -> str:
        """The table the first time it is asked for, then ""."""
        if self.shown:
            return ""
        from tutor.answers.parse import ACCEPTED_FORMS

        self.shown = True
        return ACCEPTED_FORMS
