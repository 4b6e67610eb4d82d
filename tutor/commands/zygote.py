"""A warm tutor for a class: loaded once, forked once per learner (the class server's side is
:mod:`tutor.commands.serve_fork`).

A tutor's start is mostly loading Python modules (Textual, the tutor, NumPy): about
a CPU-second per learner, all at the start of a class.  The class server starts one
process with :data:`ZYGOTE_ENV` set; :func:`fork_per_learner` loads those modules
once, then waits on its socket.  For each learner the server sends their
environment and the three ends of their tutor's pipes; the zygote forks, and the
child becomes that learner's tutor (it returns from :func:`fork_per_learner` and the
command line runs the tutor as usual), paying only for drawing its home screen.

Learners stay apart: the zygote holds no learner's data and never runs a tutor
itself; each forked child serves exactly one learner and is never reused, and
nothing a learner types reaches the zygote (their name travels as data, into the
child's environment, never into a command).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import pkgutil
import signal
import socket

from tutor.store.served import ZYGOTE_ENV

READY = b"ready"
PRELOAD = (
    "textual.app",
    "textual.drivers.web_driver",
    "tutor.commands.tui",
    "tutor.tui.app",
    "tutor.tui.screens.home",
    "tutor.lesson.cache",
    "tutor.lesson.card",
    "tutor.lesson.parser",
    "tutor.lesson.blocks",  # a lesson's blocks, read whole (the parser's outline does not)
    "tutor.lesson.catalog",
    "tutor.tui.screens.lesson",
    "textual.scrollbar",
    "plotext",
)
"""What a learner's tutor loads to show the home screen and open a lesson, and the plots'
library; then every module of :mod:`tutor.tui` (what a lesson's steps, the quiz and the
exercises load as they are first shown)."""
MESSAGE_LIMIT = 1 << 16
STREAMS = 3
"""A learner's tutor's standard input, output and error: the file descriptors of a request."""


def fork_per_learner() -> None:
    """Load the tutor, then fork a tutor for each learner the server asks for.

    Returns only in a forked child, which is then one learner's tutor (its
    standard streams are the learner's pipes, its environment theirs).  The
    zygote itself exits when the server closes its socket.
    """
    channel = socket.socket(fileno=int(os.environ.pop(ZYGOTE_ENV)))
    gc.disable()  # what is loaded lives as long as every tutor: frozen, never collected
    for name in PRELOAD:
        importlib.import_module(name)
    import tutor.tui

    for module in pkgutil.walk_packages(tutor.tui.__path__, "tutor.tui."):
        importlib.import_module(module.name)
    gc.freeze()  # a child's collections then leave these pages shared with the zygote
    signal.signal(signal.SIGCHLD, _reap)
    channel.sendall(READY)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(channel, MESSAGE_LIMIT, STREAMS)
        except OSError:
            message, fds = b"", []
        if not message or len(fds) != STREAMS:
            for fd in fds:
                os.close(fd)
            if not message:
                os._exit(0)  # the server has gone: so does the zygote
            continue
        pid = os.fork()
        if pid == 0:
            _become_tutor(channel, json.loads(message), fds)
            return
        for fd in fds:
            os.close(fd)
        channel.sendall(str(pid).encode())


def _become_tutor(channel: socket.socket, environment: dict[str, str], fds: list[int]) -> None:
    """In the forked child: the learner's streams and environment, the zygote's ways dropped."""
    channel.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the tutor waits for its own children
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.update({str(k): str(v) for k, v in environment.items()})


def _reap(signum: int, frame: object) -> None:
    """Collect every tutor that has exited (its CPU time is then counted in the zygote's)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
