"""What the tutor says when progress cannot be saved, and when it can be again.

Provides :func:`not_saved` (said once when a save fails: what is kept),
:data:`SAVED_AGAIN`, and :func:`lost` (said at the end when the last save failed too),
for the TUI's notices and the plain front end's stderr alike.
"""

from __future__ import annotations

from pathlib import Path

SAVED_AGAIN = "Saved: your progress is written again."


def not_saved(reason: str) -> str:
    """A save failed: the progress is kept in memory and written at the next change."""
    return (
        f"Not saved: your progress could not be written ({reason}). It is kept, and saved "
        "again at the next change."
    )


def lost(reason: str, directory: Path | str) -> str:
    """The session ends with progress that could not be written: what is lost, what to do."""
    return (
        f"Your progress is NOT saved: {reason}. What you did since the last save is lost; "
        f"free some space (or make the data directory {directory} writable) before the "
        "next session."
    )
