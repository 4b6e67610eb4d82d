"""The child that runs a learner's file: a standalone script, copied into the sandbox.

Run as ``python -I -S harness.py REQUEST CHANNEL_FD``.  It imports nothing of the
tutor (the tutor is not even visible to it under bubblewrap): standard library
and NumPy only, found on the folder the request names.  The request holds the
learner's file, the limits, the names the file must define and the steps to run
(create an object, call a function or method, read an attribute, keep a value);
each step's arguments are asked of the tutor when the step runs, so no code sees
a later step's.  The child never receives the values the tutor expects.

Events go to the tutor over the channel, a pipe, as numbered JSON lines: the
learner's values (arrays as a shape and a flat list of numbers), errors in the
learner's terms, printed output (bounded), warnings.  A loss function the
learner is handed asks the tutor over the channel and reads the answer from
stdin, so the engine never runs here.  Before the learner's code runs, the limits
are set (address space, file size, CPU time, processes, no core files), imports
the tutor refuses are blocked, and a child started as root goes on as the user the request names.
The learner's code shares this process, so nothing here is a secret from it:
the tutor judges only the values that come back.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import json
import linecache
import os
import signal
import sys
import traceback
import types
import warnings
from typing import Any

MAX_OUTPUT = 4000
MAX_WARNINGS = 5
MAX_MESSAGE = 300
MAX_ELEMENTS = 1_000_000
"""An array with more numbers than this is described, not sent."""
FILE_SIZE_LIMIT = 16 * 1024 * 1024
CPU_GRACE = 1
"""CPU seconds between SIGXCPU (the traceback is written) and SIGKILL."""

np: Any = None  # NumPy, imported by main() once the request says where it is


class BoundedText(io.TextIOBase):
    """A text stream that keeps the first :data:`MAX_OUTPUT` characters written to it."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.size = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = max(MAX_OUTPUT - self.size, 0)
        self.kept.append(text[:room])
        self.size += min(len(text), room)
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def text(self) -> str:
        more = f"\n… ({self.dropped} more characters)" if self.dropped else ""
        return "".join(self.kept) + more


