"""Nothing the plain front end prints bypasses the boundary, ``tutor.text.visible`` (issue 23).

The command line wraps ``sys.stdout`` and ``sys.stderr`` in a
:class:`~tutor.text.visible.VisibleStream` before it does anything else, so every
``print`` (a file name, lesson text, a progress value, a learner's output) is shown
with its control characters spelled out.  This static check of every module outside
``tutor.tui`` (where Textual owns the terminal and ``tutor.tui.literal`` is the
boundary) fails if a module writes to the terminal some other way, or writes a raw
control sequence anywhere but the few places the tutor colours its own words.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tutor"
CHILDREN = {"exercises/harness.py"}
"""The sandboxed child: its output goes to its parent, which shows it through the boundary."""
MODULES = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if "tui" not in p.relative_to(PACKAGE).parts
    and p.relative_to(PACKAGE).as_posix() not in CHILDREN
)
BOUNDARY = PACKAGE / "text" / "visible.py"
RAW_WRITERS = {"commands/train.py", "plain/terminal.py"}
"""Modules that write the tutor's own colour codes and carriage returns with ``write_raw``."""
BYPASSES = {"__stdout__", "__stderr__", "buffer", "__stdin__"}


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def violations(path: Path, relative: str) -> list[str]:
    """Every way ``path`` reaches the terminal past the boundary, as ``line: what``, by line."""
    return sorted(_violations(path, relative), key=lambda found: int(found.split(":")[0]))


def _violations(path: Path, relative: str) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in BYPASSES
            and dotted(node.value) in ("sys", "sys.stdout", "sys.stderr")
        ):
            yield f"{node.lineno}: {dotted(node)} bypasses the visible streams"
        if isinstance(node, ast.Constant) and node.value == "/dev/tty":
            yield f"{node.lineno}: opens the terminal itself"
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name == "os.write" and node.args and _terminal_fd(node.args[0]):
                yield f"{node.lineno}: os.write bypasses the visible streams"
            if name == "write_raw" and relative not in RAW_WRITERS:
                yield f"{node.lineno}: write_raw outside the modules that colour their own words"
            if name.endswith(".raw") and path != BOUNDARY:
                yield f"{node.lineno}: .raw() is write_raw's"


def _terminal_fd(node: ast.AST) -> bool:
    """File descriptor 1 or 2, or one taken from stdout or stderr (a file's own fd is fine)."""
    if isinstance(node, ast.Constant):
        return node.value in (1, 2)
    text = ast.unparse(node)
    return "stdout" in text or "stderr" in text


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_writes_past_the_boundary(path: Path) -> None:
    assert violations(path, path.relative_to(PACKAGE).as_posix()) == []


def test_raw_writes_are_the_tutors_own_codes() -> None:
    """``write_raw`` gets a literal, or (train's plot) plotext's drawing of numbers and labels."""
    for relative in RAW_WRITERS:
        path = PACKAGE / relative
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and dotted(node.func) == "write_raw":
                sequence = node.args[1]
                authored = isinstance(sequence, ast.Constant) or (
                    isinstance(sequence, ast.JoinedStr)
                    and all(
                        isinstance(v, ast.Constant)
                        or (isinstance(v.value, ast.Subscript) and dotted(v.value.value).isupper())
                        for v in sequence.values
                        if isinstance(v, ast.Constant | ast.FormattedValue)
                    )
                )
                plot = ast.unparse(sequence) == "plot + '\\n'"
                assert authored or plot, f"{relative}:{node.lineno}: {ast.unparse(sequence)}"


def test_the_command_line_wraps_the_streams_before_anything_else() -> None:
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    body = main.body[1:]  # after the docstring
    if isinstance(body[0], ast.If) and ast.unparse(body[0].test) == "ZYGOTE_ENV in os.environ":
        # the class server's warm tutor waits for a learner first; it prints nothing
        assert ast.unparse(body[0].body[-1]) == "fork_per_learner()"
        body = body[1:]
    first = body[0]
    assert isinstance(first, ast.Expr) and ast.unparse(first) == "wrap_standard_streams()"


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os, sys\n"
        "sys.__stdout__.write(name)\n"
        "sys.stdout.buffer.write(name.encode())\n"
        "os.write(1, name)\n"
        "os.write(fd_of_a_file, name)\n"
        "open('/dev/tty', 'w')\n"
        "write_raw(sys.stdout, name)\n"
        "sys.stdout.raw(name)\n"
    )
    found = [line.split(": ", 1)[1] for line in violations(bad, "lesson/bad.py")]
    assert found == [
        "sys.__stdout__ bypasses the visible streams",
        "sys.stdout.buffer bypasses the visible streams",
        "os.write bypasses the visible streams",
        "opens the terminal itself",
        "write_raw outside the modules that colour their own words",
        ".raw() is write_raw's",
    ]
