"""The lesson catalog cache: cards kept while the lesson files are unchanged, read without NumPy."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers import loaded_after, one_weight_network, top_level
from tutor.lesson.cache import CACHE_FILE, fingerprint, read_cards, write_cards
from tutor.lesson.card import LessonCard, cards_of
from tutor.lesson.catalog import load_catalog
from tutor.lesson.progress_keys import block_key
from tutor.lesson.summary import summarise
from tutor.store.progress import Answered, LessonProgress

LESSON = f"""+++
id = "one"
title = "One"
number = "1"
summary = "A small lesson."
prerequisites = ["Perceptrons"]
+++

## First

{one_weight_network()}

```derive
network = "n"
predict = ["dL/dW1"]
```

## Second

```quiz
id = "q"
question = "dL/dw?"
answer = "grad W1 of n"
hints = ["(y − t)·x"]
```
"""


def lessons_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "one.md").write_text(LESSON, encoding="utf-8")
    (folder / "broken.md").write_text("+++\nid = 'b'\n+++\n", encoding="utf-8")
    return folder


def test_cards_are_kept_while_the_files_are_unchanged(tmp_path):
    folder, data = lessons_dir(tmp_path), tmp_path / "data"
    assert read_cards(data, [folder]) is None  # nothing cached yet
    prints = fingerprint([folder])
    cards = cards_of(load_catalog([folder]))
    write_cards(data, prints, cards)
    assert read_cards(data, [folder]) == cards
    assert [card.usable for card in cards] == [True, False]
    assert cards[0].answers == (("prediction", "0:1", "dL/dW1"), ("question", "1:0", ""))
    assert "title" in (cards[1].problem or "")

    lesson = folder / "one.md"
    stat = lesson.stat()
    os.utime(lesson, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # touched
    assert read_cards(data, [folder]) is None
    write_cards(data, fingerprint([folder]), cards)
    (folder / "two.md").write_text(LESSON.replace('"one"', '"two"'), encoding="utf-8")
    assert read_cards(data, [folder]) is None  # a new file
    (folder / "two.md").unlink()
    assert read_cards(data, [folder]) == cards
    (data / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert read_cards(data, [folder]) is None  # damaged: rebuilt, never raised
    saved = {"format": 1, "version": "0.0.0", "files": fingerprint([folder]), "cards": []}
    (data / CACHE_FILE).write_text(json.dumps(saved), encoding="utf-8")
    assert read_cards(data, [folder]) is None  # written by another version


def test_a_card_counts_progress_as_the_lesson_summary_does(tmp_path):
    (entry, _) = load_catalog([lessons_dir(tmp_path)])
    card = LessonCard.of(entry)
    progress = LessonProgress()
    cases = [
        ([], {}, {}),
        ([0, 1], {}, {}),
        ([0, 1], {block_key(0, 1): {"dL/dW1": Answered("1", "correct")}}, {}),
        (
            [0, 1],
            {block_key(0, 1): {"dL/dW1": Answered("", "skipped")}},
            {block_key(1, 0): Answered("0", "wrong", result="revealed", tries=3)},
        ),
        (
            [0, 1],
            {block_key(0, 1): {"dL/dW1": Answered("1", "correct")}},
            {block_key(1, 0): Answered("0", "correct", result="first_try")},
        ),
    ]
    for finished, predictions, questions in cases:
        progress.finished_steps, progress.step = finished, max(finished, default=0)
        progress.predictions, progress.questions = predictions, questions
        summary = summarise(entry.lesson, progress)
        assert card.visited(progress) == summary.visited
        assert card.to_do(progress) == summary.to_do
        assert card.finished(progress) == summary.finished
    assert card.progress_words(progress) == "finished"
    assert card.progress_words(None) == "not started"


def test_the_home_screens_modules_and_the_cache_load_no_numpy():
    loaded = loaded_after(["tutor.tui.app", "tutor.tui.screens.home", "tutor.lesson.cache"])
    assert not top_level(loaded) & {"numpy", "plotext"}
    assert "tutor.lesson.model" not in loaded and "tutor.engine" not in loaded


def test_a_lesson_is_opened_as_an_outline_without_numpy():
    """What the app needs to open a lesson whose file the cache vouches for (the lesson
    screen, the parser, the forms reminder) loads no engine, no NumPy and no plotext."""
    loaded = loaded_after(
        ["tutor.tui.screens.lesson", "tutor.lesson.parser", "tutor.answers.reminder"]
    )
    assert not top_level(loaded) & {"numpy", "plotext"}
    assert "tutor.engine" not in loaded and "tutor.lesson.blocks" not in loaded
