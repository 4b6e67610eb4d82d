"""The class server without a browser: aiohttp's test server, learners over textual-serve's
real socket protocol, each learner's own tutor process and data directory."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tests.learner_client import LearnerClient
from tutor.classroom.names import learner_from
from tutor.classroom.signin import LEARNER_COOKIE
from tutor.classroom.signing import Signer
from tutor.commands.serve import ClassServer, tutor_command
from tutor.commands.serve_fork import Zygote
from tutor.commands.serve_session import served_environment

ROOT = Path(__file__).parents[2]
CODE = "owl42"
NOT_SAVING = "not being saved"


@pytest.fixture
async def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[TestServer]:
    """A class server on a free port, its class folder in ``tmp_path/class``."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    served = ClassServer(root=tmp_path / "class", class_code=CODE, teacher_code="teach-me")
    async with TestServer(await served._make_app()) as test_server:
        test_server.class_server = served  # type: ignore[attr-defined]
        yield test_server


def cookie_fields(payload: str) -> list[str]:
    """The fields a cookie's payload holds (read without the secret)."""
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def base(server: TestServer) -> str:
    return str(server.make_url("/"))


def learner_dir(server: TestServer, name: str) -> Path:
    (found,) = (server.class_server.folder.root / "learners").glob(  # type: ignore[attr-defined]
        f"{name.lower()}-*"
    )
    return found


def progress(server: TestServer, name: str) -> dict:
    return json.loads((learner_dir(server, name) / "progress.json").read_text())


def tutor_pid(server: TestServer, name: str) -> int:
    """The pid of the tutor holding the learner's data directory (it writes it in the lock)."""
    return int((learner_dir(server, name) / "progress.lock").read_text().strip())


