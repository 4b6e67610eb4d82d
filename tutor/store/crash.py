"""Writing a crash down: the traceback in a log file in the learner's data directory.

Provides :func:`write_crash_log`, which names each log ``crash-STAMP.log`` so no
crash overwrites another, and never raises: if the log cannot be written, it
returns None and the caller prints the traceback instead.
"""

from __future__ import annotations

import platform
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from tutor import __version__


def write_crash_log(directory: Path, error: BaseException, argv: Sequence[str]) -> Path | None:
    """Write ``error`` with its traceback, the command line and versions; the log's path."""
    stamp = datetime.now()
    lines = [
        f"backprop-tutor {__version__} crashed at {stamp.isoformat(timespec='seconds')}",
        f"command: backprop-tutor {' '.join(argv)}".rstrip(),
        f"python {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(error),
    ]
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"crash-{stamp:%Y%m%d-%H%M%S}.log"
        n = 1
        while path.exists():
            path = directory / f"crash-{stamp:%Y%m%d-%H%M%S}-{n}.log"
            n += 1
        path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    return path
