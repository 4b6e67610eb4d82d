"""Talking with a running child: its events, its loss questions, its output, its deadline.

Provides :func:`exchange`, which reads the child's channel and output pipes
until both close or the deadline passes, answers each question at once (a
step's arguments; a loss, which the engine computes here, in the tutor), and
returns an :class:`Exchange`:
the child's events in order, the tail of its raw output, whether it was
stopped, and what it wrote that was not an event.  Nothing the child writes can
make this raise or hold the tutor past the deadline: lines are capped, replies
never block, and a child that floods the channel is stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.exercises.protocol import MAX_LINE_BYTES, read_event

MAX_CHANNEL_BYTES = 128 * 1024 * 1024
"""Everything a run may send; a child that sends more is stopped."""
OUTPUT_TAIL = 64 * 1024
"""The last bytes of raw output kept (where a time-out's traceback dump is)."""
CHUNK = 1 << 16
ASKED = ("args", "loss")
"""Events that are questions: the child waits for the answer on its stdin."""

Answer = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Exchange:
    """What one run of the child said."""

    events: list[dict[str, Any]] = field(default_factory=list)
    output: bytes = b""
    stopped: bool = False  # killed at the deadline
    flooded: bool = False  # sent more than the tutor reads
    stray: int = 0  # lines on the channel that were not the harness's events
    forged: bool = False  # an event numbered as one already received
    returncode: int | None = None


class _Lines:
    """Bytes cut into lines, each at most :data:`MAX_LINE_BYTES` (a longer one is dropped)."""

    def __init__(self) -> None:
        self.pending = bytearray()
        self.skipping = False

    def feed(self, data: bytes) -> list[bytes]:
        """The lines ``data`` completes (only the new bytes are searched: long lines stay cheap)."""
        lines = []
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            if self.skipping:
                lines.append(b"\x00")  # the end of a dropped line: not an event
                self.skipping = False
            else:
                lines.append(bytes(self.pending) + data[start:end])
            self.pending.clear()
            start = end + 1
        if not self.skipping:
            self.pending += data[start:]
        if len(self.pending) > MAX_LINE_BYTES:
            self.pending.clear()
            self.skipping = True
        return lines


def exchange(
    process: subprocess.Popen[bytes],
    channel: int,
    output: int,
    deadline: float,
    answer: Answer,
) -> Exchange:
    """Serve the child until its channel closes or ``deadline`` (monotonic) passes.

    The channel closes when the harness ends (its forked children close their copy
    at once); the output pipe is read meanwhile but never waited for.  ``answer``
    turns a loss question into the reply.
    """
    result = Exchange()
    lines = _Lines()
    tail = bytearray()
    received = 0
    expected = 0
    reply = process.stdin
    if reply is not None:
        os.set_blocking(reply.fileno(), False)
    os.set_blocking(output, False)
    selector = selectors.DefaultSelector()
    selector.register(channel, selectors.EVENT_READ, "channel")
    selector.register(output, selectors.EVENT_READ, "output")
    try:
        while "channel" in {key.data for key in selector.get_map().values()}:
            now = time.monotonic()
            if now >= deadline:
                result.stopped = True
                break
            for key, _ in selector.select(timeout=min(0.25, deadline - now)):
                data = _read(key.fd)
                if not data:
                    selector.unregister(key.fd)
                elif key.data == "output":
                    tail += data
                    del tail[:-OUTPUT_TAIL]
                else:
                    received += len(data)
                    if received > MAX_CHANNEL_BYTES:
                        result.flooded = True
                        return result
                    for line in lines.feed(data):
                        event = read_event(line) if line.strip() else None
                        if event is None or event["n"] != expected:
                            result.stray += bool(line.strip())
                            result.forged |= event is not None and event["n"] < expected
                            continue
                        expected += 1
                        if event.get("event") in ASKED:
                            event = {**event, "answer": answer(event)}
                            if not _send(reply, event["answer"]):
                                result.flooded = True
                                return result
                        result.events.append(event)
        while data := _read(output):  # what is left of the output (a time-out's dump)
            tail += data
            del tail[:-OUTPUT_TAIL]
    finally:
        selector.close()
        result.output = bytes(tail)
    return result


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, CHUNK)
    except (BlockingIOError, OSError):
        return b""


def _send(reply: Any, message: dict[str, Any]) -> bool:
    """Write one reply line without blocking; False if the child is not reading."""
    if reply is None:
        return False
    data = (json.dumps(message) + "\n").encode()
    with contextlib.suppress(BrokenPipeError):
        try:
            written = os.write(reply.fileno(), data)
        except BlockingIOError:
            return False
        return written == len(data)
    return True