async def ended(pid: int, limit: float = 30.0) -> bool:
    """Whether process ``pid`` has exited within ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.1)
    return False


async def at_home(client: LearnerClient) -> None:
    await client.wait_for("Lessons")
    await client.wait_for("lessons · Enter opens")
    await client.settle(0.5)


async def steps_on(client: LearnerClient, count: int) -> None:
    """Open the first lesson and go ``count`` whole steps on, waiting for each."""
    await client.press("\r")
    await client.wait_for("n/→ Next")
    for number in range(2, count + 2):
        await client.settle(0.3)
        await client.press("]")
        await client.wait_for(f"Step {number} of")


async def test_sign_in_refuses_a_wrong_code_a_bad_name_and_a_taken_name(server: TestServer):
    wrong_code = LearnerClient(base(server), "Ada", "nope")
    response = await wrong_code.sign_in()
    assert response.status == 403
    assert "class code is not right" in await response.text()
    no_name = LearnerClient(base(server), "  ", CODE)
    assert (await no_name.sign_in()).status == 403
    ada = LearnerClient(base(server), "Ada", CODE)
    assert (await ada.sign_in()).status == 303
    again = await ada.sign_in()  # the same person, their cookie with them
    assert again.status == 303
    impostor = LearnerClient(base(server), "  ADA ", CODE)
    refused = await impostor.sign_in()
    assert refused.status == 403
    assert "already signed in as “ADA”" in await refused.text()
    for client in (wrong_code, no_name, ada, impostor):
        await client.close()


async def test_the_socket_refuses_a_missing_or_forged_cookie(server: TestServer):
    ada = LearnerClient(base(server), "Ada", CODE)
    await ada.sign_in()
    cookie = next(c for c in ada.http.cookie_jar if c.key == LEARNER_COOKIE).value
    payload, mac = cookie.split(".")
    altered = f"{payload}.{mac[:-2]}{'AA' if not mac.endswith('AA') else 'BB'}"
    other_class = Signer(b"another class's secret!").sign(cookie_fields(payload))
    async with aiohttp.ClientSession() as anonymous:
        for value in (None, altered, other_class, "x.y"):
            headers = {"Cookie": f"{LEARNER_COOKIE}={value}"} if value else {}
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await anonymous.ws_connect(base(server) + "ws", headers=headers)
            assert refused.value.status == 403
            page = await anonymous.get(base(server) + "tutor", headers=headers)
            assert page.url.path == "/"  # sent back to the sign-in page
        headers = {"Cookie": f"{LEARNER_COOKIE}={cookie}"}
        page = await anonymous.get(base(server) + "tutor", headers=headers)
        assert page.url.path == "/tutor"
        assert "<title>backprop-tutor: Ada</title>" in await page.text()
    await ada.close()


async def test_two_learners_save_apart_and_closing_the_socket_ends_the_tutor(server: TestServer):
    ada = LearnerClient(base(server), "Ada", CODE)
    bob = LearnerClient(base(server), "Bob", CODE)
    for learner in (ada, bob):
        assert (await learner.sign_in()).status == 303
        await learner.connect()
    await asyncio.gather(at_home(ada), at_home(bob))
    assert NOT_SAVING not in ada.text() and NOT_SAVING not in bob.text()
    pids = tutor_pid(server, "Ada"), tutor_pid(server, "Bob")
    assert pids[0] != pids[1]
    await asyncio.gather(steps_on(ada, 1), steps_on(bob, 2))
    for learner, pid in zip((ada, bob), pids, strict=True):
        await learner.close()
        assert await ended(pid), "the tutor outlived its socket"
    assert progress(server, "Ada")["lessons"]["backprop"]["step"] == 1
    assert progress(server, "Bob")["lessons"]["backprop"]["step"] == 2
    await the_report_shows_both(server)


async def the_report_shows_both(server: TestServer) -> None:
    """The teacher's page, its JSON and CSV, and ``class report``: both learners, apart."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as teacher:
        url = base(server) + "teacher"
        assert "Teacher code" in await (await teacher.get(url)).text()
        assert (await teacher.get(url + "/report.json")).status == 403
        assert (await teacher.post(url, data={"code": CODE})).status == 403  # the class's code
        await teacher.post(url, data={"code": "teach-me"})
        page = await (await teacher.get(url)).text()
        assert "Ada" in page and "Bob" in page and "Most common named mistakes" in page
        report = await (await teacher.get(url + "/report.json")).json()
        steps = {row["name"]: (row["lesson"], row["step"]) for row in report["learners"]}
        assert steps == {"Ada": ("backprop", 2), "Bob": ("backprop", 3)}
        rows = (await (await teacher.get(url + "/report.csv")).text()).splitlines()
        assert rows[0].startswith("Learner,Lesson,Step") and len(rows) == 3
        ada_page = url + "/learner/" + learner_dir(server, "Ada").name
        detail = await (await teacher.get(ada_page)).text()
        assert "<h1>Ada</h1>" in detail and "Every try" in detail and "Bob" not in detail
        assert (await teacher.get(url + "/learner/nobody-0000000000")).status == 404
    root = server.class_server.folder.root  # type: ignore[attr-defined]
    command = [sys.executable, "-m", "tutor", "class", "report", "--root", str(root), "--json"]
    printed = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(printed.stdout)["learners"] == report["learners"]
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as learner:
        await learner.post(base(server) + "login", data={"name": "Cy", "code": CODE})
        assert (await learner.get(ada_page)).status == 403  # a learner sees only their own


async def test_a_reconnect_takes_over_and_saves(server: TestServer):
    first = LearnerClient(base(server), "Ada", CODE)
    await first.sign_in()
    await first.connect()
    await at_home(first)
    old_pid = tutor_pid(server, "Ada")
    second = LearnerClient(base(server), "Ada", CODE)
    second.http.cookie_jar.update_cookies(
        {c.key: c.value for c in first.http.cookie_jar}, server.make_url("/")
    )
    await second.connect()
    await asyncio.wait_for(first.closed.wait(), 30)
    assert await ended(old_pid)
    await at_home(second)
    assert NOT_SAVING not in second.text()
    assert tutor_pid(server, "Ada") != old_pid
    await steps_on(second, 3)
    new_pid = tutor_pid(server, "Ada")
    await second.close()
    assert await ended(new_pid)
    assert progress(server, "Ada")["lessons"]["backprop"]["step"] == 3
    await first.close()


