"""Spaced repetition over question families: Leitner boxes kept in ``FamilyStats``.

A family answered right moves up one box and comes back later (1, 3, 7 and 16
days); answered wrong it drops to box 1, which is due at once, so the next quiz
starts with it.  :func:`choose` picks the next family: due ones first, families asked
less often in this quiz before others, then the earliest due, then the easier,
and a seeded order breaks the remaining ties, so the same seed and history give the same choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from tutor.store.progress import FamilyStats

INTERVALS = {
    1: timedelta(0),
    2: timedelta(days=1),
    3: timedelta(days=3),
    4: timedelta(days=7),
    5: timedelta(days=16),
}
TOP_BOX = max(INTERVALS)
REVIEW_HORIZON = timedelta(hours=12)


def record(stats: FamilyStats, right: bool, now: datetime) -> None:
    """Update ``stats`` after one question of its family: Leitner box, streak, due time.

    ``right`` means answered correctly with no wrong attempt before; ``attempts``
    counts questions, ``correct`` the ones that were right.
    """
    stats.attempts += 1
    if right:
        stats.correct += 1
        stats.streak += 1
        stats.box = min(max(stats.box, 1) + 1, TOP_BOX)
    else:
        stats.streak = 0
        stats.box = 1
    stats.last_seen = now.isoformat(timespec="seconds")
    stats.due = (now + INTERVALS[stats.box]).isoformat(timespec="seconds")


def due_time(stats: FamilyStats | None) -> datetime | None:
    """When a family is due again (None: never seen, so due now)."""
    if stats is None or stats.due is None:
        return None
    due = datetime.fromisoformat(stats.due)
    return due.replace(tzinfo=None)


def choose(
    candidates: Sequence[str],
    stats: Mapping[str, FamilyStats],
    now: datetime,
    *,
    asked: Mapping[str, int] | None = None,
    order: Sequence[str] = (),
    difficulty: Mapping[str, int] | None = None,
) -> str:
    """The family to ask next among ``candidates`` (ids).

    ``asked`` counts the questions of each family already asked in this quiz;
    ``difficulty`` puts easier families first among equals; ``order`` is a
    seeded permutation that breaks the remaining ties.
    """
    if not candidates:
        raise ValueError("no question families to choose from")
    asked = asked or {}
    difficulty = difficulty or {}
    rank = {family: i for i, family in enumerate(order)}

    def key(family: str) -> tuple[bool, int, datetime, int, int]:
        due = due_time(stats.get(family))
        is_due = due is None or due <= now
        return (
            not is_due,
            asked.get(family, 0),
            due or now,
            difficulty.get(family, 0),
            rank.get(family, len(rank)),
        )

    return min(candidates, key=key)


def due_for_review(
    stats: Mapping[str, FamilyStats], now: datetime, within: timedelta = REVIEW_HORIZON
) -> list[str]:
    """Families seen before and due within ``within`` of ``now``, soonest first."""
    found = [(due, family) for family, s in stats.items() if (due := due_time(s)) is not None]
    return [family for due, family in sorted(found) if due <= now + within]
