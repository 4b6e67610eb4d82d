"""The child process that runs a learner's file: ``python -I -m tutor.exercises.harness``.

Arguments: the request (JSON) and the events file it writes, one JSON object per
line, flushed as it goes, so the tutor knows how far the run got even when it is
stopped.  The request names the learner's file, the time and memory limits, the
functions and classes the file must define, and the steps to run (create an
object, call a function or method, read an attribute, keep a value) with their
arguments.

The learner's code runs here only: with an address-space limit (``resource``),
a file-size limit, a timer that dumps where the code was and exits when the time
limit runs out (``faulthandler``), its printed output kept (bounded) and its
warnings recorded.  Errors are reported by the learner's own line, never by this
file's.  Standard library and NumPy only, except the engine's loss for steps
that pass a loss function.
"""

from __future__ import annotations

import faulthandler
import io
import json
import signal
import sys
import traceback
import types
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from tutor.exercises.protocol import decode, describe

MAX_OUTPUT = 4000
MAX_WARNINGS = 5
MAX_MESSAGE = 300
FILE_SIZE_LIMIT = 16 * 1024 * 1024


class BoundedText(io.TextIOBase):
    """A text stream that keeps the first :data:`MAX_OUTPUT` characters written to it."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.size = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = MAX_OUTPUT - self.size
        self.kept.append(text[: max(room, 0)])
        self.size += min(len(text), max(room, 0))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def text(self) -> str:
        more = f"\n… ({self.dropped} more characters)" if self.dropped else ""
        return "".join(self.kept) + more


class Events:
    """The events file: one JSON object per line, flushed at once."""

    def __init__(self, path: str) -> None:
        self.handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 (kept open to the end)

    def emit(self, **event: Any) -> None:
        self.handle.write(json.dumps(event) + "\n")
        self.handle.flush()


class Harness:
    """Loads the learner's file and runs the request's steps, reporting as it goes."""

    def __init__(self, request: dict[str, Any], events: Events) -> None:
        self.request = request
        self.events = events
        self.path = str(Path(request["file"]).resolve())
        self.saved: dict[str, Any] = {}
        self.module = types.ModuleType("learner")
        self.step: int | None = None
        self.what = "loading your file"
        self.caught: list[str] = []
        self.failed: set[str] = set()

    def run(self) -> None:
        try:
            source = Path(self.path).read_text(encoding="utf-8-sig")
            code = compile(source, self.path, "exec")
        except SyntaxError as exc:
            self.events.emit(
                event="error",
                kind="syntax",
                message=str(exc.msg)[:MAX_MESSAGE],
                line=exc.lineno,
                offset=exc.offset,
                source=(exc.text or "").rstrip("\n")[:MAX_MESSAGE],
            )
            return
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.events.emit(event="error", kind="unreadable", message=str(exc)[:MAX_MESSAGE])
            return
        self.module.__file__ = self.path
        sys.modules["learner"] = self.module
        sys.path.insert(0, str(Path(self.path).parent))
        if not self.guarded(lambda: exec(code, self.module.__dict__)):
            return
        missing = self.missing()
        if missing:
            self.events.emit(event="error", kind="missing", message=missing)
            return
        self.events.emit(event="loaded")
        for index, step in enumerate(self.request["steps"]):
            self.step, self.what = index, step.get("what", "")
            if self.depends_on_failed(step):
                self.events.emit(event="skipped", step=index)
                self.failed.add(step.get("as", ""))
                continue
            self.events.emit(event="start", step=index)
            if not self.guarded(lambda step=step: self.do(step)):
                self.failed.add(step.get("as", ""))
        self.events.emit(event="done")

    def depends_on_failed(self, step: dict[str, Any]) -> bool:
        """Whether ``step`` needs a value that an earlier failed step should have kept.

        A step that raises does not end the run: each check is judged on its own, so a
        correct ``forward`` is credited even when ``backward`` raises.
        """
        needs = {step["target"].partition(".")[0]} if step["do"] != "call" else set()
        if step["do"] == "call" and "." in step["target"]:
            needs.add(step["target"].partition(".")[0])
        needs |= {a["ref"] for a in step.get("args", []) if isinstance(a, dict) and "ref" in a}
        return bool(needs & self.failed)

    def guarded(self, action: Any) -> bool:
        """Run ``action``; report an exception in the learner's terms and return False."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                action()
            except BaseException as exc:  # the learner's code may raise anything, even exit
                self.exception(exc)
                return False
            finally:
                self.warnings(caught)
        return True

    def exception(self, exc: BaseException) -> None:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == self.path]
        last = frames[-1] if frames else None
        kind = "exit" if isinstance(exc, SystemExit | KeyboardInterrupt) else "exception"
        if isinstance(exc, SyntaxError) and exc.filename == self.path:
            kind, line, text = "syntax", exc.lineno, exc.text or ""
        else:
            line, text = (last.lineno, last.line or "") if last else (None, "")
        self.events.emit(
            event="error",
            kind=kind,
            exception=type(exc).__name__,
            memory=isinstance(exc, MemoryError),
            message=str(exc)[:MAX_MESSAGE],
            line=line,
            source=text.strip()[:MAX_MESSAGE],
            step=self.step,
            what=self.what,
        )

    def warnings(self, caught: list[warnings.WarningMessage]) -> None:
        for warning in caught:
            if warning.filename != self.path or len(self.caught) >= MAX_WARNINGS:
                continue
            text = f"line {warning.lineno}: {warning.category.__name__}: {warning.message}"
            if text not in self.caught:
                self.caught.append(text[:MAX_MESSAGE])

    def missing(self) -> str:
        """What the file should define but does not, in words ("" if nothing)."""
        needs = self.request.get("requires", {})
        for name in needs.get("functions", []):
            if not callable(getattr(self.module, name, None)):
                return f"your file defines no function `{name}`"
        for name, methods in needs.get("classes", {}).items():
            cls = getattr(self.module, name, None)
            if not isinstance(cls, type):
                return f"your file defines no class `{name}`"
            for method in methods:
                found = getattr(cls, method, None)
                if not callable(found) or found is getattr(object, method, None):
                    return f"class `{name}` has no method `{method}`"
        return ""

    def do(self, step: dict[str, Any]) -> None:
        target = step["target"]
        args = [self.argument(a) for a in step.get("args", [])]
        if step["do"] == "new":
            result = getattr(self.module, target)(*args)
        elif step["do"] == "call":
            result = self.callable(target)(*args)
        elif step["do"] == "set":
            result = args[0]
        elif step["do"] == "attr":
            owner, _, name = target.partition(".")
            result = getattr(self.saved[owner], name)
        else:
            result = self.saved[target]
        if "as" in step:
            self.saved[step["as"]] = result
        if "report" in step:
            self.events.emit(
                event="report", step=self.step, name=step["report"], value=describe(result)
            )

    def callable(self, target: str) -> Any:
        owner, _, name = target.partition(".")
        return getattr(self.saved[owner], name) if name else getattr(self.module, owner)

    def argument(self, data: Any) -> Any:
        if isinstance(data, dict) and "ref" in data:
            return self.saved[data["ref"]]
        if isinstance(data, dict) and "loss" in data:
            return engine_loss(data["loss"])
        return decode(data)


