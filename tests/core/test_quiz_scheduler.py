"""Leitner scheduling: a missed family comes back sooner than one answered right."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tutor.quiz import scheduler
from tutor.store.progress import FamilyStats

NOW = datetime(2030, 5, 1, 12, 0, 0)


def test_right_moves_up_a_box_and_wrong_drops_to_box_one() -> None:
    stats = FamilyStats()
    scheduler.record(stats, True, NOW)
    assert (stats.box, stats.streak, stats.attempts, stats.correct) == (2, 1, 1, 1)
    scheduler.record(stats, True, NOW)
    assert stats.box == 3
    scheduler.record(stats, False, NOW)
    assert (stats.box, stats.streak, stats.attempts, stats.correct) == (1, 0, 3, 2)
    assert stats.last_seen == NOW.isoformat(timespec="seconds")


def test_missed_is_due_sooner_than_right() -> None:
    missed, right = FamilyStats(), FamilyStats()
    scheduler.record(missed, False, NOW)
    scheduler.record(right, True, NOW)
    assert scheduler.due_time(missed) < scheduler.due_time(right)
    assert scheduler.due_time(missed) - NOW < timedelta(hours=1)
    assert scheduler.due_time(right) - NOW >= timedelta(days=1)


def test_box_never_exceeds_the_top() -> None:
    stats = FamilyStats()
    for _ in range(10):
        scheduler.record(stats, True, NOW)
    assert stats.box == scheduler.TOP_BOX


@pytest.mark.parametrize("later", [timedelta(0), timedelta(hours=1), timedelta(days=2)])
def test_choose_brings_a_missed_family_back_first(later: timedelta) -> None:
    stats = {name: FamilyStats() for name in ("a", "b", "c")}
    scheduler.record(stats["a"], True, NOW)
    scheduler.record(stats["b"], False, NOW)
    scheduler.record(stats["c"], True, NOW)
    order = ["a", "c", "b"]  # the seeded tie-break order would put b last
    assert scheduler.choose(["a", "b", "c"], stats, NOW + later, order=order) == "b"


def test_unseen_families_are_due_and_ordered_by_difficulty_then_seed() -> None:
    stats: dict[str, FamilyStats] = {}
    difficulty = {"hard": 3, "easy": 1, "mid": 2}
    assert scheduler.choose(["hard", "mid", "easy"], stats, NOW, difficulty=difficulty) == "easy"
    assert scheduler.choose(["x", "y"], stats, NOW, order=["y", "x"]) == "y"


def test_families_asked_less_in_this_quiz_come_first() -> None:
    assert scheduler.choose(["x", "y"], {}, NOW, asked={"x": 1}, order=["x", "y"]) == "y"


def test_choose_without_candidates_is_an_error() -> None:
    with pytest.raises(ValueError):
        scheduler.choose([], {}, NOW)


def test_due_for_review_lists_missed_families_soonest_first() -> None:
    stats = {name: FamilyStats() for name in ("a", "b", "c", "unseen")}
    scheduler.record(stats["a"], True, NOW)
    scheduler.record(stats["b"], False, NOW)
    scheduler.record(stats["c"], False, NOW - timedelta(hours=1))
    assert scheduler.due_for_review(stats, NOW) == ["c", "b"]


def test_a_family_missed_just_now_starts_the_next_quiz() -> None:
    """Before any unseen family, even one second later: weak families come back next time."""
    missed = FamilyStats()
    scheduler.record(missed, False, NOW)
    stats = {"weak": missed}
    later = NOW + timedelta(seconds=1)
    assert scheduler.choose(["fresh", "weak", "other"], stats, later) == "weak"
