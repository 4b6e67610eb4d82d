"""``backprop-tutor serve``: the tutor for a class, in the browser, every learner apart.

Provides :class:`ClassServer`, a subclass of textual-serve's ``Server``, and
:func:`run_serve`.  ``GET /`` is the sign-in page; ``POST /login`` (``name``,
``code``) sets the learner's signed cookie and sends them to ``tutor``, the
terminal page (``GET /login``, the address a refused sign-in leaves, goes back to ``/``);
its socket ``ws`` starts the learner's own tutor with their data
directory in the environment (the command string never holds anything a learner
typed), one session per learner, queued behind the caps on sessions and starts.
Each learner's tutor is forked from the class's warm tutor, loaded once as the
class starts (:mod:`tutor.commands.serve_fork`), or started from scratch without it.
``/teacher`` is the teacher's report (:mod:`tutor.classroom.teacher`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from tutor.classroom import catalog_seed
from tutor.classroom.board import Board, Seat
from tutor.classroom.codes import new_code
from tutor.classroom.folder import ClassFolder
from tutor.classroom.names import Learner
from tutor.classroom.pages import sign_in_page
from tutor.classroom.signin import LEARNER_COOKIE, Doorkeeper
from tutor.classroom.signing import Signer, load_secret
from tutor.classroom.teacher import TeacherDesk
from tutor.classroom.web import html, secure, see_other, set_signed_cookie
from tutor.commands.serve_fork import Zygote
from tutor.commands.serve_session import (
    STOP_LIMIT,
    Connection,
    LearnerAppService,
    served_environment,
)
from tutor.store.locations import HOME_ENV, LESSONS_ENV, data_dir, lesson_dirs
from tutor.store.served import LEARNER_ENV, SERVED_ENV

if TYPE_CHECKING:
    import argparse

TEMPLATES = Path(__file__).resolve().parent.parent / "classroom" / "templates"
FONTS = TEMPLATES.parent / "static" / "fonts"
START_LIMIT = 20.0
"""Seconds a start may hold its place among the concurrent starts before it counts as done."""
HEARTBEAT = 30.0
"""Seconds between pings; a browser silent for half of it is taken for gone (its tutor saves
and ends; a reconnect takes over anyway). textual-serve's 15 s dropped learners of a busy class."""
CLOSE_LIMIT = 3.0
"""Seconds to wait for a browser to answer the closing of its socket: a silently dropped one
never does, and its learner's reconnect waits for the old tutor to end."""
TAKEN_OVER = "Your tutor was opened in another window or tab, and continues there."
CLOSING = "The class server is closing. Your work is saved."


def tutor_command() -> str:
    """The command textual-serve runs (through a shell) for every learner: fixed, no input."""
    return f"exec {shlex.quote(sys.executable)} -m tutor"


