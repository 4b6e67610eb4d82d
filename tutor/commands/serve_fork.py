"""The class server's warm start: one zygote loads the tutor once, every learner's tutor is forked
from it (the zygote's side is :mod:`tutor.commands.zygote`).

Provides :class:`Zygote` (starts the zygote, asks it for a learner's tutor) and
:class:`ForkedProcess` (that tutor, with the streams and ``wait``/``kill`` of the
asyncio subprocess textual-serve would have started).  A start then costs drawing
the home screen, not loading Python, Textual and NumPy again for every learner.
If the zygote cannot start or has gone, :meth:`Zygote.fork` returns None and the
learner's tutor is started from scratch, as textual-serve does.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import signal
import socket
import sys

from tutor.store.served import ZYGOTE_ENV

READY_LIMIT = 60.0
"""Seconds the zygote may take to load the tutor before the class starts without it."""
FORK_LIMIT = 10.0
"""Seconds a fork may take before the zygote is taken for broken."""
READ_LIMIT = 1 << 16
"""The buffer limit of a tutor's output streams (as asyncio's subprocesses have)."""
STREAMS = 3
log = logging.getLogger("backprop-tutor")


class ForkedProcess:
    """A learner's tutor forked by the zygote: its pipes as asyncio streams, its end as a pidfd.

    Not this server's child (the zygote collects its exit status), so :meth:`wait`
    returns once it has exited, with :attr:`returncode` 0 if the status is unknown.
    """

    def __init__(
        self,
        pid: int,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._exited = asyncio.get_running_loop().create_future()
        try:
            self._pidfd = os.pidfd_open(pid)
        except ProcessLookupError:  # it has exited already
            self._pidfd = -1
            self._on_exit()
        else:
            asyncio.get_running_loop().add_reader(self._pidfd, self._on_exit)

    def _on_exit(self) -> None:
        if self._pidfd >= 0:
            asyncio.get_running_loop().remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = -1
        self.returncode = 0
        self.stdin.close()
        if not self._exited.done():
            self._exited.set_result(None)

    async def wait(self) -> int:
        """Wait until the tutor has exited."""
        await asyncio.shield(self._exited)
        return self.returncode or 0

    def kill(self) -> None:
        """End the tutor at once (nothing if it has exited)."""
        if self._pidfd >= 0:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)


class Zygote:
    """One warm tutor process of the class server, forked once for each learner."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.environment = environment
        """The zygote's environment: the served tutor's, with no learner in it."""
        self.process: asyncio.subprocess.Process | None = None
        self._channel: socket.socket | None = None
        self._lock = asyncio.Lock()

    @property
    def alive(self) -> bool:
        """Whether the zygote is loaded and answering."""
        return self._channel is not None

    async def start(self) -> bool:
        """Start the zygote and wait until it has loaded the tutor; whether it did."""
        try:  # a forked tutor's end is watched through a pidfd (Linux 5.3)
            os.close(os.pidfd_open(os.getpid()))
        except (AttributeError, OSError):
            log.warning("This system cannot watch forked tutors; every tutor starts cold.")
            return False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        environment = {**self.environment, ZYGOTE_ENV: str(theirs.fileno())}
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tutor",
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                env=environment,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,  # a Ctrl+C at the server's terminal is the server's
            )
        finally:
            theirs.close()
        ours.setblocking(False)
        loop = asyncio.get_running_loop()
        try:
            ready = await asyncio.wait_for(loop.sock_recv(ours, 64), READY_LIMIT)
        except (TimeoutError, OSError):
            ready = b""
        if not ready:
            log.warning("The warm tutor did not start; every learner's tutor starts cold.")
            ours.close()
            await self.close()
            return False
        self._channel = ours
        return True

    async def fork(self, environment: dict[str, str]) -> ForkedProcess | None:
        """A new tutor for one learner, with ``environment`` added; None if the zygote has gone.

        Not cut short by a cancellation (the zygote's answer would be left for the next
        learner to read): the tutor made meanwhile is ended instead.
        """
        if self._channel is None:
            return None
        task = asyncio.ensure_future(self._fork(environment))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            task.add_done_callback(_end_unused)
            raise

    async def _fork(self, environment: dict[str, str]) -> ForkedProcess | None:
        ends = [os.pipe() for _ in range(STREAMS)]
        theirs = [ends[0][0], ends[1][1], ends[2][1]]  # the child reads stdin, writes the others
        ours = [ends[0][1], ends[1][0], ends[2][0]]
        loop = asyncio.get_running_loop()
        try:
            async with self._lock:
                channel = self._channel
                if channel is None:
                    raise ConnectionError("the warm tutor has gone")
                socket.send_fds(channel, [json.dumps(environment).encode()], theirs)
                answer = await asyncio.wait_for(loop.sock_recv(channel, 64), FORK_LIMIT)
            pid = int(answer)
        except (OSError, ValueError, TimeoutError) as exc:
            log.warning("The warm tutor has gone (%s); learners' tutors start cold.", exc)
            for fd in ours:
                os.close(fd)
            await self.close()
            return None
        finally:
            for fd in theirs:
                os.close(fd)
        return await _process(pid, *ours)

    async def close(self) -> None:
        """End the zygote (the tutors forked from it run on until their learners leave)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        process = self.process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 5.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()


def _end_unused(task: asyncio.Future[ForkedProcess | None]) -> None:
    """End a tutor forked for a learner who has gone meanwhile."""
    if not task.cancelled() and task.exception() is None:
        process = task.result()
        if process is not None:
            process.kill()


async def _process(pid: int, stdin: int, stdout: int, stderr: int) -> ForkedProcess:
    """The tutor ``pid`` with the server's ends of its pipes wrapped as asyncio streams."""
    loop = asyncio.get_running_loop()
    readers = []
    for fd in (stdout, stderr):
        reader = asyncio.StreamReader(limit=READ_LIMIT)
        pipe = open(fd, "rb", buffering=0)  # noqa: SIM115 (the transport closes it)
        await loop.connect_read_pipe(functools.partial(asyncio.StreamReaderProtocol, reader), pipe)
        readers.append(reader)
    pipe = open(stdin, "wb", buffering=0)  # noqa: SIM115 (the transport closes it)
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, pipe)
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    return ForkedProcess(pid, writer, readers[0], readers[1])
