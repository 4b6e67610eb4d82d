"""Messages the tutor's widgets and workers post to their screens, as small dataclasses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from tutor.engine import NetworkSpec
    from tutor.lesson.catalog import LessonEntry
    from tutor.store.progress import Answered


@dataclass
class CatalogLoaded(Message, bubble=False):
    """The lesson files have been parsed: every entry found, or why none could be read."""

    entries: Sequence[LessonEntry]
    error: str | None = None


@dataclass
class ProgressWritten(Message):
    """A write of the progress file failed (``error``), or worked again after a failure."""

    error: str | None


@dataclass
class QuestionDrawn(Message):
    """A quiz block drew its question: the network with the numbers it drew."""

    key: str
    spec: NetworkSpec


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
class AnswerKept(Message):
    """A lesson question was drawn, tried or is over: keep it in progress (open until over)."""

    key: str
    record: Answered


@dataclass
class PredictionKept(Message):
    """A derivation's walk kept a prediction in the learner's progress: save it."""

    key: str
    target: str


@dataclass
class Computed(Message):
    """A worker finished an engine computation for the block ``key``."""

    key: str
    result: Any
    error: str | None = None


@dataclass
class CheckStarted(Message):
    """A worker started checking the learner's file of the exercise block ``key``."""

    key: str


def post_computed(widget: Widget, key: str, compute: Callable[[], Any], failure: str) -> None:
    """Run ``compute`` (in a thread worker) and post its result, or why it failed, to ``widget``.

    An engine failure is shown to the learner as ``failure: reason``, never raised into the UI.
    """
    try:
        result = compute()
    except Exception as exc:
        widget.post_message(Computed(key, None, f"{failure}: {exc}"))
    else:
        widget.post_message(Computed(key, result))