class ClassServer(Server):
    """textual-serve's server with sign-in, one data directory per learner, caps and a queue."""

    def __init__(
        self,
        *,
        root: Path,
        class_code: str,
        teacher_code: str,
        host: str = "0.0.0.0",
        port: int = 8000,
        max_sessions: int = 40,
        max_starts: int | None = None,
        public_url: str | None = None,
        lessons: tuple[Path, ...] = (),
        warm: bool = True,
    ) -> None:
        super().__init__(
            tutor_command(),
            host=host,
            port=port,
            title="backprop-tutor",
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.folder = ClassFolder(root)
        self.folder.make()
        self.doorkeeper = Doorkeeper(
            self.folder, Signer(load_secret(self.folder.root)), class_code, teacher_code
        )
        self.max_sessions = max_sessions
        self.max_starts = max_starts or max(1, os.cpu_count() or 1)
        self.board: Board | None = None
        self.lessons = lessons
        self.catalog_dir = self.folder.root / "catalog"
        self.given_public_url = public_url
        self.zygote: Zygote | None = Zygote(served_environment()) if warm else None
        """The warm tutor every learner's is forked from (None: each starts from scratch)."""

    # ------------------------------------------------------------------ the web app
    async def _make_app(self) -> web.Application:
        """The routes: sign-in, the tutor page and its socket, downloads, static files, teacher."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_sign_in_page, name="index"),
                web.post("/login", self.handle_login, name="login"),
                web.get("/login", self.handle_login_address),
                web.get("/logout", self.handle_logout, name="logout"),
                web.get("/tutor", self.handle_tutor_page, name="tutor"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
                web.static("/fonts", FONTS, name="fonts"),
                *TeacherDesk(self.doorkeeper, self.online).routes(),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def learner_of(self, request: web.Request) -> Learner | None:
        """The signed-in learner of a request, from their cookie."""
        return self.doorkeeper.learner_of(request.cookies.get(LEARNER_COOKIE))

    async def handle_sign_in_page(self, request: web.Request) -> web.StreamResponse:
        """The sign-in form; a learner already signed in goes straight to their tutor."""
        if self.learner_of(request) is not None:
            raise web.HTTPFound("tutor")
        return html(sign_in_page())

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        """Check the form; set the learner's cookie and send them to the tutor, or say why not."""
        form = await request.post()
        name, code = str(form.get("name", "")), str(form.get("code", ""))
        result = self.doorkeeper.sign_in(name, code, request.cookies.get(LEARNER_COOKIE))
        if result.learner is None:
            return html(sign_in_page(result.refused, name), status=403)
        response = see_other("tutor")
        set_signed_cookie(response, request, LEARNER_COOKIE, result.cookie)
        return response

    async def handle_login_address(self, request: web.Request) -> web.StreamResponse:
        """``/login`` opened as an address (after a refused sign-in, say): the sign-in page."""
        return see_other("./")

    async def handle_logout(self, request: web.Request) -> web.StreamResponse:
        """Forget the learner's cookie in this browser (their work stays in the class folder)."""
        response = see_other("./")
        response.del_cookie(LEARNER_COOKIE, path="/")
        return response

    async def handle_tutor_page(self, request: web.Request) -> web.StreamResponse:
        """The terminal page (our template), for a signed-in learner only."""
        learner = self.learner_of(request)
        if learner is None:
            raise web.HTTPFound("./")
        context = {
            "font_size": max(8, min(40, _int(request.query.get("fontsize", "16"), 16))),
            "app_websocket_url": self._websocket_url(request),
            "application": {"name": f"backprop-tutor: {learner.name}"},
        }
        return aiohttp_jinja2.render_template("tutor.html", request, context)

    def _websocket_url(self, request: web.Request) -> str:
        """The socket's absolute address (the page recomputes it from its own address)."""
        base = self.given_public_url or f"{request.scheme}://{request.host}"
        if request.headers.get("X-Forwarded-Host") and not self.given_public_url:
            proto = "https" if secure(request) else "http"
            base = f"{proto}://{request.headers['X-Forwarded-Host']}"
        scheme = "wss" if base.startswith("https") else "ws"
        return f"{scheme}:{base.split(':', 1)[1].rstrip('/')}/ws"

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file the learner's own tutor delivered (never another learner's)."""
        learner = self.learner_of(request)
        try:
            meta = await self.download_manager.get_download_metadata(request.match_info["key"])
        except KeyError:
            raise web.HTTPNotFound(text="That download has expired.") from None
        owner = getattr(meta.app_service, "learner_key", None)
        if learner is None or owner != learner.key:
            raise web.HTTPNotFound(text="That download has expired.")
        return await super().handle_download(request)

    # ---------------------------------------------------------------- the socket
    def _same_origin(self, request: web.Request) -> bool:
        """Refuse sockets opened by other sites' pages (the cookie would ride along)."""
        origin = request.headers.get("Origin")
        if not origin:
            return True
        host = request.headers.get("X-Forwarded-Host") or request.host
        allowed = {host}
        if self.given_public_url:
            allowed.add(urlsplit(self.given_public_url).netloc)
        return urlsplit(origin).netloc in allowed

    def online(self) -> dict[str, str]:
        """Who is in the class now, by learner key: "working" or "waiting"."""
        board = self._the_board()
        status = {seat.key: "waiting" for seat in board.queue}
        status.update({key: "working" for key in board.live})
        return status

    def learner_environment(self, learner: Learner) -> dict[str, str]:
        """What the learner's tutor is told, through its environment only."""
        environment = {
            HOME_ENV: str(self.folder.directory(learner)),
            SERVED_ENV: "1",
            LEARNER_ENV: learner.name,
        }
        if self.lessons:
            environment[LESSONS_ENV] = os.pathsep.join(str(d) for d in lesson_dirs(self.lessons))
        return environment

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Queue the learner, start their tutor, relay until either side ends, then stop it."""
        learner = self.learner_of(request)
        if learner is None:
            raise web.HTTPForbidden(text="Sign in first.")
        if not self._same_origin(request):
            raise web.HTTPForbidden(text="This socket belongs to the class's own page.")
        board = self._the_board()
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT, timeout=CLOSE_LIMIT)
        await websocket.prepare(request)
        connection = Connection(
            websocket,
            _int(request.query.get("width", "80"), 80),
            _int(request.query.get("height", "24"), 24),
        )
        seat = Seat(learner.key, connection.end)
        reader = asyncio.create_task(connection.read())
        try:
            await board.replace(seat, TAKEN_OVER, limit=20.0)
            turn = asyncio.create_task(board.wait_turn(seat, connection.waiting(self.max_sessions)))
            await asyncio.wait({turn, reader}, return_when=asyncio.FIRST_COMPLETED)
            if not turn.done():
                turn.cancel()
                return websocket
            await self._run_tutor(learner, seat, connection, reader)
        finally:
            reader.cancel()
            board.leave(seat)
            if not websocket.closed:
                await websocket.close()
        return websocket

    async def _run_tutor(
        self, learner: Learner, seat: Seat, connection: Connection, reader: asyncio.Task[None]
    ) -> None:
        board = self._the_board()
        catalog_seed.seed(self.folder.directory(learner), self.catalog_dir)
        service = LearnerAppService(
            self.command,
            learner_key=learner.key,
            environment=self.learner_environment(learner),
            on_first_frame=lambda: board.started(seat),
            zygote=self.zygote,
            write_bytes=connection.socket.send_bytes,
            write_str=connection.socket.send_str,
            close=connection.socket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        timer = asyncio.get_running_loop().call_later(START_LIMIT, board.started, seat)
        try:
            await service.start(connection.width, connection.height)
            await connection.attach(service)
            finished = service.finished
            waits: set[asyncio.Future[None]] = {reader}
            if finished is not None:
                waits.add(finished)
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
            await service.end()

    def _the_board(self) -> Board:
        if self.board is None:
            self.board = Board(self.max_sessions, self.max_starts)
        return self.board

    # ------------------------------------------------------------------ start and end
    async def on_startup(self, app: web.Application) -> None:
        """Build the class's lesson list once and load the warm tutor, then say where the class
        is and its codes."""
        self._the_board()
        directories = lesson_dirs(self.lessons)
        await asyncio.get_running_loop().run_in_executor(
            None, catalog_seed.prepare, self.catalog_dir, directories
        )
        if self.zygote is not None:
            await self.zygote.start()
        print(f"backprop-tutor class: {self.address()}")
        print(f"  class code:   {self.doorkeeper.class_code}   (for the learners)")
        teacher = self.doorkeeper.teacher_code
        print(f"  teacher code: {teacher}   (the report: {self.address()}teacher)")
        print(f"  class folder: {self.folder.root}")
        print("Press Ctrl+C to end the class (every learner's work is saved).", flush=True)

    def address(self) -> str:
        """The address learners open, ending in a slash."""
        if self.given_public_url:
            return self.given_public_url.rstrip("/") + "/"
        host = socket.gethostname() if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}/"

    async def on_shutdown(self, app: web.Application) -> None:
        """End every learner's session (each tutor saves) before the server stops."""
        board = self._the_board()
        seats = board.seats()
        await asyncio.gather(*(seat.end(CLOSING) for seat in seats), return_exceptions=True)
        gone = asyncio.gather(*(seat.gone.wait() for seat in seats))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(gone, STOP_LIMIT + 5)
        if self.zygote is not None:
            await self.zygote.close()

    def initialize_logging(self) -> None:
        """Warnings only: the terminal that runs the class shows the codes, not every request."""
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(message)s")


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def run_serve(args: argparse.Namespace) -> int:
    """Serve the class until Ctrl+C; return the exit status."""
    root = Path(args.root) if args.root else data_dir() / "class"
    server = ClassServer(
        root=root.expanduser().resolve(),
        class_code=args.class_code or new_code(6),
        teacher_code=args.teacher_code or new_code(10),
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        max_starts=args.max_starts,
        warm=not args.cold_starts,
        public_url=args.public_url,
        lessons=tuple(args.lessons),
    )
    server.serve()
    return 0
