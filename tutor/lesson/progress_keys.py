"""The keys a lesson's progress is kept under (imports nothing, so the UI may use it at once).

A block is ``"step:part"`` (both counted from 0); a derive block's predictions are kept
under its key by their target (see :class:`~tutor.store.progress.LessonProgress`).
"""

from __future__ import annotations


def block_key(step: int, part: int) -> str:
    """The progress key of part ``part`` of step ``step``."""
    return f"{step}:{part}"
