"""The teacher's report in the browser: ``/teacher`` (behind the teacher code), live.

Provides :class:`TeacherDesk`, whose :meth:`~TeacherDesk.routes` the class server
adds: the report (the learners' table, refreshed every few seconds, the class's
most common named mistakes, its weakest topics), a learner's page with every try,
and the table as CSV or JSON.  The words come from :mod:`tutor.present.report`;
this module only lays them out as HTML, escaping every one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from html import escape

from aiohttp import web

from tutor.classroom.names import NameRefused, learner_from
from tutor.classroom.pages import page, teacher_sign_in_page
from tutor.classroom.signin import TEACHER_COOKIE, WRONG_TEACHER_CODE, Doorkeeper
from tutor.classroom.web import html, see_other, set_signed_cookie
from tutor.exercises.catalog import exam_ids
from tutor.present import report as words
from tutor.store.class_record import ClassRecord, LearnerRecord, as_json, class_record
from tutor.store.locations import lesson_dirs

REFRESH_SECONDS = 5
STATUS_WORDS = {"working": "working now", "waiting": "waiting to start"}


def _table(header: list[str], rows: list[list[str]], link_first: list[str] | None = None) -> str:
    head = "".join(f"<th scope='col'>{escape(cell)}</th>" for cell in header)
    body = []
    for number, row in enumerate(rows):
        cells = [escape(cell) for cell in row]
        if link_first is not None:
            cells[0] = f'<a href="{escape(link_first[number])}">{cells[0]}</a>'
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p class='quiet'>{escape(empty)}</p>"
    return "<ol>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ol>"


def _key(learner: LearnerRecord) -> str:
    try:
        return learner_from(learner.name).key
    except NameRefused:
        return ""


def report_page(record: ClassRecord, status: dict[str, str]) -> str:
    """The whole report as a page that refreshes itself."""
    header = [heading for _, heading in words.COLUMNS] + ["Now"]
    rows = [
        [*words.learner_cells(learner), STATUS_WORDS.get(status.get(_key(learner), ""), "")]
        for learner in record.learners
    ]
    links = [f"teacher/learner/{learner.folder}" for learner in record.learners]
    table = _table(header, rows, links) if rows else f"<p>{escape(words.NO_LEARNERS)}</p>"
    body = (
        f"<h1>{escape(words.TITLE)}</h1>"
        f"<p class='quiet'>Refreshed every {REFRESH_SECONDS} seconds · "
        '<a href="teacher/report.csv" download>CSV</a> · '
        '<a href="teacher/report.json">JSON</a></p>'
        f"<h2>{escape(words.LEARNERS_HEADING)}</h2>{table}"
        f"<h2>{escape(words.MISTAKES_HEADING)}</h2>"
        + _list([words.mistake_words(m) for m in record.mistakes], words.NO_MISTAKES)
        + f"<h2>{escape(words.TOPICS_HEADING)}</h2>"
        + _list([words.topic_words(t) for t in record.topics], words.NO_TOPICS)
    )
    return page(words.TITLE, body, refresh=REFRESH_SECONDS, wide=True)


def learner_page(learner: LearnerRecord) -> str:
    """One learner: their row, their named mistakes, every try (newest first)."""
    header = [heading for _, heading in words.COLUMNS]
    mistakes = sorted(learner.mistakes.items(), key=lambda item: (-item[1], item[0]))
    tries = [words.try_cells(logged) for logged in reversed(learner.tries)]
    tries_table = _table(list(words.TRY_COLUMNS), tries) if tries else f"<p>{words.NO_TRIES}</p>"
    notes = "".join(f"<p class='problem'>{escape(note)}</p>" for note in learner.notes)
    body = (
        '<p><a href="../../teacher">← the class</a></p>'
        f"<h1>{escape(learner.name)}</h1>{notes}"
        + _table(header, [words.learner_cells(learner)])
        + f"<h2>{escape(words.MISTAKES_HEADING)}</h2>"
        + _list([f"{name}: {count}" for name, count in mistakes], words.NO_MISTAKES)
        + f"<h2>{escape(words.TRIES_HEADING)}</h2>{tries_table}"
    )
    return page(f"{learner.name}: {words.TITLE}", body, refresh=REFRESH_SECONDS, wide=True)


def report_csv(record: ClassRecord) -> str:
    """The learners' table as CSV, headed as on the page."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for _, heading in words.COLUMNS])
    writer.writerows(words.learner_cells(learner) for learner in record.learners)
    return out.getvalue()


class TeacherDesk:
    """The teacher's routes over one class folder; ``online`` says who is connected now."""

    def __init__(self, doorkeeper: Doorkeeper, online: Callable[[], dict[str, str]]) -> None:
        self.doorkeeper = doorkeeper
        self.online = online

    def routes(self) -> list[web.RouteDef]:
        """The routes to add to the class server."""
        return [
            web.get("/teacher", self.handle_report),
            web.post("/teacher", self.handle_sign_in),
            web.get("/teacher/learner/{folder}", self.handle_learner),
            web.get("/teacher/report.csv", self.handle_csv),
            web.get("/teacher/report.json", self.handle_json),
        ]

    def _record(self) -> ClassRecord:
        folder = self.doorkeeper.folder
        exams = exam_ids(lesson_dirs())
        return class_record(((found.name, found.path) for found in folder.learners()), exams)

    def _is_teacher(self, request: web.Request) -> bool:
        return self.doorkeeper.is_teacher(request.cookies.get(TEACHER_COOKIE))

    def _require_teacher(self, request: web.Request) -> None:
        if not self._is_teacher(request):
            raise web.HTTPForbidden(text="The teacher's code is needed first: open /teacher.")

    async def handle_report(self, request: web.Request) -> web.StreamResponse:
        """The report, or the teacher's code form."""
        if not self._is_teacher(request):
            return html(teacher_sign_in_page())
        return html(report_page(self._record(), self.online()))

    async def handle_sign_in(self, request: web.Request) -> web.StreamResponse:
        """Check the teacher code; set the teacher's cookie."""
        form = await request.post()
        cookie = self.doorkeeper.teacher_cookie(str(form.get("code", "")))
        if cookie is None:
            return html(teacher_sign_in_page(WRONG_TEACHER_CODE), status=403)
        response = see_other("teacher")
        set_signed_cookie(response, request, TEACHER_COOKIE, cookie)
        return response

    async def handle_learner(self, request: web.Request) -> web.StreamResponse:
        """One learner's page."""
        self._require_teacher(request)
        wanted = request.match_info["folder"]
        learner = next((one for one in self._record().learners if one.folder == wanted), None)
        if learner is None:
            raise web.HTTPNotFound(text="No learner of this class has that page.")
        return html(learner_page(learner))

    async def handle_csv(self, request: web.Request) -> web.StreamResponse:
        """The learners' table as a CSV download."""
        self._require_teacher(request)
        return web.Response(
            text=report_csv(self._record()),
            content_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="class-report.csv"'},
        )

    async def handle_json(self, request: web.Request) -> web.StreamResponse:
        """The report as ``class report --json`` prints it."""
        self._require_teacher(request)
        text = json.dumps(as_json(self._record()), indent=2, ensure_ascii=False)
        return web.Response(text=text, content_type="application/json")
