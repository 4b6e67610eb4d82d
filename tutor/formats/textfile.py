"""Reading a small text file that a person wrote: a spec or a lesson.

:func:`read_small_text` returns the text, or raises :class:`UnreadableFile` with a
message and, where it has one, the line: missing, not a regular file (a directory,
a FIFO or a device is refused at once, never waited on), too large, binary (a NUL
byte), not UTF-8, or holding a control character (an escape sequence, say) that a
terminal would obey when the text is printed.  A UTF-8 byte-order mark is accepted.
"""

from __future__ import annotations

import re
from pathlib import Path

from tutor.store.files import NotRegularFile, read_regular_file

CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab, newline and carriage return (C0, DEL and C1)."""


def control_problem(text: str, what: str) -> tuple[str, int] | None:
    """``(message, offset)`` for the first control character in ``text``, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    return f"{what} holds a control character ({code}) that a terminal would obey", found.start()


class UnreadableFile(ValueError):
    """Why a file cannot be read as text; ``line`` is 1-based, or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_small_text(path: Path, *, limit: int, kind: str) -> str:
    """The UTF-8 text of ``path``, at most ``limit`` bytes; ``kind`` names it in messages."""
    try:
        raw = read_regular_file(path, limit)
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except NotRegularFile as exc:
        raise UnreadableFile(f"is {exc.kind}, not a {kind} file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"is a directory, not a {kind} file") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise UnreadableFile(f"the file is larger than {limit // 1_000_000} MB: not a {kind}")
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise UnreadableFile(f"this is a binary file (NUL byte), not a {kind}", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableFile("the file is not valid UTF-8 text (save it as UTF-8)", line) from None
    control = control_problem(text, "the file")
    if control is not None:
        message, offset = control
        raise UnreadableFile(f"{message}: remove it", text.count("\n", 0, offset) + 1)
    return text
