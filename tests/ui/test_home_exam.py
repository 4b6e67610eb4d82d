"""The home screen's exam line reads the learner's progress in that lesson folder's own exam."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.support import screen_text, settle
from tutor.exercises.catalog import load_exercise
from tutor.store.locations import bundled_lessons_dir
from tutor.store.progress_file import ProgressStore
from tutor.tui.app import make_app

BUNDLED = bundled_lessons_dir()


async def test_an_exam_from_another_folder_is_passed_apart_from_the_bundled_one(
    tmp_path: Path,
) -> None:
    lessons = tmp_path / "mine"
    shutil.copytree(BUNDLED / "exercises" / "deep-network", lessons / "exercises" / "deep-network")
    text = (BUNDLED / "deep.md").read_text("utf-8")
    text = text.replace('id = "deep"', 'id = "my-deep"').replace(
        'title = "Deep networks from scratch"', 'title = "My own deep exam"'
    )
    (lessons / "deep.md").write_text(text, "utf-8")
    theirs = load_exercise(lessons / "exercises" / "deep-network").exercise
    assert theirs is not None and theirs.key != "deep-network"
    data = tmp_path / "data"
    store = ProgressStore(data)
    progress = store.load()
    progress.exercise(theirs.key).solved = True
    store.save(progress)
    app = make_app(data_dir=data, lessons_dirs=[lessons])
    async with app.run_test(size=(120, 80)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
    own = shown[shown.index("My own deep exam") :]
    bundled = shown[shown.index("Deep networks from scratch") :]
    assert own.split("Exam: deep-network · ")[1].startswith("✓ passed")
    assert bundled.split("Exam: deep-network · ")[1].startswith("not passed yet")
