"""The question families: generators that take a seeded ``np.random.Generator``.

Provides :class:`Family`, :data:`FAMILIES` (every family, in the order of the lessons
that teach them), :func:`get_family`, :func:`topics`, :func:`select` and :func:`taught`.
"""

from __future__ import annotations

from tutor.quiz.families import (
    activations,
    chain,
    checking,
    classification,
    gradient_paths,
    matrices,
    walkthrough,
)
from tutor.quiz.families.base import LESSONS, REGISTRY, Family, taught

__all__ = ["FAMILIES", "Family", "get_family", "select", "taught", "topics"]

_MODULES = (activations, chain, checking, classification, gradient_paths, matrices, walkthrough)
FAMILIES: tuple[Family, ...] = tuple(
    sorted(REGISTRY.values(), key=lambda f: LESSONS.index(f.lesson))
)
"""Every family (importing the modules registered them), lesson by lesson."""


def get_family(family_id: str) -> Family:
    """The family with this id (KeyError if there is none)."""
    return REGISTRY[family_id]


def topics() -> tuple[str, ...]:
    """Every topic, in the order the families introduce them."""
    return tuple(dict.fromkeys(f.topic for f in FAMILIES))


def select(topic: str | None = None, difficulty: int | None = None) -> tuple[Family, ...]:
    """The families of ``topic`` and ``difficulty`` (None: any)."""
    return tuple(
        f
        for f in FAMILIES
        if (topic is None or f.topic == topic)
        and (difficulty is None or f.difficulty == difficulty)
    )
