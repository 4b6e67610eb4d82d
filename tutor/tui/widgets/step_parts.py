"""The widget for each part of a lesson step: prose, network, derivation, training, check,
quiz, code exercise.

Each block gets a key ``"<step>:<part>"`` under which its progress (revealed
products, predictions, training runs) is saved and its engine results are cached,
and a DOM id made from it (:func:`widget_id`).  Blocks that ask something of the
learner (a question, a training panel, an exercise) carry the class :data:`ASKS`:
the lesson screen makes sure each has been in view before ``n`` leaves the step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widget import Widget

from tutor.lesson.progress_keys import block_key
from tutor.store.tries import TryPlace
from tutor.tui.literal import Plain

if TYPE_CHECKING:
    from tutor.answers.attempt import FormsReminder
    from tutor.lesson.model import Lesson, Part
    from tutor.store.progress import LessonProgress

__all__ = ["ASKS", "block_key", "key_of", "part_widget", "widget_id"]

ASKS = "asks"
"""The class of a block widget that asks the learner to act (answer, train, write code)."""


def widget_id(key: str) -> str:
    """The DOM id of the widget of the block ``key``."""
    return "block-" + key.replace(":", "-")


def key_of(widget_id: str | None) -> str | None:
    """The block key back from a widget id made by :func:`widget_id`."""
    if not widget_id or not widget_id.startswith("block-"):
        return None
    return widget_id.removeprefix("block-").replace("-", ":")


def part_widget(
    lesson: Lesson,
    part: Part,
    key: str,
    progress: LessonProgress,
    cache: dict[str, Any],
    reminder: FormsReminder | None = None,
) -> Widget:
    """The widget that shows ``part`` of a step, with its id (and :data:`ASKS` if it asks).

    ``reminder``: the lesson's forms reminder.
    """
    from tutor.lesson import model

    widget = _widget(lesson, part, key, progress, cache, reminder)
    widget.id = widget_id(key)
    if isinstance(part, model.QuizBlock | model.TrainBlock | model.ExerciseBlock):
        widget.add_class(ASKS)
    return widget


def _widget(
    lesson: Lesson,
    part: Part,
    key: str,
    progress: LessonProgress,
    cache: dict[str, Any],
    reminder: FormsReminder | None,
) -> Widget:
    from tutor.lesson import model

    if isinstance(part, model.Prose):
        from tutor.tui.widgets.prose import Prose

        return Prose(part.text, classes="prose")
    if isinstance(part, model.NetworkBlock):
        from tutor.tui.widgets.network_card import NetworkCard

        return NetworkCard(part)
    if isinstance(part, model.DeriveBlock):
        from tutor.tui.widgets.derivation.view import DerivationView

        return DerivationView(
            part,
            lesson.network(part.network),
            key=key,
            revealed=progress.revealed.get(key, 0),
            predictions=progress.predictions_in(key),
            cache=cache,
            reminder=reminder,
            place=TryPlace("prediction", lesson.id, key),
        )
    if isinstance(part, model.TrainBlock):
        return _train_view(lesson, part, key, progress)
    if isinstance(part, model.GradcheckBlock):
        from tutor.tui.widgets.gradcheck_view import GradcheckView

        return GradcheckView(part, lesson.network(part.network), key=key, cache=cache)
    if isinstance(part, model.QuizBlock):
        from tutor.tui.widgets.quiz_block import QuizBlockView

        return QuizBlockView(
            part, lesson, key=key, kept=progress.questions.get(key), reminder=reminder
        )
    if isinstance(part, model.ExerciseBlock):
        from tutor.tui.widgets.exercise_view import ExerciseView

        return ExerciseView(part, lesson, key=key)
    return Plain(f"(a {type(part).__name__} cannot be shown)")


def _train_view(lesson: Lesson, block: Any, key: str, progress: LessonProgress) -> Widget:
    try:
        from tutor.tui.widgets.train.view import TrainView
    except ImportError:
        return Plain("The training view is unavailable.", classes="block unavailable")
    return TrainView(block, lesson.network(block.network), runs=progress.runs.get(key, []))