async def test_a_full_class_queues_the_next_learner_and_says_their_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    served = ClassServer(root=tmp_path / "class", class_code=CODE, teacher_code="t", max_sessions=1)
    async with TestServer(await served._make_app()) as test_server:
        ada = LearnerClient(base(test_server), "Ada", CODE)
        bob = LearnerClient(base(test_server), "Bob", CODE)
        await ada.sign_in()
        await ada.connect()
        await at_home(ada)
        await bob.sign_in()
        await bob.connect()
        waiting = await asyncio.wait_for(bob.wait_for("You are next."), 30)
        assert waiting < 30 and "The class is full (it takes 1 at a time)" in bob.text()
        await ada.close()
        await at_home(bob)  # Ada left: Bob's tutor starts
        assert NOT_SAVING not in bob.text()
        await bob.close()


async def test_ending_the_class_ends_every_tutor_and_each_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    served = ClassServer(root=tmp_path / "class", class_code=CODE, teacher_code="t")
    async with TestServer(await served._make_app()) as test_server:
        ada = LearnerClient(base(test_server), "Ada", CODE)
        await ada.sign_in()
        await ada.connect()
        await at_home(ada)
        await steps_on(ada, 2)
        pid = int((next((tmp_path / "class/learners").glob("ada-*")) / "progress.lock").read_text())
    # the server has shut down (as on Ctrl+C): the tutor was asked to quit, saved, and ended
    assert await ended(pid)
    saved = json.loads(next((tmp_path / "class/learners").glob("ada-*/progress.json")).read_text())
    assert saved["lessons"]["backprop"]["step"] == 2
    await asyncio.wait_for(ada.closed.wait(), 10)
    await ada.close()


async def test_a_reconnect_after_a_silent_drop_saves_at_once(server: TestServer):
    """The old browser vanished without a word (its socket stays open, nothing answers):
    the new connection still ends the old tutor, then saves, with no read-only window."""
    gone = LearnerClient(base(server), "Ada", CODE)
    await gone.sign_in()
    await gone.connect()
    await at_home(gone)
    old_pid = tutor_pid(server, "Ada")
    assert gone._reader is not None
    gone._reader.cancel()  # stops reading: no pong, no reply to the server's close
    back = LearnerClient(base(server), "Ada", CODE)
    back.http.cookie_jar.update_cookies(
        {c.key: c.value for c in gone.http.cookie_jar}, server.make_url("/")
    )
    await back.connect()
    await at_home(back)
    assert await ended(old_pid, limit=1)  # ended before the new tutor started
    assert NOT_SAVING not in back.text()  # textual-serve alone: read-only for some 20 s
    await steps_on(back, 1)
    await back.close()
    await gone.http.close()
    assert progress(server, "Ada")["lessons"]["backprop"]["step"] == 1


def test_the_command_is_fixed_and_the_learner_travels_in_the_environment(tmp_path: Path):
    served = ClassServer(root=tmp_path / "class", class_code=CODE, teacher_code="t")
    learner = learner_from("Zoë O'Neil")
    assert served.command == tutor_command()
    assert "O'Neil" not in served.command and "Zo" not in served.command
    environment = served.learner_environment(learner)
    assert environment["BACKPROP_TUTOR_HOME"] == str(served.folder.directory(learner))
    assert environment["BACKPROP_TUTOR_LEARNER"] == "Zoë O'Neil"
    assert environment["BACKPROP_TUTOR_SERVED"] == "1"
    assert Path(environment["BACKPROP_TUTOR_HOME"]).parent == tmp_path / "class" / "learners"


async def test_opening_the_login_address_shows_the_sign_in_page(server: TestServer):
    """After a refused sign-in the browser is at /login; entering that address again is a GET."""
    async with aiohttp.ClientSession() as session:
        async with session.get(str(server.make_url("/login")), allow_redirects=False) as response:
            assert response.status in (302, 303)
        async with session.get(str(server.make_url("/login"))) as response:
            assert response.status == 200
            assert str(response.url) == base(server)
            assert 'action="login"' in await response.text()


