"""Imports a learner's file may not make are refused by name, read with ast (never run)."""

from __future__ import annotations

import ast

import pytest

from tutor.exercises.imports import REFUSED, refused_import
from tutor.exercises.runner import HARNESS


@pytest.mark.parametrize(
    ("source", "package", "line"),
    [
        ("import numpy as np\nimport tutor\n", "tutor", 2),
        ("from tutor.engine import derive\n", "tutor", 1),
        ("import os, torch.nn as nn\n", "torch", 1),
        ("def f():\n    import jax.numpy as jnp\n", "jax", 2),
        ("from autograd import grad\n", "autograd", 1),
        ("x = 1\nimport tensorflow as tf\n", "tensorflow", 2),
        ("m = __import__('tutor.engine')\n", "tutor", 1),
        ("import importlib\nm = importlib.import_module('torch')\n", "torch", 2),
    ],
)
def test_each_refused_import_is_named_with_its_line(source: str, package: str, line: int) -> None:
    refusal = refused_import(source)
    assert refusal is not None and (refusal.package, refusal.line) == (package, line)
    assert refusal.message == f"Line {line}: {REFUSED[package]}."


@pytest.mark.parametrize(
    "source",
    [
        "import numpy as np\nfrom math import exp\n",
        "import tutorial_notes\n",  # a name that only starts like one
        "from . import tutor\n",  # relative: the learner's own module
        "def f(:\n",  # not Python: the run reports the syntax error
        "s = 'import torch'\n",
    ],
)
def test_other_files_are_not_refused(source: str) -> None:
    assert refused_import(source) is None


def test_the_harness_the_child_runs_imports_nothing_of_the_tutor() -> None:
    tree = ast.parse(HARNESS.read_text("utf-8"))
    imported = [
        name
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    ]
    assert imported and not [name for name in imported if name.split(".")[0] == "tutor"]
