"""Noticing that the tutor's terminal has gone, whether or not a SIGHUP says so.

A terminal that closes sends SIGHUP to the processes it controls.  A tutor started on
a terminal it does not control (``setsid``, a program driving it on a pseudo-terminal,
some multiplexers) gets no signal; Textual's input thread then reads end-of-file again
and again, using most of a core until someone kills the process.  :func:`watch_for_hangup`
waits in a thread, asleep in ``poll`` for the hang-up alone (no timer, no reading), and
then calls back in the app's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import threading
from collections.abc import Callable

GONE = select.POLLHUP | select.POLLERR
"""What ``poll`` reports for a terminal whose other end closed (a pipe's writers all gone)."""


def watch_for_hangup(
    fd: int, loop: asyncio.AbstractEventLoop, on_hangup: Callable[[], None]
) -> None:
    """Call ``on_hangup`` in ``loop`` once the other end of ``fd`` has closed."""

    def wait() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # asks for nothing: only a hang-up or an error wakes it
        while True:
            events = [event for _, event in poller.poll()]
            if any(event & select.POLLNVAL for event in events):
                return  # the descriptor was closed here: the app is ending by itself
            if any(event & GONE for event in events):
                with contextlib.suppress(RuntimeError):  # the loop has closed meanwhile
                    loop.call_soon_threadsafe(on_hangup)
                return

    threading.Thread(target=wait, name="hangup-watch", daemon=True).start()
