"""Running a learner's file in the sandbox, within limits, and reading back only its values.

Provides :func:`run_steps`: it copies the learner's file (as read once, here),
the standalone harness and the request into a private folder, starts the
harness in the sandbox of :mod:`tutor.exercises.sandbox`, serves it through
:mod:`tutor.exercises.exchange` (the engine answers loss questions here), ends
every process the run started, and returns a :class:`Run`: the learner's values
by report name and, when the run stopped early, a :class:`Failure` in words a
learner can act on.  The learner's code is never imported here, and no value
the tutor expects is ever sent to the child.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tutor.exercises import sandbox as sandboxes
from tutor.exercises.exchange import Answer, Exchange, exchange
from tutor.exercises.imports import REFUSED
from tutor.exercises.protocol import Returned, array_of, returned

TIME_LIMIT = 5.0
"""CPU seconds the learner's code may compute, per check (loading the file and every step):
CPU time, so a busy machine (a class on one server) does not stop a correct check."""
WAIT_FACTOR = 5
"""A check that has not ended after this many times its time limit of wall-clock time is
stopped all the same: code that waits (``input()``, ``time.sleep``) computes nothing."""
MEMORY_LIMIT_MB = 512
"""Address space of the child process, in megabytes."""
PROCESS_LIMIT = 64
"""Processes (and threads) the learner's code may start."""
STARTUP_ALLOWANCE = 5.0
"""Extra seconds for Python and NumPy to start before the learner's time begins."""
EXIT_GRACE = 1.0
"""Seconds a child whose channel closed has to exit by itself (its exit status is kept)."""
MARK = "BACKPROP_TUTOR_CHECK"
"""The environment variable that marks every process of one run (the plain child's clean-up)."""
DUMP_LINE = re.compile(r'File "(?P<file>.*)", line (?P<line>\d+) in (?P<function>\S+)')
HARNESS = Path(__file__).with_name("harness.py")


@dataclass(frozen=True)
class Failure:
    """Why a run stopped before its last step: a message, and the learner's line if known."""

    message: str
    line: int | None = None
    kind: str = "exception"  # syntax, exception, not written, missing, timeout, memory, crash, exit


@dataclass
class Run:
    """What one run of the learner's file produced."""

    results: dict[str, Returned] = field(default_factory=dict)
    failure: Failure | None = None
    """The first error, or why the run ended early."""
    errors: list[Failure] = field(default_factory=list)
    """Every step that raised (the run goes on past a failed step to the ones it does not feed)."""
    output: str = ""
    warnings: tuple[str, ...] = ()
    loaded: bool = False


def run_steps(
    file: Path,
    steps: list[dict[str, Any]],
    requires: dict[str, Any],
    *,
    time_limit: float = TIME_LIMIT,
    memory_mb: int = MEMORY_LIMIT_MB,
    source: bytes | None = None,
    sandbox: sandboxes.Sandbox | None = None,
) -> Run:
    """Run ``steps`` against the learner's ``file`` (or its ``source``) in the sandbox.

    Never raises for anything in the file; raises ``OSError`` if the child cannot start.
    """
    box = sandbox if sandbox is not None else sandboxes.choose()
    code = Path(file).read_bytes() if source is None else source
    name = Path(file).name
    if Path(file).suffix != ".py" or name in ("harness.py", "request.json"):
        name = "learner.py"  # never in the harness's place
    losses: list[dict[str, Any]] = []
    arguments = [_arguments(step, losses) for step in steps]
    sent = [_outline(step) for step in steps]
    uid = sandboxes.check_uid() if box.drops_root else None
    with tempfile.TemporaryDirectory(prefix="backprop-tutor-check-") as tmp:
        folder = Path(tmp)
        files = {"harness.py": folder / "harness.py", "request.json": folder / "request.json"}
        files[name] = folder / name
        shutil.copyfile(HARNESS, files["harness.py"])
        files[name].write_bytes(code)
        request = {
            "file": box.path(folder, name),
            "wait_limit": time_limit * WAIT_FACTOR,
            "limits": {
                "memory_mb": memory_mb,
                "cpu_seconds": time_limit,
                "processes": PROCESS_LIMIT,
            },
            "requires": requires,
            "steps": sent,
            "path": [box.site(folder)],
            "refused": dict(REFUSED),
            "fork": not box.isolated,  # so that the child's parent is not the tutor
            "drop": uid,  # from root to this user, or stay who it is (None)
        }
        files["request.json"].write_text(json.dumps(request), encoding="utf-8")
        for path in files.values():
            path.chmod(0o644)
        work = folder / "work"  # the plain child's working folder (bwrap's is its own /tmp)
        work.mkdir()
        if uid is not None and not box.isolated:  # the child reads NumPy through site/
            folder.chmod(0o755)
            os.chown(work, uid, uid)
        argv = [box.path(folder, "harness.py"), box.path(folder, "request.json")]
        said = _start_and_serve(box, folder, files, argv, time_limit, _answerer(arguments, losses))
    return _interpret(said, steps, box.path(folder, name), time_limit)


