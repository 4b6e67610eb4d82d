"""``backprop-tutor`` with no command, ``lesson ID`` or ``quiz``: start the Textual tutor.

An unknown lesson id is reported with the ids that exist (exit 2) before the TUI
starts, so the terminal is never taken over just to show an error.
"""

from __future__ import annotations

import argparse
import sys

EXIT_USAGE = 2


def run_tui(args: argparse.Namespace) -> int:
    """Start the TUI on the home screen, in a lesson, or in the quiz; return the exit status."""
    from tutor.ui.app import HOME, LESSON_PREFIX, QUIZ, make_app

    command = getattr(args, "command", None)
    lessons = list(getattr(args, "lessons", None) or [])
    start, quiz_options = HOME, None
    if command == "lesson":
        start = LESSON_PREFIX + args.id
    elif command == "quiz":
        start, quiz_options = QUIZ, _quiz_options(args)
    app = make_app(lessons_dirs=lessons, start=start, quiz_options=quiz_options)
    if command == "lesson" and app.entry(args.id) is None:
        ids = sorted(e.lesson.id for e in app.catalog if e.lesson is not None)
        known = ", ".join(ids) if ids else "none were found"
        print(f"backprop-tutor: no lesson with id {args.id!r}; known ids: {known}", file=sys.stderr)
        return EXIT_USAGE
    return app.run() or 0


def _quiz_options(args: argparse.Namespace) -> object | None:
    """The quiz's options from the command line, if the quiz package is installed."""
    try:
        from tutor.quiz.session import QuizOptions
    except ImportError:
        return None
    return QuizOptions(
        topic=args.topic, count=args.count, seed=args.seed, difficulty=args.difficulty
    )
