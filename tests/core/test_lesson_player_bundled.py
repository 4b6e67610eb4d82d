"""Lessons 3.5 and 3.6 played as plain text with every answer right, as the engine computes it.

Predictions are answered with the record the walk is asking about; questions with the
value the engine drew for them (the player's draw is watched, not replaced).  Every
answer must get a ✓, every step must be finished, and the matrix products the lesson
expands must be written out path by path.
"""

from __future__ import annotations

import pytest

import tutor.plain.lesson as player_module
from tutor.lesson.catalog import load_lesson
from tutor.lesson.model import DeriveBlock, QuizBlock
from tutor.plain.lesson import LessonPlayer
from tutor.store.locations import bundled_lessons_dir
from tutor.store.progress import LessonProgress
from tutor.text.numbers import format_value


@pytest.mark.parametrize("lesson_id", ["classification", "paths"])
def test_play_a_new_lesson_with_every_answer_right(lesson_id: str, monkeypatch) -> None:
    entry, _ = load_lesson(bundled_lessons_dir() / f"{lesson_id}.md")
    lesson = entry.lesson
    assert lesson is not None and entry.problems == ()
    drawn = []
    original = player_module.draw_question

    def watched(*args, **kwargs):
        drawn.append(original(*args, **kwargs))
        return drawn[-1]

    monkeypatch.setattr(player_module, "draw_question", watched)
    walks = []
    original_walk = player_module.DerivationWalk

    def watched_walk(*args, **kwargs):
        walks.append(original_walk(*args, **kwargs))
        return walks[-1]

    monkeypatch.setattr(player_module, "DerivationWalk", watched_walk)
    lines: list[str] = []

    def read(prompt: str) -> str:
        if prompt == "answer> ":
            value = drawn[-1].expected
        else:
            asking = walks[-1].asking
            assert asking is not None and prompt == f"{asking.record.target} > "
            value = asking.record.value
        answer = format_value(value, 12, ascii=True)
        lines.append(prompt + answer)
        return answer

    progress = LessonProgress()
    summary = LessonPlayer(lesson, progress, read, lines.append).run()
    transcript = "\n".join(lines)
    blocks = [b for step in lesson.steps for b in step.blocks]
    asked = sum(len(b.predict) for b in blocks if isinstance(b, DeriveBlock))
    asked += sum(isinstance(b, QuizBlock) for b in blocks)
    verdicts = [line for line in lines if line[:2] in ("✓ ", "✗ ", "~ ", "? ")]
    assert len(verdicts) == asked and all(v.startswith("✓ ") for v in verdicts)
    assert summary.finished and summary.count("first_try") == asked
    assert sorted(progress.finished_steps) == list(range(len(lesson.steps)))
    expanded = [b for b in blocks if isinstance(b, DeriveBlock) and b.expand]
    assert transcript.count("entry by entry, one product per path:") >= len(expanded)
    assert "Traceback" not in transcript
