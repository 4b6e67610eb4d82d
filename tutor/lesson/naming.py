"""How a learner names a lesson on the command line: by its id, or by its number as listed.

Provides :func:`lesson_id_for` (the id a name stands for) and :func:`no_such_lesson`
(what to say when it stands for none).  Both take the usable lessons as
``(id, number)`` pairs in the order the lesson list shows them, so neither needs
the lessons parsed (the catalog cache has both).
"""

from __future__ import annotations

from collections.abc import Sequence

Known = Sequence[tuple[str, str]]
"""Each usable lesson's id and number ("" if it has none), in the lesson list's order."""


def lesson_id_for(name: str, known: Known) -> str | None:
    """The id of the lesson ``name`` names: an id first, else a number (``3.4``); or None."""
    if any(name == lesson_id for lesson_id, _ in known):
        return name
    return next((lesson_id for lesson_id, number in known if number and name == number), None)


def no_such_lesson(name: str, known: Known) -> str:
    """Why ``name`` opens nothing, with the lessons there are (number and id, in order)."""
    if not known:
        return f"no lesson {name!r}; no lessons were found"
    listed = ", ".join(
        f"{number} {lesson_id}" if number else lesson_id for lesson_id, number in known
    )
    return f"no lesson {name!r}; the lessons are: {listed}"
