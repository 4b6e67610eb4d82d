"""Imports a learner's file may not make: the tutor itself, and libraries that differentiate.

A check must judge code the learner wrote.  Provides :data:`REFUSED` (package →
why, in words) and :func:`refused_import`, which reads the file's source with
:mod:`ast` (never running it) and returns the first refused import with its
line: ``import torch``, ``from tutor.engine import …``, ``__import__("jax")``,
``importlib.import_module("autograd.numpy")``.  The harness refuses the same
names again when the code runs (:data:`REFUSED` is sent to it), and under
bubblewrap none of them is even there.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_ENGINE = "the tutor's own engine computes the answers, so a check cannot use it"
_AUTOGRAD = "it computes gradients for you; here you write backprop yourself with NumPy"

REFUSED: dict[str, str] = {
    "tutor": f"your file imports tutor: {_ENGINE}",
    "torch": f"your file imports torch: {_AUTOGRAD}",
    "jax": f"your file imports jax: {_AUTOGRAD}",
    "jaxlib": f"your file imports jaxlib: {_AUTOGRAD}",
    "autograd": f"your file imports autograd: {_AUTOGRAD}",
    "tensorflow": f"your file imports tensorflow: {_AUTOGRAD}",
}
"""Top-level package → the message that refuses it."""

_IMPORTERS = {"__import__", "import_module"}


@dataclass(frozen=True)
class Refusal:
    """A refused import: the package, its line and the message."""

    package: str
    line: int
    message: str


def refused_import(source: str) -> Refusal | None:
    """The first import of a refused package in ``source``; None if there is none.

    A file that cannot be parsed has none here (its syntax error is reported when it runs).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        for name in _imported(node):
            package = name.partition(".")[0]
            if package in REFUSED:
                line = getattr(node, "lineno", 0)
                return Refusal(package, line, f"Line {line}: {REFUSED[package]}.")
    return None


def _imported(node: ast.AST) -> list[str]:
    """The module names ``node`` imports (a constant string passed to an importer too)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        first = node.args[0]
        if (
            called in _IMPORTERS
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            return [first.value]
    return []
