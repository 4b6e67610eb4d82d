"""Whether this tutor runs for a learner in a browser (``backprop-tutor serve``), and for whom.

Provides :func:`served`, :func:`learner_name` and :func:`shown_path`.  The class server starts every
learner's tutor with these variables in its environment (never in the command
string), beside ``BACKPROP_TUTOR_HOME`` pointing at the learner's own folder.
Served, the tutor speaks to someone at a browser: no server paths, no process
ids, no advice to start a program again.
"""

from __future__ import annotations

import os
from pathlib import Path

SERVED_ENV = "BACKPROP_TUTOR_SERVED"
LEARNER_ENV = "BACKPROP_TUTOR_LEARNER"
ZYGOTE_ENV = "BACKPROP_TUTOR_ZYGOTE"
"""Set (to the file descriptor of its socket) in the environment of the class server's zygote,
the warm tutor it forks every learner's tutor from (:mod:`tutor.commands.zygote`)."""


def served() -> bool:
    """True when this tutor was started by the class server for a browser."""
    return os.environ.get(SERVED_ENV) == "1"


def learner_name() -> str | None:
    """The signed-in learner's name as they typed it (served only), else None."""
    name = os.environ.get(LEARNER_ENV, "").strip()
    return name if served() and name else None


def shown_path(path: Path) -> str:
    """A path as the learner may see it: in full at a terminal, only its name when served."""
    return path.name if served() else str(path)
