"""One learner's connection to the class server: the socket, the tutor process, the queue.

Provides :class:`LearnerAppService` (textual-serve's ``AppService`` with the
learner's environment and a signal at the first frame) and :class:`Connection`
(reads the browser's messages, forwards them to the tutor once it runs, answers
pings and notes the size while the learner waits, and writes the waiting text
into the browser's terminal).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService

from tutor.classroom.board import Why
from tutor.classroom.pages import ended_text, waiting_text
from tutor.store.locations import HOME_ENV
from tutor.store.served import LEARNER_ENV, SERVED_ENV

if TYPE_CHECKING:
    from asyncio.subprocess import Process

    from tutor.commands.serve_fork import Zygote

STOP_LIMIT = 10.0
"""Seconds a tutor has to save and exit after being asked to quit, before it is killed."""
EXIT_LIMIT = 5.0
"""Seconds a tutor whose output has ended has to exit before it is killed."""
CLEAR = "\x1b[2J\x1b[H"
MAX_SIZE = 1000


class LearnerAppService(AppService):
    """A tutor process for one learner: their data directory and name in its environment."""

    def __init__(
        self,
        command: str,
        *,
        learner_key: str,
        environment: dict[str, str],
        on_first_frame: Callable[[], None],
        zygote: Zygote | None = None,
        **options: Any,
    ) -> None:
        super().__init__(command, **options)
        self.learner_key = learner_key
        """Whose tutor this is (a download goes to this learner only)."""
        self.learner_environment = environment
        self.zygote = zygote
        """The warm tutor to fork this learner's from (None, or gone: started from scratch)."""
        self._on_first_frame: Callable[[], None] | None = on_first_frame

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """The learner's tutor, forked from the warm zygote if there is one, else started."""
        if self.zygote is not None:
            size = {"COLUMNS": str(width), "ROWS": str(height)}
            process = await self.zygote.fork({**self.learner_environment, **size})
            if process is not None:
                self._process = process  # type: ignore[assignment]
                self._stdin = process.stdin
                return process  # type: ignore[return-value]
        return await super()._open_app_process(width, height)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """textual-serve's environment, without an editor, with the learner's variables."""
        environment = super()._build_environment(width=width, height=height)
        for name in ("EDITOR", "VISUAL"):
            environment.pop(name, None)
        environment.update(self.learner_environment)
        return environment

    async def on_data(self, payload: bytes) -> None:
        """Forward the tutor's output; the first of it means the tutor has started."""
        if self._on_first_frame is not None:
            self._on_first_frame()
            self._on_first_frame = None
        await super().on_data(payload)

    @property
    def finished(self) -> asyncio.Task[None] | None:
        """The task that reads the tutor's output: done when the tutor has exited."""
        return self._task

    async def end(self) -> None:
        """Ask the tutor to quit (it saves), wait for it to exit, and kill it only if it does not.

        Its output ends a moment before the process does: killing it then would cut short
        a tutor still writing its progress.
        """
        process = self._process
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.stop()), STOP_LIMIT)
        if process is not None:
            try:
                await asyncio.wait_for(process.wait(), EXIT_LIMIT)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._task is not None:
            await self._task


def served_environment() -> dict[str, str]:
    """The environment of a served tutor before a learner is in it (textual-serve's driver and
    terminal; no editor, no data directory): the zygote's."""
    environment = dict(os.environ)
    for name in ("EDITOR", "VISUAL", HOME_ENV, LEARNER_ENV, SERVED_ENV):
        environment.pop(name, None)
    environment.update(
        TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
        TEXTUAL_FPS="60",
        TEXTUAL_COLOR_SYSTEM="truecolor",
        TERM_PROGRAM="textual",
        TERM_PROGRAM_VERSION=version("textual-serve"),
    )
    # NumPy's BLAS on one thread: a class shares the machine's cores already, and the zygote
    # then has no thread for a fork to leave behind.
    environment.setdefault("OPENBLAS_NUM_THREADS", "1")
    return environment


def _size(value: object, default: int) -> int:
    return value if isinstance(value, int) and 1 <= value <= MAX_SIZE else default


class Connection:
    """The browser's socket of one learner, before and while their tutor runs."""

    def __init__(self, socket: web.WebSocketResponse, width: int, height: int) -> None:
        self.socket = socket
        self.width = width
        self.height = height
        self.service: LearnerAppService | None = None
        self.focused = True
        """Whether the browser's terminal has the focus (told to the tutor once it runs)."""

    async def read(self) -> None:
        """Handle the browser's messages until the socket closes."""
        async for message in self.socket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
            except ValueError:
                continue
            if isinstance(envelope, list) and envelope and isinstance(envelope[0], str):
                await self._handle(envelope[0], envelope[1] if len(envelope) > 1 else None)

    async def _handle(self, kind: str, data: object) -> None:
        service = self.service
        if kind == "ping":
            await self.socket.send_json(["pong", data])
        elif kind == "resize" and isinstance(data, dict):
            self.width = _size(data.get("width"), self.width)
            self.height = _size(data.get("height"), self.height)
            if service is not None:
                await service.set_terminal_size(self.width, self.height)
        elif kind in ("blur", "focus"):
            self.focused = kind == "focus"
            if service is not None:
                await (service.focus() if self.focused else service.blur())
        elif kind == "stdin" and isinstance(data, str) and service is not None:
            await service.send_bytes(data.encode("utf-8"))

    async def attach(self, service: LearnerAppService) -> None:
        """The tutor runs: from now on keys go to it; tell it the size and focus meanwhile."""
        self.service = service
        await service.set_terminal_size(self.width, self.height)
        await (service.focus() if self.focused else service.blur())

    async def write(self, text: str) -> None:
        """Show ``text`` on a cleared terminal in the browser (nothing if it has gone)."""
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.socket.send_bytes((CLEAR + text).encode("utf-8"))

    def waiting(self, max_sessions: int) -> Callable[[int, Why], Any]:
        """A ``show`` for :meth:`Board.wait_turn`: the learner's place, in their terminal."""

        async def show(place: int, why: Why) -> None:
            await self.write(waiting_text(place, why, max_sessions))

        return show

    async def end(self, why: str) -> None:
        """Tell the browser why its session ends, then close the socket."""
        if self.service is None:
            await self.write(ended_text(why))
        await self.socket.close()
