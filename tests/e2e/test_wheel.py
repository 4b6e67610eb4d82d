"""The wheel ships the bundled lessons at ``tutor/_lessons/``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_contains_the_lessons(tmp_path: Path) -> None:
    # without network-free access to hatchling, `build` makes an isolated environment
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"tutor/_lessons/{p.name}" for p in (ROOT / "lessons").glob("*.md")}
    assert expected, "no lessons in the checkout"
    assert expected <= names
    assert "tutor/lesson/parser.py" in names
    assert not any(name.startswith("lessons/") for name in names)
