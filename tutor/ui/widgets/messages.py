"""Messages the tutor's widgets post to their screens, as small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class StepChosen(Message):
    """The learner picked a step in the outline."""

    index: int


@dataclass
class RevealChanged(Message):
    """A derivation revealed or hid a stage; ``key`` names the block in progress."""

    key: str
    revealed: int


@dataclass
class PredictionMade(Message):
    """The learner predicted a product before it was revealed."""

    key: str
    answer: str
    outcome: str


@dataclass
class Computed(Message):
    """A worker finished an engine computation for the block ``key``."""

    key: str
    result: Any
    error: str | None = None