class Channel:
    """The pipe to the tutor: numbered JSON lines, each written in one piece."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.number = 0

    def emit(self, **event: Any) -> None:
        event["n"] = self.number
        self.number += 1
        data = ("\n" + json.dumps(event) + "\n").encode()
        while data:
            data = data[os.write(self.fd, data) :]


def encode(value: Any) -> Any:
    """An array as {"array": {"shape", "data"}}; dicts as {"dict": …}; else the value."""
    if isinstance(value, np.ndarray):
        array = np.asarray(value, dtype=np.float64)
        return {"array": {"shape": list(array.shape), "data": array.ravel().tolist()}}
    if isinstance(value, dict):
        return {"dict": {str(k): encode(v) for k, v in value.items()}}
    return value


def decode(data: Any) -> Any:
    """A value :func:`encode` wrote (arrays come back as new float64 arrays)."""
    if isinstance(data, dict) and "array" in data:
        spec = data["array"]
        return np.array(spec["data"], dtype=np.float64).reshape(spec["shape"])
    if isinstance(data, dict) and "dict" in data:
        return {k: decode(v) for k, v in data["dict"].items()}
    return data


def describe(value: Any) -> Any:
    """What the learner returned, as the tutor reads it (a copy: later changes do not show)."""
    if isinstance(value, dict):
        return {"dict": {str(k)[:60]: describe(v) for k, v in list(value.items())[:100]}}
    if value is None:
        return {"other": "None"}
    if isinstance(value, np.ndarray | float | int | np.number | list | tuple) and not isinstance(
        value, bool
    ):
        try:
            array = np.array(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            return {"other": f"a {type(value).__name__} that is not an array of numbers"}
        if array.size > MAX_ELEMENTS:
            return {"other": f"an array of {array.size} numbers, more than any check needs"}
        return encode(array)
    return {"other": f"a {type(value).__name__}"}


class EngineLoss:
    """``loss(params) -> float``: the tutor computes it with its engine and sends it back."""

    def __init__(self, index: int, channel: Channel) -> None:
        self.index = index
        self.channel = channel

    def __call__(self, params: dict[str, Any]) -> float:
        sent = {str(k): encode(np.array(v, dtype=np.float64)) for k, v in dict(params).items()}
        self.channel.emit(event="loss", spec=self.index, params=sent)
        reply = json.loads(sys.stdin.buffer.readline() or b"{}")
        if "loss" not in reply:
            raise ValueError(
                str(reply.get("error", "the loss could not be computed"))[:MAX_MESSAGE]
            )
        return float(reply["loss"])


class Refuse:
    """An import hook that refuses, by name, the packages the tutor does not allow."""

    def __init__(self, refused: dict[str, str]) -> None:
        self.refused = refused

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        message = self.refused.get(name.partition(".")[0])
        if message:
            raise ImportError(message)


class Harness:
    """Loads the learner's file and runs the request's steps, reporting as it goes."""

    def __init__(self, request: dict[str, Any], channel: Channel) -> None:
        self.request = request
        self.channel = channel
        self.path = str(request["file"])
        self.saved: dict[str, Any] = {}
        self.module = types.ModuleType("learner")
        self.step: int | None = None
        self.what = "loading your file"
        self.caught: list[str] = []
        self.failed: set[str] = set()

    def compile(self) -> Any:
        """The learner's code, compiled (None after reporting why it cannot be)."""
        try:
            with open(self.path, encoding="utf-8-sig") as handle:
                source = handle.read()
            code = compile(source, self.path, "exec")
        except SyntaxError as exc:
            self.channel.emit(
                event="error",
                kind="syntax",
                message=str(exc.msg)[:MAX_MESSAGE],
                line=exc.lineno,
                source=(exc.text or "").rstrip("\n")[:MAX_MESSAGE],
            )
            return None
        except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError) as exc:
            self.channel.emit(event="error", kind="unreadable", message=str(exc)[:MAX_MESSAGE])
            return None
        lines = source.splitlines(keepends=True)
        linecache.cache[self.path] = (len(source), None, lines, self.path)
        return code

    def run(self, code: Any) -> None:
        self.module.__file__ = self.path
        sys.modules["learner"] = self.module
        if not self.guarded(lambda: exec(code, self.module.__dict__)):
            return
        missing = self.missing()
        if missing:
            self.channel.emit(event="error", kind="missing", message=missing)
            return
        self.channel.emit(event="loaded")
        for index, step in enumerate(self.request["steps"]):
            self.step, self.what = index, step.get("what", "")
            if self.depends_on_failed(step):
                self.channel.emit(event="skipped", step=index)
                self.failed.add(step.get("as", ""))
                continue
            self.channel.emit(event="start", step=index)
            if not self.guarded(lambda step=step: self.do(step)):
                self.failed.add(step.get("as", ""))
        self.channel.emit(event="done")

    def depends_on_failed(self, step: dict[str, Any]) -> bool:
        """Whether ``step`` needs a value that an earlier failed step should have kept.

        A step that raises does not end the run: each check is judged on its own, so a
        correct ``forward`` is credited even when ``backward`` raises.
        """
        needs = {step["target"].partition(".")[0]} if step["do"] != "call" else set()
        if step["do"] == "call" and "." in step["target"]:
            needs.add(step["target"].partition(".")[0])
        needs |= {a["ref"] for a in step.get("args", []) if isinstance(a, dict) and "ref" in a}
        needs |= {str(name) for name in step.get("needs", [])}  # an earlier step it reads after
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
        self.channel.emit(
            event="error",
            kind=kind,
            exception=type(exc).__name__[:MAX_MESSAGE],
            memory=isinstance(exc, MemoryError),
            message=_text(exc)[:MAX_MESSAGE],
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
        args = [self.argument(a) for a in self.arguments()]
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
            self.channel.emit(
                event="report", step=self.step, name=step["report"], value=describe(result)
            )

    def arguments(self) -> list[Any]:
        """This step's arguments, asked of the tutor now (the request holds none of them)."""
        self.channel.emit(event="args", step=self.step)
        reply = json.loads(sys.stdin.buffer.readline() or b"{}")
        if not isinstance(reply.get("args"), list):
            raise RuntimeError(str(reply.get("error", "the tutor sent no arguments")))
        return reply["args"]

    def callable(self, target: str) -> Any:
        owner, _, name = target.partition(".")
        return getattr(self.saved[owner], name) if name else getattr(self.module, owner)

    def argument(self, data: Any) -> Any:
        if isinstance(data, dict) and "ref" in data:
            return self.saved[data["ref"]]
        if isinstance(data, dict) and "loss" in data:
            return EngineLoss(int(data["loss"]), self.channel)
        return decode(data)


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # a learner's exception whose __str__ fails
        return ""


def set_limits(limits: dict[str, Any], uid: int) -> None:
    """Cap address space, file size, CPU seconds from now and processes (of ``uid``); no
    core files.  Past the CPU seconds the kernel sends SIGXCPU (a traceback, then the end:
    :func:`main`), and SIGKILL :data:`CPU_GRACE` seconds later."""
    import math
    import resource

    def cap(kind: int, soft: int, hard: int | None = None) -> None:
        hard = soft if hard is None else hard
        _, ceiling = resource.getrlimit(kind)
        if ceiling != resource.RLIM_INFINITY:
            soft, hard = min(soft, ceiling), min(hard, ceiling)
        resource.setrlimit(kind, (soft, hard))

    spent = sum(os.times()[:2])  # starting Python and NumPy is not the learner's time
    cpu = math.ceil(spent + float(limits["cpu_seconds"]))
    cap(resource.RLIMIT_AS, limits["memory_mb"] * 1024 * 1024)
    cap(resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT)
    cap(resource.RLIMIT_CPU, cpu, cpu + CPU_GRACE)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_NPROC, _processes_of(uid) + limits["processes"])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past it fails with an error instead


