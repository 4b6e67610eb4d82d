"""The ``backprop-tutor`` command line: argument parsing and dispatch.

Each command's work lives in ``tutor.commands``; it is imported only when that
command runs, so ``--help`` and the TUI's start stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tutor import __version__
from tutor.store.served import ZYGOTE_ENV
from tutor.text.visible import wrap_standard_streams

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
TRUST = (
    "run code from a lesson folder outside the tutor without asking "
    "(otherwise asked on a terminal, refused elsewhere)"
)


def _lessons_option(parser: argparse.ArgumentParser, dest: str) -> None:
    parser.add_argument(
        "--lessons",
        action="append",
        type=Path,
        metavar="DIR",
        dest=dest,
        default=[],
        help="also load lessons from DIR (repeatable; BACKPROP_TUTOR_LESSONS=DIR1:DIR2 too)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="backprop-tutor",
        description="A terminal tutor that teaches backpropagation by doing it. "
        "With no command, opens the tutor on the home screen.",
    )
    parser.add_argument("--version", action="version", version=f"backprop-tutor {__version__}")
    _lessons_option(parser, "lessons")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _lessons_option(sub, "more_lessons")  # after the command: added, not replacing
        return sub

    lesson = command("lesson", "open the tutor directly in a lesson")
    lesson.add_argument(
        "id", help="the lesson's id or number, e.g. backprop or 3.4 (see `backprop-tutor list`)"
    )
    lesson.add_argument(
        "--plain", action="store_true", help="the lesson as plain text on stdin/stdout"
    )

    quiz = command("quiz", "practise gradient questions graded by the engine")
    quiz.add_argument("--topic", help="only questions of this topic")
    quiz.add_argument("--count", type=int, default=10, help="number of questions (default 10)")
    quiz.add_argument("--seed", type=int, help="random seed: the same seed gives the same quiz")
    quiz.add_argument("--difficulty", type=int, choices=(1, 2, 3), help="only this difficulty")
    mode = quiz.add_mutually_exclusive_group()
    mode.add_argument("--plain", action="store_true", help="a line dialogue on stdin/stdout")
    mode.add_argument("--export", type=Path, metavar="FILE", help="write a Markdown worksheet")

    train = command("train", "train a network spec in the plain terminal")
    train.add_argument("spec", type=Path, metavar="SPEC", help="a network spec (TOML)")
    train.add_argument("--epochs", type=int, help="number of epochs")
    train.add_argument("--lr", type=float, help="learning rate")
    train.add_argument("--optimizer", choices=("sgd", "momentum", "adam"), help="optimiser")
    train.add_argument("--seed", type=int, help="re-initialise the weights with this seed")

    listing = command("list", "list the lessons found")
    listing.add_argument("--json", action="store_true", help="machine-readable output")

    validate = command("validate", "check lesson files; print file:line: message per problem")
    validate.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    validate.add_argument(
        "--run-solutions",
        action="store_true",
        help="also run each exercise's reference solution against its checks (sandboxed)",
    )

    solve = command("solve", "forward and backward pass of a network spec, every product shown")
    solve.add_argument("spec", type=Path, metavar="SPEC", help="a network spec (TOML)")
    solve.add_argument("--json", action="store_true", help="machine-readable output")
    solve.add_argument("--check", action="store_true", help="add the gradient-check table")
    solve.add_argument("--lr", type=float, help="add one gradient-descent step with this rate")
    exercise = command("exercise", "code exercises: write backprop, checked by the engine")
    actions = exercise.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the exercises, their status and your files")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    begin = actions.add_parser("start", help="copy an exercise's starter into your workspace")
    begin.add_argument("id", help="the exercise's id (see `exercise list`)")
    begin.add_argument("--dir", type=Path, metavar="DIR", help="the workspace (default: data dir)")
    begin.add_argument("--trust", action="store_true", help=TRUST)
    check = actions.add_parser("check", help="check your file against the engine")
    check.add_argument("id", help="the exercise's id")
    check.add_argument("--file", type=Path, metavar="PATH", help="check this file instead")
    check.add_argument("--watch", action="store_true", help="check again after every save")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--trust", action="store_true", help=TRUST)
    serve = command("serve", "a class in the browser: sign-in, every learner apart, a report")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--root", type=Path, metavar="DIR", help="the class folder (learners' work)")
    serve.add_argument("--class-code", metavar="C", help="the code learners type (default: new)")
    serve.add_argument("--teacher-code", metavar="T", help="the report's code (default: new)")
    serve.add_argument(
        "--max-sessions", type=int, default=40, metavar="N", help="learners at once (default 40)"
    )
    serve.add_argument(
        "--max-starts", type=int, metavar="N", help="tutors starting at once (default: CPUs)"
    )
    serve.add_argument("--public-url", metavar="URL", help="the address learners open, if proxied")
    serve.add_argument(
        "--cold-starts",
        action="store_true",
        help="start every learner's tutor from scratch (not forked from one loaded tutor)",
    )
    klass = command("class", "a class's work: the teacher's report")
    class_actions = klass.add_subparsers(dest="action", metavar="ACTION", required=True)
    report = class_actions.add_parser("report", help="every learner's progress and mistakes")
    report.add_argument("--root", type=Path, metavar="DIR", required=True, help="the class folder")
    report_format = report.add_mutually_exclusive_group()
    report_format.add_argument("--json", action="store_true", help="machine-readable output")
    report_format.add_argument("--csv", action="store_true", help="one row per learner")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (70 after a crash, logged).

    In the class server's zygote this first waits, and goes on only in a forked child: one
    learner's tutor, started with everything already loaded (:mod:`tutor.commands.zygote`).
    """
    if ZYGOTE_ENV in os.environ:
        from tutor.commands.zygote import fork_per_learner

        fork_per_learner()
    wrap_standard_streams()  # every print goes through the boundary (tutor.text.visible)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = None  # the tutor itself, the common case: nothing to parse, so no argparse to load
    if argv:
        args = build_parser().parse_args(argv)
        args.lessons = [*args.lessons, *getattr(args, "more_lessons", [])]
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: a log file and a non-zero exit, never a bare traceback
        from tutor.commands.crash import report_crash

        return report_crash(exc, argv)


def _dispatch(args: argparse.Namespace | None) -> int:
    if args is None:
        from tutor.commands.tui import run_tui

        return run_tui(None)
    if args.command == "solve":
        from tutor.commands.solve import run_solve

        return run_solve(args)
    if args.command == "train":
        from tutor.commands.train import run_train

        return run_train(args)
    if args.command == "list":
        from tutor.commands.listing import run_list

        return run_list(args)
    if args.command == "validate":
        from tutor.commands.validate import run_validate

        return run_validate(args)
    if args.command == "lesson" and args.plain:
        from tutor.commands.lesson_plain import run_lesson_plain

        return run_lesson_plain(args)
    if args.command == "class":
        from tutor.commands.class_report import run_class_report

        return run_class_report(args)
    if args.command == "serve":
        from tutor.commands.serve import run_serve

        return run_serve(args)
    if args.command == "exercise":
        from tutor.commands.exercise import run_exercise

        return run_exercise(args)
    if args.command == "quiz" and (args.plain or args.export):
        from tutor.commands.quiz import run_quiz_text

        return run_quiz_text(args)
    from tutor.commands.tui import run_tui

    return run_tui(args)
