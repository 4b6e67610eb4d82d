"""Data sets made in code, never downloaded: K interleaved spirals in the plane.

Provides :func:`spirals` (points and class labels, seeded by an
``np.random.Generator``), :func:`one_hot`, :func:`split` (a held-out test set)
and :class:`Dataset` / :func:`make_dataset`, which bundle them as a spec's
``[data]`` table asks.  Columns are examples, as everywhere in the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
DATASETS = ("spirals",)
"""The kinds of data set the engine can make."""


def spirals(
    classes: int,
    per_class: int,
    rng: np.random.Generator,
    *,
    noise: float = 0.2,
    turns: float = 1.0,
) -> tuple[Array, Array]:
    """``classes`` spiral arms of ``per_class`` points each: x (2, m) and labels (m,).

    Arm k starts near the origin at the angle 2πk/K and winds ``turns`` times
    outwards to radius 1; each point's angle is jittered by ``noise`` radians
    (scaled down near the centre, where the arms are close together).
    """
    radius = np.linspace(0.1, 1.0, per_class)
    xs, labels = [], []
    for k in range(classes):
        angle = 2 * math.pi * (k / classes + turns * radius)
        angle = angle + noise * rng.standard_normal(per_class) * radius
        xs.append(np.stack([radius * np.cos(angle), radius * np.sin(angle)]))
        labels.append(np.full(per_class, k))
    return np.concatenate(xs, axis=1), np.concatenate(labels)


def one_hot(labels: Array, classes: int) -> Array:
    """The one-hot targets (classes, m) of integer labels (m,)."""
    return np.eye(classes)[:, np.asarray(labels, dtype=int)]


def split(x: Array, labels: Array, test: float, rng: np.random.Generator) -> tuple[Array, ...]:
    """x_train, labels_train, x_test, labels_test: a random ``test`` fraction held out."""
    order = rng.permutation(x.shape[1])
    held = round(test * x.shape[1])
    test_ids, train_ids = np.sort(order[:held]), np.sort(order[held:])
    return x[:, train_ids], labels[train_ids], x[:, test_ids], labels[test_ids]


@dataclass(frozen=True)
class Dataset:
    """A data set split into training and test examples, targets one-hot."""

    kind: str
    classes: int
    x_train: Array
    t_train: Array
    x_test: Array
    t_test: Array

    def describe(self) -> str:
        """``3 spirals: 240 training and 60 test points``."""
        return (
            f"{self.classes} {self.kind}: {self.x_train.shape[1]:,} training and "
            f"{self.x_test.shape[1]:,} test points"
        )


def make_dataset(
    kind: str,
    *,
    classes: int = 3,
    points: int = 100,
    noise: float = 0.2,
    turns: float = 1.0,
    test: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """The data set ``kind`` (``spirals``): ``points`` per class, ``test`` of them held out."""
    if kind not in DATASETS:
        raise ValueError(f"unknown data set {kind!r}; use one of {', '.join(DATASETS)}")
    rng = np.random.default_rng(seed)
    x, labels = spirals(classes, points, rng, noise=noise, turns=turns)
    x_train, l_train, x_test, l_test = split(x, labels, test, rng)
    return Dataset(
        kind, classes, x_train, one_hot(l_train, classes), x_test, one_hot(l_test, classes)
    )