def engine_loss(spec: dict[str, Any]) -> Any:
    """A function ``loss(params) -> float``: the engine's loss of a network on fixed data."""
    from tutor.engine import LayerSpec, NetworkSpec, loss_of

    x, t = decode(spec["input"]), decode(spec["target"])
    activations = spec["activations"]

    def loss(params: dict[str, Any]) -> float:
        layers = tuple(
            LayerSpec(
                np.array(params[f"W{i}"], dtype=np.float64),
                np.array(params[f"b{i}"], dtype=np.float64) if f"b{i}" in params else None,
                activation,
            )
            for i, activation in enumerate(activations, start=1)
        )
        return loss_of(NetworkSpec(x, t, spec["loss"], layers))

    return loss


def set_limits(memory_mb: int) -> None:
    """Cap the address space and the size of any file the learner's code writes."""
    import resource

    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past it fails with an error instead


def main(argv: list[str]) -> int:
    """Run the request in ``argv[1]``, writing events to ``argv[2]`` (and a timeout dump)."""
    request = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    events = Events(argv[2])
    if any("loss" in a for s in request["steps"] for a in s.get("args", []) if isinstance(a, dict)):
        import tutor.engine  # noqa: F401  (before the memory limit)
    set_limits(int(request["memory_mb"]))
    output = BoundedText()
    sys.stdout = sys.stderr = output
    dump = open(Path(argv[2]).with_suffix(".timeout"), "w")  # noqa: SIM115 (kept for faulthandler)
    faulthandler.dump_traceback_later(float(request["time_limit"]), exit=True, file=dump)
    harness = Harness(request, events)
    try:
        harness.run()
    finally:
        faulthandler.cancel_dump_traceback_later()
        events.emit(event="output", text=output.text(), warnings=harness.caught)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
