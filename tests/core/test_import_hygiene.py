"""The core imports no UI libraries; the package root stays cheap to import."""

from __future__ import annotations

import subprocess
import sys

import pytest

UI_MODULES = ("textual", "rich", "plotext")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in out.split()}


@pytest.mark.parametrize(
    "module",
    [
        "tutor.engine",
        "tutor.engine.variants",
        "tutor.answers.attempt",
        "tutor.lesson.walk",
        "tutor.lesson.questions",
        "tutor.formats.tomlsource",
        "tutor.formats.textfile",
        "tutor.text.numbers",
        "tutor.text.derivation",
        "tutor.commands.solve",
    ],
)
def test_core_module_imports_no_ui(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not loaded & set(UI_MODULES), loaded & set(UI_MODULES)


def test_package_root_and_cli_are_cheap() -> None:
    loaded = loaded_after("import tutor, tutor.cli")
    assert not loaded & {"numpy", "textual", "plotext"}