def _start_and_serve(
    box: sandboxes.Sandbox,
    folder: Path,
    files: dict[str, Path],
    argv: list[str],
    time_limit: float,
    answer: Answer,
) -> Exchange:
    channel_read, channel_write = os.pipe()
    output_read, output_write = os.pipe()
    mark = secrets.token_hex(16)
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        MARK: mark,
    }
    try:
        process = subprocess.Popen(
            box.command(folder, files, [*argv, str(channel_write)]),
            cwd=folder / "work",
            env=env,
            stdin=subprocess.PIPE,
            stdout=output_write,
            stderr=output_write,
            pass_fds=(channel_write,),
            start_new_session=True,
        )
    except BaseException:
        for fd in (channel_read, channel_write, output_read, output_write):
            os.close(fd)
        raise
    os.close(channel_write)
    os.close(output_write)

    deadline = time.monotonic() + time_limit * WAIT_FACTOR + STARTUP_ALLOWANCE
    try:
        said = exchange(process, channel_read, output_read, deadline, answer)
        if not said.stopped:  # the channel closed: the child is ending; let it say how
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=EXIT_GRACE)
    finally:
        _end(process, mark)
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        process.wait()
        os.close(channel_read)
        os.close(output_read)
    said.returncode = process.returncode
    return said


