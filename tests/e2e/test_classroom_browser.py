"""The class in a real browser: Debian's chromium driven by Playwright, against a served class.

textual-serve draws the terminal on a canvas, so the screen is read from xterm.js's
buffer: a script added before the page's own finds the terminal object as the page
builds it.  Under ``CI=true`` a missing browser fails these tests instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CODE, TEACHER = "owl42", "teach-me"
FIND_TERMINAL = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    window.__tutorTerminal = this.terminal;
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
  },
});
"""
SCREEN = """() => {
  const terminal = window.__tutorTerminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active, lines = [];
  for (let i = 0; i < terminal.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""

if os.environ.get("CI") != "true":
    pytestmark = [
        pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
    ]
sync_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else None
if sync_api is None:
    import playwright.sync_api as sync_api


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def class_url(tmp_path: Path) -> Iterator[str]:
    """``backprop-tutor serve`` on a free port, until the test ends (then Ctrl+C)."""
    port = free_port()
    command = [sys.executable, "-m", "tutor", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--root", str(tmp_path / "class"), "--class-code", CODE, "--teacher-code", TEACHER]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.send_signal(2)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed (CI=true: the browser tests must run)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def screen(page: object) -> str:
    return page.evaluate(SCREEN)  # type: ignore[attr-defined]


def wait_for(page: object, text: str, timeout: float = 60.0) -> str:
    """Wait until ``text`` is on the terminal's screen; the screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(page)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen:\n{screen(page)}")


def test_sign_in_open_a_lesson_step_on_reload_and_resume_then_the_teacher_sees(
    class_url: str, browser: object
):
    context = browser.new_context(viewport={"width": 1100, "height": 700})  # type: ignore[attr-defined]
    context.add_init_script(FIND_TERMINAL)
    page = context.new_page()
    page.goto(class_url)
    assert page.title() == "Sign in: backprop-tutor"
    page.fill("#name", "Grace Hopper")
    page.fill("#code", CODE)
    page.click("button[type=submit]")
    page.wait_for_url("**/tutor")
    assert page.title() == "backprop-tutor: Grace Hopper"
    home = wait_for(page, "Enter opens")
    assert "Grace Hopper" in home and "not being saved" not in home
    page.click("#terminal")
    page.keyboard.press("Enter")
    wait_for(page, "Step 1 of")
    for _ in range(12):  # n reveals what the step holds, then moves on
        page.keyboard.press("n")
        time.sleep(0.4)
        if "Step 2 of" in screen(page):
            break
    wait_for(page, "Step 2 of")

    page.reload()
    wait_for(page, "Enter opens")
    page.click("#terminal")
    page.keyboard.press("Enter")
    resumed = wait_for(page, "Step 2 of")
    assert "not being saved" not in resumed

    teacher = browser.new_context().new_page()  # type: ignore[attr-defined]
    teacher.goto(class_url + "teacher")
    teacher.fill("#code", TEACHER)
    teacher.click("button[type=submit]")
    row = teacher.locator("tr", has_text="Grace Hopper")
    row.wait_for()
    cells = row.locator("td").all_inner_texts()
    assert cells[1] != "—" and cells[2] == "2" and cells[-1] == "working now"
    context.close()
