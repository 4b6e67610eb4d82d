"""A learner of a served class without a browser: signs in, speaks textual-serve's socket
protocol and keeps the screen in a terminal emulator (pyte). Used by the classroom tests
and ``bench/classroom.py``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import aiohttp
import pyte


class LearnerClient:
    """One simulated learner at ``base`` (an ``http://host:port/`` address)."""

    def __init__(self, base: str, name: str, code: str, width: int = 100, height: int = 30):
        self.base = base.rstrip("/") + "/"
        self.name = name
        self.code = code
        self.width, self.height = width, height
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.received = asyncio.Event()
        self.last_output = 0.0
        self.closed = asyncio.Event()
        self.texts: list[list[object]] = []
        self.output = bytearray()
        """Every byte the tutor has written, as received."""
        self._unread: list[bytes] = []  # fed to the emulator only when the screen is read
        self._reader: asyncio.Task[None] | None = None

    async def sign_in(self) -> aiohttp.ClientResponse:
        """POST the sign-in form; the cookie jar keeps the cookie on success."""
        form = {"name": self.name, "code": self.code}
        response = await self.http.post(self.base + "login", data=form, allow_redirects=False)
        await response.read()
        return response

    async def connect(self) -> None:
        """Open the tutor's socket and start reading the screen."""
        url = f"{self.base}ws?width={self.width}&height={self.height}"
        self.socket = await self.http.ws_connect(url)
        await self.socket.send_str(
            json.dumps(["resize", {"width": self.width, "height": self.height}])
        )
        await self.socket.send_str(json.dumps(["focus"]))  # as a browser's terminal does
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.socket is not None
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self._unread.append(message.data)
                self.output += message.data
                self.last_output = time.monotonic()
                self.received.set()
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.texts.append(json.loads(message.data))
        self.closed.set()

    def text(self) -> str:
        """The screen as lines of text."""
        if self._unread:
            data, self._unread = b"".join(self._unread), []
            self.stream.feed(data)
        return "\n".join(self.screen.display)

    async def wait_for(self, text: str, timeout: float = 60.0) -> float:
        """Wait until ``text`` is on screen; the seconds it took."""
        start = time.monotonic()
        while text not in self.text():
            if self.closed.is_set():
                raise ConnectionError(f"closed before {text!r} appeared:\n{self.text()}")
            remaining = timeout - (time.monotonic() - start)
            if remaining <= 0:
                raise TimeoutError(f"{text!r} not on screen after {timeout} s:\n{self.text()}")
            self.received.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.received.wait(), min(remaining, 0.5))
        return time.monotonic() - start

    async def press(self, keys: str) -> None:
        """Type ``keys`` as the browser's terminal would send them."""
        assert self.socket is not None
        await self.socket.send_str(json.dumps(["stdin", keys]))

    async def key_latency(self, keys: str, timeout: float = 30.0) -> float:
        """Press ``keys``; the seconds until the tutor's first output after them."""
        self.received.clear()
        start = time.monotonic()
        await self.press(keys)
        await asyncio.wait_for(self.received.wait(), timeout)
        return time.monotonic() - start

    async def settle(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Wait until the screen has not changed for ``quiet`` seconds."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            await asyncio.sleep(quiet / 3)
            if time.monotonic() - max(self.last_output, start) >= quiet:
                return

    async def close(self) -> None:
        """Close the socket (the server ends the tutor) and the HTTP session."""
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self.http.close()
