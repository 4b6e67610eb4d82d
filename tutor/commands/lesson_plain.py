"""``backprop-tutor lesson ID --plain``: the lesson as plain text on stdin/stdout.

For screen readers, scripts and terminals where the TUI does not fit.  The lesson is
played by :class:`tutor.plain.lesson.LessonPlayer`; this module finds the lesson,
loads and saves the learner's progress (after every answer and step, as the TUI
does); a train block runs headless as ``train`` does (:mod:`tutor.plain.train_block`).
A line is read only at a prompt ending in ``> ``; on a terminal the player also
pauses between steps, from a pipe it does not.  Input that is not a terminal is
echoed after its prompt, so the output reads as a transcript.  A lesson is named by its
id or its number.  Exit status: 0; 1 if the progress could not be saved; 2 for an
unknown or broken lesson.
"""

from __future__ import annotations

import argparse
import sys

from tutor.commands.learner_data import ProgressSession
from tutor.lesson.catalog import load_catalog
from tutor.lesson.naming import lesson_id_for, no_such_lesson
from tutor.plain.lesson import LessonPlayer
from tutor.plain.terminal import reader
from tutor.plain.train_block import train_lines
from tutor.store.locations import lesson_dirs

EXIT_OK, EXIT_USAGE = 0, 2


def run_lesson_plain(args: argparse.Namespace) -> int:
    """Play lesson ``args.id`` as text; see the module doc for the exit status."""
    lessons = [e.lesson for e in load_catalog(lesson_dirs(args.lessons)) if e.lesson is not None]
    known = [(lesson.id, lesson.number) for lesson in lessons]
    lesson_id = lesson_id_for(args.id, known)
    if lesson_id is None:
        print(f"backprop-tutor: {no_such_lesson(args.id, known)}", file=sys.stderr)
        return EXIT_USAGE
    lesson = next(lesson for lesson in lessons if lesson.id == lesson_id)
    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    with ProgressSession() as learner:
        LessonPlayer(
            lesson,
            learner.progress.lesson(lesson.id),
            read=reader(sys.stdin, sys.stdout),
            say=lambda line: print(line, flush=True),
            save=learner.save,
            train_lines=train_lines,
            pause=terminal,
        ).run()
    return learner.exit_status  # 1: progress that could not be saved
