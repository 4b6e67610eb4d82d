"""Running a learner's file in a child process with a time and a memory limit.

Provides :func:`run_steps`, which starts :mod:`tutor.exercises.harness` with this
Python (isolated mode, one BLAS thread, a private working directory), waits at
most the time limit plus start-up, and returns a :class:`Run`: the learner's
results by report name, and, when the run stopped early, a :class:`Failure` in
words a learner can act on.  The learner's code is never imported here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.exercises.protocol import Returned, returned

TIME_LIMIT = 5.0
"""Seconds the learner's code may run, per check (loading the file and every step)."""
MEMORY_LIMIT_MB = 512
"""Address space of the child process, in megabytes."""
STARTUP_ALLOWANCE = 5.0
"""Extra seconds for Python and NumPy to start before the learner's time begins."""
MAX_EVENTS_BYTES = 64 * 1024 * 1024
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
"""The folder holding this ``tutor`` package: the child runs the same harness as the parent."""
HARNESS = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from tutor.exercises.harness import main; raise SystemExit(main(sys.argv))"
)
DUMP_LINE = re.compile(r'File "(?P<file>.*)", line (?P<line>\d+) in (?P<function>\S+)')


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
) -> Run:
    """Run ``steps`` against the learner's ``file`` in a child process; never raises for it."""
    with tempfile.TemporaryDirectory(prefix="backprop-tutor-check-") as tmp:
        folder = Path(tmp)
        request = {
            "file": str(Path(file).resolve()),
            "time_limit": time_limit,
            "memory_mb": memory_mb,
            "requires": requires,
            "steps": steps,
        }
        (folder / "request.json").write_text(json.dumps(request), encoding="utf-8")
        events_path = folder / "events.jsonl"
        env = {
            **os.environ,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        command = [sys.executable, "-I", "-c", HARNESS, PACKAGE_ROOT]
        with open(folder / "stderr.txt", "wb") as stderr:
            process = subprocess.Popen(
                [*command, str(folder / "request.json"), str(events_path)],
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,
            )
            killed = _wait(process, time_limit + STARTUP_ALLOWANCE)
        events = _read_events(events_path)
        dump = events_path.with_suffix(".timeout")
        dumped = dump.read_text(errors="replace") if dump.exists() else ""
    return _interpret(events, steps, file, process.returncode, killed, dumped, time_limit)


def _wait(process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for the child; kill its whole process group after ``timeout``. True if killed."""
    try:
        process.wait(timeout=timeout)
        return False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


def _read_events(path: Path) -> list[dict[str, Any]]:
    """The events the child wrote, skipping a torn last line; none if the file is absent."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_EVENTS_BYTES)
    except OSError:
        return []
    events = []
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _interpret(
    events: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    file: Path,
    returncode: int | None,
    killed: bool,
    dumped: str,
    time_limit: float,
) -> Run:
    run = Run()
    started: int | None = None
    for event in events:
        kind = event.get("event")
        if kind == "loaded":
            run.loaded = True
        elif kind == "start" and isinstance(event.get("step"), int):
            started = event["step"]
        elif kind == "report" and isinstance(event.get("name"), str):
            run.results[event["name"]] = returned(event.get("value"))
        elif kind == "error":
            run.errors.append(learner_failure(event))
            run.failure = run.failure or run.errors[-1]
        elif kind == "output":
            run.output = str(event.get("text", ""))
            run.warnings = tuple(str(w) for w in event.get("warnings", []))
    done = any(e.get("event") == "done" for e in events)
    if run.failure is None and not done:
        what = steps[started].get("what", "") if started is not None else "loading your file"
        run.failure = _stopped(returncode, killed, dumped, file, time_limit, what)
    return run


def learner_failure(event: dict[str, Any]) -> Failure:
    """The learner's error, in words: their line, the exception and its message."""
    line = event.get("line") if isinstance(event.get("line"), int) else None
    message = str(event.get("message", ""))
    source = str(event.get("source", "")).strip()
    kind = str(event.get("kind", "exception"))
    at = f"line {line}" if line else "your file"
    quoted = f"\n    {source}" if source else ""
    if kind == "syntax":
        return Failure(f"Syntax error at {at}: {message}{quoted}", line, "syntax")
    if kind in ("missing", "unreadable"):
        return Failure(message[:1].upper() + message[1:] + ".", None, kind)
    during = f" while running {event['what']}" if event.get("what") else ""
    if kind == "exit":
        return Failure(f"Your code stopped the check{during} (it called exit, {at}).", line, kind)
    name = str(event.get("exception", "Exception"))
    if event.get("memory"):
        text = f"Out of memory at {at}{during}: the check allows {MEMORY_LIMIT_MB} MB."
        return Failure(text + quoted, line, "memory")
    if name == "NotImplementedError":
        text = f"Not written yet: {at} still raises NotImplementedError{during}."
        return Failure(text + quoted, line, "not written")
    detail = f": {message}" if message else ""
    return Failure(f"{name} at {at}{during}{detail}{quoted}", line, kind)


def _stopped(
    returncode: int | None, killed: bool, dumped: str, file: Path, limit: float, what: str
) -> Failure:
    """Why a child ended without finishing or reporting an error."""
    line = _dumped_line(dumped, file)
    at = f" at line {line} of your file" if line else ""
    during = f" ({what})" if what else ""
    if killed or dumped:
        return Failure(
            f"Stopped after the time limit of {limit:g} s: your code was still running{at}"
            f"{during}. Is there a loop that never ends?",
            line,
            "timeout",
        )
    if returncode is not None and returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else ""
        return Failure(
            f"Your code crashed the check ({name or returncode}){during}.", None, "crash"
        )
    return Failure(f"Your code ended the check early (exit status {returncode}){during}.", None)


def _dumped_line(dumped: str, file: Path) -> int | None:
    """The innermost line of the learner's file in a faulthandler dump, if any."""
    target = str(Path(file).resolve())
    for match in DUMP_LINE.finditer(dumped):
        if match["file"] == target:
            return int(match["line"])
    return None
