"""A lesson's front matter, checked: id, title, number, summary, prerequisites, minutes.

Provides :class:`FrontMatter` and :func:`front_matter`, which checks every key of the
front matter's :class:`~tutor.formats.toml_keys.BlockSource` with the one key checker.
Imports no engine and no NumPy, so a lesson's outline can be read without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.formats.problem import Problem
from tutor.formats.toml_keys import BlockSource, KeyChecker
from tutor.formats.tomlsource import describe_value

LESSON_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LESSON_NUMBER = re.compile(r"[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*\Z")
FRONT_MATTER_KEYS = ("id", "title", "number", "summary", "prerequisites", "minutes")


@dataclass(frozen=True)
class FrontMatter:
    """The checked front matter of a lesson."""

    id: str
    title: str
    number: str = ""
    summary: str = ""
    prerequisites: tuple[str, ...] = ()
    minutes: int | None = None


def front_matter(where: BlockSource, problems: list[Problem]) -> FrontMatter:
    """Check the front matter; missing or bad values are reported and left empty."""
    check = KeyChecker(where, problems)
    check.known_keys(FRONT_MATTER_KEYS)
    lesson_id = check.identifier(
        "id", LESSON_ID, 'lowercase letters, digits and single dashes, e.g. "backprop"'
    )
    title = check.text("title", required=True, example='"Backpropagation"')
    return FrontMatter(
        id=lesson_id or "",
        title=title or "",
        number=_lesson_number(check),
        summary=check.text("summary") or "",
        prerequisites=check.strings("prerequisites") or (),
        minutes=check.integer("minutes", 1, 10_000),
    )


def _lesson_number(check: KeyChecker) -> str:
    """The front matter's ``number`` as text ("" if absent or unusable, which is reported)."""
    number = check.table.get("number", "")
    if isinstance(number, str) and not number.strip():
        return ""
    text = str(number).strip()
    if isinstance(number, str | int) and not isinstance(number, bool) and LESSON_NUMBER.match(text):
        return text
    check.problem(
        "number",
        "`number` must be a whole number, or a string of digits or letters separated by dots "
        f'or dashes such as "3.4" (write decimals as strings), found {describe_value(number)}',
    )
    return ""