def _end(process: subprocess.Popen[bytes], mark: str) -> None:
    """Kill the child's process group and every process carrying this run's mark."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for pid in _marked(f"{MARK}={mark}".encode()):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _marked(mark: bytes) -> list[int]:
    """Processes whose environment holds ``mark`` (the plain child's descendants)."""
    found: list[int] = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return found
    for name in names:
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as handle:
                environ = handle.read()
        except OSError:
            continue
        if mark in environ.split(b"\0"):
            found.append(int(name))
    return found


def _arguments(step: dict[str, Any], losses: list[dict[str, Any]]) -> list[Any]:
    """The step's arguments as sent when it runs: a loss becomes its number, its data stays."""
    args = []
    for arg in step.get("args", []):
        if isinstance(arg, dict) and isinstance(arg.get("loss"), dict):
            losses.append(arg["loss"])
            args.append({"loss": len(losses) - 1})
        else:
            args.append(arg)
    return args


def _outline(step: dict[str, Any]) -> dict[str, Any]:
    """The step as the request holds it: which values it uses, none of its arguments' data.

    The child asks for a step's arguments when it runs it, so no step's code can read a
    later step's (the right gradients that a later step is handed, say).
    """
    args = [a if isinstance(a, dict) and "ref" in a else None for a in step.get("args", [])]
    return {**step, "args": args}


def _answerer(arguments: list[list[Any]], losses: list[dict[str, Any]]) -> Answer:
    """The tutor's replies: a step's arguments (once each, in order) and losses."""
    handed = -1

    def answer(event: dict[str, Any]) -> dict[str, Any]:
        nonlocal handed
        if event.get("event") == "args":
            step = event.get("step")
            if not isinstance(step, int) or not handed < step < len(arguments):
                return {"error": "arguments are handed out once, step by step"}
            handed = step
            return {"args": arguments[step]}
        return _loss(event, losses)

    return answer


def _loss(event: dict[str, Any], losses: list[dict[str, Any]]) -> dict[str, Any]:
    index, params = event.get("spec"), event.get("params")
    if not isinstance(index, int) or not 0 <= index < len(losses):
        return {"error": "no such loss"}
    if not isinstance(params, dict) or len(params) > 64:
        return {"error": "params must be a dict of arrays W1, b1, W2, …"}
    arrays = {str(k): array_of(v) for k, v in params.items()}
    try:
        return {"loss": engine_loss(losses[index], arrays)}
    except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
        return {"error": str(exc)}


def engine_loss(spec: dict[str, Any], params: dict[str, np.ndarray | None]) -> float:
    """The engine's loss of the network ``spec`` describes, with the learner's parameters."""
    from tutor.engine import LayerSpec, NetworkSpec, loss_of

    x, t = array_of(spec["input"]), array_of(spec["target"])
    if x is None or t is None:
        raise ValueError("the loss's data cannot be read")
    layers, rows = [], x.shape[0]
    for i, activation in enumerate(spec["activations"], start=1):
        W, b = params.get(f"W{i}"), params.get(f"b{i}")
        if W is None or W.ndim != 2 or W.shape[1] != rows:
            raise ValueError(f"params['W{i}'] is missing or has the wrong shape")
        if f"b{i}" in params and (b is None or b.shape != (W.shape[0], 1)):
            raise ValueError(f"params['b{i}'] has the wrong shape: it should be ({W.shape[0]}, 1)")
        layers.append(LayerSpec(W, b, activation))
        rows = W.shape[0]
    if rows != t.shape[0]:
        raise ValueError("the last layer's W has the wrong number of rows")
    return float(loss_of(NetworkSpec(x, t, spec["loss"], tuple(layers))))


def _interpret(said: Exchange, steps: list[dict[str, Any]], path: str, limit: float) -> Run:
    run = Run()
    started: int | None = None
    running: int | None = None  # the step whose arguments were handed out last
    notes: list[str] = []
    for event in said.events:
        kind = event.get("event")
        if kind == "loaded":
            run.loaded = True
        elif kind == "start" and isinstance(event.get("step"), int):
            started = event["step"]
        elif kind == "args" and "args" in event.get("answer", {}):
            running = event["step"]
        elif kind == "report" and isinstance(event.get("name"), str):
            if event.get("step") == running and event["name"] not in run.results:
                run.results[event["name"]] = returned(event.get("value"))
        elif kind == "error":
            run.errors.append(learner_failure(event))
            run.failure = run.failure or run.errors[-1]
        elif kind == "output":
            run.output = str(event.get("text", ""))[:10_000]
            found = event.get("warnings", [])
            notes += [str(w)[:300] for w in found[:5]] if isinstance(found, list) else []
    if said.stray:
        notes.append(
            f"{said.stray} line(s) on the tutor's check channel did not come from the check "
            "(your code wrote there?); they were ignored"
        )
    run.warnings = tuple(notes)
    done = any(e.get("event") == "done" for e in said.events)
    if said.forged or said.flooded:
        run.results = {}
        why = "repeated the check's own messages" if said.forged else "sent far too much"
        run.failure = Failure(
            f"Your code wrote to the tutor's check channel ({why}), so this run is not judged.",
            None,
            "tampered",
        )
    elif run.failure is None and not done:
        what = steps[started].get("what", "") if started is not None else "loading your file"
        dumped = said.output.decode("utf-8", errors="replace")
        run.failure = _stopped(said, dumped, path, limit, what)
    return run


def learner_failure(event: dict[str, Any]) -> Failure:
    """The learner's error, in words: their line, the exception and its message."""
    line = event.get("line") if isinstance(event.get("line"), int) else None
    message = str(event.get("message", ""))[:300]
    source = str(event.get("source", "")).strip()[:300]
    kind = str(event.get("kind", "exception"))
    at = f"line {line}" if line else "your file"
    quoted = f"\n    {source}" if source else ""
    if kind == "syntax":
        return Failure(f"Syntax error at {at}: {message}{quoted}", line, "syntax")
    if kind in ("missing", "unreadable"):
        return Failure(message[:1].upper() + message[1:] + ".", None, kind)
    what = str(event.get("what") or "")[:200]
    during = f" while {what}" if what.startswith("loading") else f" while running {what}"
    during = during if what else ""
    if kind == "exit":
        return Failure(f"Your code stopped the check{during} (it called exit, {at}).", line, kind)
    name = str(event.get("exception", "Exception"))[:100]
    if event.get("memory") is True:
        text = f"Out of memory at {at}{during}: the check allows {MEMORY_LIMIT_MB} MB."
        return Failure(text + quoted, line, "memory")
    if name == "NotImplementedError":
        text = f"Not written yet: {at} still raises NotImplementedError{during}."
        return Failure(text + quoted, line, "not written")
    detail = f": {message}" if message else ""
    return Failure(f"{name} at {at}{during}{detail}{quoted}", line, kind)


def _stopped(said: Exchange, dumped: str, path: str, limit: float, what: str) -> Failure:
    """Why a child ended without finishing or reporting an error."""
    line = _dumped_line(dumped, path)
    at = f" at line {line} of your file" if line else ""
    during = f" ({what})" if what else ""
    code = said.returncode
    signalled = -code if code is not None and code < 0 else (code or 0) - 128  # bwrap: 128 + n
    if signalled == signal.SIGXCPU:
        return Failure(
            f"Stopped after the time limit of {limit:g} s of computing: your code was still "
            f"running{at}{during}. Is there a loop that never ends?",
            line,
            "timeout",
        )
    if said.stopped or "Timeout (" in dumped:
        return Failure(
            f"Stopped after waiting {limit * WAIT_FACTOR:g} s (the time limit of {limit:g} s "
            f"of computing, {WAIT_FACTOR} times over): your code had not finished{at}{during}. "
            "Is it waiting for something, such as input() or time.sleep()?",
            line,
            "timeout",
        )
    if code is not None and signalled in signal.valid_signals():
        name = signal.Signals(signalled).name
        return Failure(f"Your code crashed the check ({name}){during}.", None, "crash")
    lines = [text.strip() for text in dumped.splitlines() if text.strip()]
    last = f" The last it wrote: {lines[-1][:200]}" if lines else ""  # e.g. a crash's cause
    return Failure(f"Your code ended the check early (exit status {code}){during}.{last}", None)


def _dumped_line(dumped: str, path: str) -> int | None:
    """The innermost line of the learner's file in a faulthandler dump, if any."""
    for match in DUMP_LINE.finditer(dumped):
        if match["file"] == path:
            return int(match["line"])
    return None