def _processes_of(uid: int) -> int:
    """How many processes (and threads) the user ``uid`` runs now, as far as /proc shows."""
    count = 0
    try:
        names = os.listdir("/proc")
    except OSError:
        return 0
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", encoding="ascii", errors="replace") as handle:
                status = handle.read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def drop_privileges(uid: int) -> None:
    """A child started as root goes on as ``uid`` (a user of its own check), so the process
    limit applies to it."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def keep_parent_out_of_reach() -> None:
    """Fork once and go on in the child: its parent is this process, not the tutor."""
    pid = os.fork()
    if pid == 0:
        return
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):  # end the same way, so the tutor names the signal
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _close(fd: int) -> None:
    """A forked child of the learner's code lets go of the channel: the check ends without it."""
    with contextlib.suppress(OSError):
        os.close(fd)


def main(argv: list[str]) -> int:
    """Run the request in ``argv[1]``, writing events to the file descriptor ``argv[2]``."""
    global np
    with open(argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    channel = Channel(int(argv[2]))
    if request.get("fork"):
        keep_parent_out_of_reach()
    os.register_at_fork(after_in_child=lambda: _close(channel.fd))
    sys.path[:0] = request["path"]
    import numpy

    np = numpy
    sys.meta_path.insert(0, Refuse(request.get("refused", {})))
    harness = Harness(request, channel)
    code = harness.compile()
    if code is None:
        return 0
    uid = request.get("drop")
    drop = type(uid) is int and os.getuid() == 0  # an id, never a bool (True is an int)
    set_limits(request["limits"], uid if drop else os.getuid())
    if drop:
        drop_privileges(uid)
    output = BoundedText()
    sys.stdout = sys.stderr = output
    dump_to = sys.__stderr__ or 2
    faulthandler.register(signal.SIGXCPU, file=dump_to, chain=True)  # then SIGXCPU ends it
    faulthandler.dump_traceback_later(float(request["wait_limit"]), exit=True, file=dump_to)
    try:
        harness.run(code)
    finally:
        faulthandler.cancel_dump_traceback_later()
        faulthandler.unregister(signal.SIGXCPU)
        channel.emit(event="output", text=output.text(), warnings=harness.caught)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
