"""Every Textual-free package imports no UI library; the engine and the package root stay lean.

Each check imports modules in a fresh interpreter and reads ``sys.modules``, so
an import anywhere below the module (not only its own lines) is caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import loaded_after, top_level

PACKAGE = Path(__file__).parents[2] / "tutor"
UI_LIBRARIES = {"textual", "rich", "plotext"}  # plotext: only lazily, when a plot is drawn
TEXTUAL_FREE = (
    "tutor.engine",
    "tutor.formats",
    "tutor.text",
    "tutor.store",
    "tutor.answers",
    "tutor.lesson",
    "tutor.quiz",
    "tutor.training",
    "tutor.exercises",
    "tutor.present",
    "tutor.plain",
    "tutor.classroom",
)
TEXTUAL_FREE_COMMANDS = (
    "tutor.commands.solve",
    "tutor.commands.listing",
    "tutor.commands.validate",
    "tutor.commands.exercise",
)


def modules_of(package: str) -> list[str]:
    """Every module of ``package`` and its subpackages, found on disk (nothing imported)."""
    root = PACKAGE.parent / package.replace(".", "/")
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_package_is_found_with_its_modules() -> None:
    assert "tutor.formats.toml_keys" in modules_of("tutor.formats")
    assert "tutor.quiz.families" in modules_of("tutor.quiz")
    found = {name.split(".")[1] for name in modules_of("tutor") if name.count(".") >= 1}
    assert found - {"tui", "commands", "cli", "__main__"} == {p.split(".")[1] for p in TEXTUAL_FREE}


@pytest.mark.parametrize("package", TEXTUAL_FREE)
def test_a_textual_free_package_loads_no_ui_library(package: str) -> None:
    loaded = top_level(loaded_after(modules_of(package)))
    assert not loaded & UI_LIBRARIES, sorted(loaded & UI_LIBRARIES)


@pytest.mark.parametrize("module", TEXTUAL_FREE_COMMANDS)
def test_a_textual_free_command_loads_no_ui_library(module: str) -> None:
    loaded = top_level(loaded_after([module]))
    assert not loaded & UI_LIBRARIES, sorted(loaded & UI_LIBRARIES)


def test_the_engine_imports_nothing_of_tutor_outside_itself() -> None:
    loaded = loaded_after(modules_of("tutor.engine"))
    outside = {n for n in loaded if n.startswith("tutor.") and not n.startswith("tutor.engine")}
    assert outside == set()
    assert top_level(loaded) & {"numpy", "tutor"} == {"numpy", "tutor"}


def test_package_root_and_cli_are_cheap() -> None:
    loaded = top_level(loaded_after(["tutor", "tutor.cli"]))
    assert not loaded & {"numpy", "textual", "plotext"}


def test_the_lesson_screen_loads_no_editor_until_a_page_holds_one() -> None:
    """Textual's TextArea brings tree-sitter along: only a code exercise's editor pane needs it,
    so opening a lesson does not import it (the key check finds an editor by its module)."""
    loaded = loaded_after(["tutor.tui.app", "tutor.tui.screens.lesson"])
    assert "textual.widgets._text_area" not in loaded and "tree_sitter" not in loaded
    editor = loaded_after(["tutor.tui.screens.lesson", "tutor.tui.widgets.exercise_view"])
    assert "textual.widgets._text_area" in editor  # where the key check looks for it
