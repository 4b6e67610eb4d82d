"""The class server's own pages, as HTML text: sign-in, the teacher's code, and messages.

Provides :func:`sign_in_page`, :func:`teacher_sign_in_page`, :func:`waiting_text`
and :func:`ended_text`.  Every address in a page is relative, so the pages work
behind a reverse proxy under any host name.  Whatever a person typed is escaped.
"""

from __future__ import annotations

from html import escape

from tutor.classroom.board import Why

STYLE = """
@font-face { font-family: "Roboto Mono";
  src: url("static/fonts/RobotoMono-VariableFont_wght.ttf"); }
body { background: #0c181f; color: #e8eef2; font-family: "Roboto Mono", monospace; margin: 0; }
main { max-width: 34rem; margin: 10vh auto; padding: 2rem; background: #12232d; }
h1 { font-size: 1.3rem; margin-top: 0; }
label { display: block; margin: 1rem 0 0.3rem; }
input { width: 100%; box-sizing: border-box; padding: 0.5rem; font: inherit; }
button { margin-top: 1.2rem; padding: 0.6rem 1.4rem; font: inherit; background: #5e0ba7;
  color: #fff; border: none; cursor: pointer; }
.problem { background: #5c1a1a; padding: 0.8rem; }
a { color: #9fd3ff; }
main.wide { max-width: 90rem; margin: 2rem auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #2b4656; }
th { background: #1b3340; }
.quiet { color: #9fb3bf; }
"""


def page(title: str, body: str, *, refresh: int | None = None, wide: bool = False) -> str:
    """A whole page: ``body`` (HTML, already escaped) under ``title``."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    main = '<main class="wide">' if wide else "<main>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{meta}'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{main}{body}</main></body></html>\n"
    )


def _problem(message: str) -> str:
    return f'<p class="problem" role="alert">{escape(message)}</p>' if message else ""


def sign_in_page(problem: str = "", name: str = "") -> str:
    """The sign-in form: a name and the class code, POSTed to ``login``."""
    return page(
        "Sign in: backprop-tutor",
        "<h1>backprop-tutor: sign in to the class</h1>"
        + _problem(problem)
        + '<form method="post" action="login">'
        '<label for="name">Your name</label>'
        f'<input id="name" name="name" value="{escape(name)}" autocomplete="name" required '
        'maxlength="40" autofocus>'
        '<label for="code">Class code</label>'
        '<input id="code" name="code" autocomplete="off" required>'
        '<button type="submit">Start</button></form>'
        "<p>Your work is kept under your name on this class's server; use the same name "
        "and browser next time to carry on.</p>",
    )


def teacher_sign_in_page(problem: str = "") -> str:
    """The teacher's form: the teacher code, POSTed to ``teacher``."""
    return page(
        "Teacher: backprop-tutor",
        "<h1>The class report</h1>" + _problem(problem) + '<form method="post" action="teacher">'
        '<label for="code">Teacher code</label>'
        '<input id="code" name="code" type="password" autocomplete="off" required autofocus>'
        '<button type="submit">Open the report</button></form>',
    )


def waiting_text(place: int, why: Why, max_sessions: int) -> str:
    """What a queued learner reads in the terminal while waiting for their tutor."""
    if why == "full":
        reason = (
            f"The class is full (it takes {max_sessions} at a time). Your tutor starts as soon "
            "as someone leaves."
        )
    else:
        reason = "Tutors are starting for the learners ahead of you; yours is next in line."
    ahead = "You are next." if place == 1 else f"You are number {place} in the queue."
    return f"Please wait a moment.\r\n\r\n{reason}\r\n{ahead}\r\n\r\nKeep this page open."


def ended_text(why: str) -> str:
    """What a browser shows in its terminal when the server ends its session."""
    return f"\r\n\r\n{why}\r\n"
