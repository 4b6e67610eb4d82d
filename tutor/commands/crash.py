"""What the learner sees when backprop-tutor crashes: one line, and where the details are.

Provides :func:`report_crash`: the traceback goes to a log file in the data
directory (:func:`tutor.store.crash.write_crash_log`), the terminal gets the error
and the log's path, and the exit status is :data:`EXIT_CRASH`, never 0.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

from tutor.store.crash import write_crash_log
from tutor.store.locations import data_dir

EXIT_CRASH = 70
"""EX_SOFTWARE from sysexits.h: an internal error, apart from 1 (failed) and 2 (bad input)."""


def report_crash(error: BaseException, argv: Sequence[str]) -> int:
    """Log ``error``, tell the learner where the log is, and return :data:`EXIT_CRASH`."""
    log = write_crash_log(data_dir(), error, argv)
    print(f"backprop-tutor: internal error: {type(error).__name__}: {error}", file=sys.stderr)
    if log is None:
        traceback.print_exception(error, file=sys.stderr)
        print("(the crash log could not be written to the data directory)", file=sys.stderr)
    else:
        print(f"The details are in {log}; please attach that file to a report.", file=sys.stderr)
    return EXIT_CRASH
