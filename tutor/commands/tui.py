"""``backprop-tutor`` with no command, ``lesson ID`` or ``quiz``: start the Textual tutor.

A lesson is named by its id or its number; an unknown one is reported with the
lessons that exist (exit 2) before the TUI starts, so the terminal is never taken
over just to show an error.  A crash
inside the TUI is logged like any other (:mod:`tutor.commands.crash`), exit 70;
progress that could not be saved when the tutor closes is said, exit 1.
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from tutor.quiz.session import QuizOptions

EXIT_UNSAVED, EXIT_USAGE = 1, 2


def run_tui(args: argparse.Namespace | None) -> int:
    """Start the TUI on the home screen (``args`` None: no command line), in a lesson, or in the
    quiz; return the exit status."""
    gc.disable()  # no collections while starting up; the app collects again after its first frame
    from tutor.tui.app import HOME, LESSON_PREFIX, QUIZ, make_app

    lessons = [] if args is None else list(args.lessons)
    lesson_id: str | None = args.id if args is not None and args.command == "lesson" else None
    start, quiz_options = HOME, None
    if lesson_id is not None:
        start = LESSON_PREFIX + lesson_id
    elif args is not None and args.command == "quiz":
        from tutor.commands.quiz import options_from

        start, quiz_options = QUIZ, options_from(args)
        problem = _quiz_problem(quiz_options)
        if problem:
            print(f"backprop-tutor quiz: {problem}", file=sys.stderr)
            return EXIT_USAGE
    app = make_app(lessons_dirs=lessons, start=start, quiz_options=quiz_options)
    if lesson_id is not None:
        from tutor.lesson.naming import lesson_id_for, no_such_lesson

        known = app.lessons.known_lessons()
        named = lesson_id_for(lesson_id, known)
        if named is None or app.lessons.entry(named) is None:
            print(f"backprop-tutor: {no_such_lesson(lesson_id, known)}", file=sys.stderr)
            return EXIT_USAGE
        app.start = LESSON_PREFIX + named
    result = app.run()
    if app.crash is not None:
        from tutor.commands.crash import report_crash

        return report_crash(app.crash, sys.argv[1:])
    if app.unsaved:
        print(f"backprop-tutor: {app.unsaved}", file=sys.stderr)
        return EXIT_UNSAVED
    return result or 0


def _quiz_problem(options: QuizOptions) -> str | None:
    """Why these options cannot make a quiz (an unknown topic, say), or None."""
    from tutor.quiz.session import QuizError, check_options

    try:
        check_options(options)
    except QuizError as exc:
        return str(exc)
    return None
