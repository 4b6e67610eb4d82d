"""``backprop-tutor quiz --plain`` and ``--export``: the quiz without the TUI.

Options are checked first (an unknown topic lists the topics, exit 2).  Plain
mode loads the learner's progress from the data directory, saves it atomically
after every question, and ends with the summary; export writes the worksheet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.commands.learner_data import ProgressSession
from tutor.quiz.session import QuizError, QuizOptions, check_options

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def options_from(args: argparse.Namespace) -> QuizOptions:
    """The quiz options of the parsed command line."""
    return QuizOptions(
        topic=args.topic, count=args.count, seed=args.seed, difficulty=args.difficulty
    )


def run_quiz_text(args: argparse.Namespace) -> int:
    """Run ``quiz --plain`` or ``quiz --export FILE``; return the exit status."""
    options = options_from(args)
    try:
        check_options(options)
    except QuizError as exc:
        print(f"backprop-tutor quiz: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.export is not None:
        return _export(options, Path(args.export))
    return _plain(options)


def _export(options: QuizOptions, path: Path) -> int:
    from tutor.present.worksheet import count_questions, worksheet_markdown
    from tutor.quiz.session import plan_questions

    seed, questions = plan_questions(options)
    try:
        path.write_text(worksheet_markdown(options, seed, questions), encoding="utf-8")
    except OSError as exc:
        print(f"backprop-tutor quiz: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Wrote a worksheet with {count_questions(len(questions))} and its answer key to {path}.")
    return EXIT_OK


def _plain(options: QuizOptions) -> int:
    from tutor.plain.quiz import PlainQuiz, wants_color
    from tutor.quiz.session import QuizSession

    with ProgressSession() as learner:
        session = QuizSession(options, learner.progress)
        PlainQuiz(
            session,
            sys.stdin,
            sys.stdout,
            color=wants_color(sys.stdout),
            on_question_over=learner.save,
        ).run()
    return learner.exit_status  # 1: progress that could not be saved