def parent_of(pid: int) -> int:
    """The parent process id of ``pid`` (from ``/proc``)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def environment_at_start(pid: int) -> dict[str, str]:
    """The environment process ``pid`` was started with."""
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


async def test_every_tutor_is_forked_from_the_warm_tutor_for_one_learner_only(server: TestServer):
    zygote = server.class_server.zygote  # type: ignore[attr-defined]
    assert zygote is not None and zygote.alive
    warm = zygote.process.pid
    started_with = environment_at_start(warm)
    assert "BACKPROP_TUTOR_HOME" not in started_with  # it holds no learner
    assert "BACKPROP_TUTOR_LEARNER" not in started_with and "EDITOR" not in started_with
    assert len(os.listdir(f"/proc/{warm}/task")) == 1  # no thread for a fork to leave behind
    ada = LearnerClient(base(server), "Ada", CODE)
    bob = LearnerClient(base(server), "Bob", CODE)
    for learner in (ada, bob):
        await learner.sign_in()
        await learner.connect()
    await asyncio.gather(at_home(ada), at_home(bob))
    pids = tutor_pid(server, "Ada"), tutor_pid(server, "Bob")
    assert pids[0] != pids[1] and warm not in pids
    assert parent_of(pids[0]) == warm and parent_of(pids[1]) == warm
    assert "Ada" in ada.text() and "Bob" not in ada.text()  # the header: whose tutor this is
    assert "Bob" in bob.text() and "Ada" not in bob.text()
    await ada.close()
    assert await ended(pids[0])
    again = LearnerClient(base(server), "Ada", CODE)
    again.http.cookie_jar.update_cookies(
        {c.key: c.value for c in ada.http.cookie_jar}, server.make_url("/")
    )
    await again.connect()
    await at_home(again)
    back = tutor_pid(server, "Ada")
    assert back not in (*pids, warm) and parent_of(back) == warm  # a new one, never reused
    await steps_on(again, 1)
    await asyncio.gather(again.close(), bob.close())
    assert await ended(back) and await ended(pids[1])
    assert progress(server, "Ada")["lessons"]["backprop"]["step"] == 1
    assert zygote.alive and parent_of(warm) == os.getpid()


async def test_without_the_warm_tutor_a_learner_starts_from_scratch(server: TestServer):
    zygote = server.class_server.zygote  # type: ignore[attr-defined]
    warm = zygote.process.pid
    await zygote.close()
    assert await ended(warm)
    ada = LearnerClient(base(server), "Ada", CODE)
    await ada.sign_in()
    await ada.connect()
    await at_home(ada)
    assert NOT_SAVING not in ada.text()
    pid = tutor_pid(server, "Ada")
    assert parent_of(pid) == os.getpid()  # started by the server itself (textual-serve's way)
    await steps_on(ada, 1)
    await ada.close()
    assert await ended(pid)
    assert progress(server, "Ada")["lessons"]["backprop"]["step"] == 1


def children_of(pid: int) -> set[int]:
    """The live child processes of ``pid``."""
    return {int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


async def test_a_fork_cut_short_ends_its_tutor_and_the_next_learner_gets_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    zygote = Zygote(served_environment())
    assert await zygote.start()
    warm = zygote.process.pid

    def learner(name: str) -> dict[str, str]:
        home = tmp_path / name
        return {"BACKPROP_TUTOR_HOME": str(home), "BACKPROP_TUTOR_SERVED": "1",
                "BACKPROP_TUTOR_LEARNER": name, "COLUMNS": "80", "ROWS": "24"}  # fmt: skip

    try:
        cut_short = asyncio.create_task(zygote.fork(learner("Ada")))
        await asyncio.sleep(0)
        cut_short.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cut_short
        process = await zygote.fork(learner("Bob"))
        assert process is not None and parent_of(process.pid) == warm
        assert await asyncio.wait_for(process.stdout.readline(), 60) == b"__GANGLION__\n"
        deadline = time.monotonic() + 30
        while children_of(warm) != {process.pid} and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert children_of(warm) == {process.pid}  # Ada's, made meanwhile, has ended
        process.kill()
        await asyncio.wait_for(process.wait(), 30)
        assert await ended(process.pid)
    finally:
        await zygote.close()
    assert await ended(warm)


def test_cold_starts_serve_without_a_warm_tutor(tmp_path: Path):
    from tutor.cli import build_parser

    assert build_parser().parse_args(["serve", "--cold-starts"]).cold_starts
    assert not build_parser().parse_args(["serve"]).cold_starts
    cold = ClassServer(root=tmp_path / "cold", class_code=CODE, teacher_code="t", warm=False)
    warm = ClassServer(root=tmp_path / "warm", class_code=CODE, teacher_code="t")
    assert cold.zygote is None and warm.zygote is not None
    assert "BACKPROP_TUTOR_HOME" not in warm.zygote.environment  # no learner's folder
