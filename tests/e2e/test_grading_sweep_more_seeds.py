"""The grading properties of ``tests/core/test_grading_sweep.py`` over 240 more seeds of every
quiz family: a minute of processor time, so it is kept out of the core loop and marked slow."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.core.test_grading_sweep import sweep
from tutor.quiz.families import FAMILIES

MORE_SEEDS = range(60, 300)


@pytest.mark.slow
@pytest.mark.parametrize("family", [f.id for f in FAMILIES])
def test_the_grading_properties_hold_over_more_seeds(family: str) -> None:
    assert sweep(family, MORE_SEEDS) == Counter()
