"""The log of tries: every judged answer, one JSON line each, in the learner's data directory.

Provides :class:`TryPlace` (where a try was made), :class:`TriesLog` (append one
line; read every line back), :func:`statement` (a try shaped as an xAPI statement:
actor, verb, object, result, timestamp, so a learning record store can take it),
and the log of this session: :func:`open_log` (the progress store calls it once it
holds the data directory), :func:`record_try` (the one attempt machine and the
exercise check call it).

Never lost: each line is written with one ``write`` to a file opened for appending
(the kernel puts it whole at the end) and synced; reading skips a torn last line
or an unreadable one and says how many it skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.store.files import read_regular_file
from tutor.store.served import learner_name

FILENAME = "tries.jsonl"
MAX_LOG_BYTES = 200_000_000
ACTIVITY = "https://backprop-tutor.invalid/activity/"
"""The base of activity ids (a name space, not a page)."""
EXTENSION = "https://backprop-tutor.invalid/xapi/"
VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "skipped": "http://id.tincanapi.com/verb/skipped",
}


@dataclass(frozen=True)
class TryPlace:
    """Where a try was made: a lesson question or prediction, a quiz family, an exercise.

    ``kind`` is "question", "prediction", "quiz" or "exercise"; ``key`` the block's
    progress key in a lesson ("step:part"), ``target`` a prediction's quantity
    ("dL/dz2"), ``topic`` the quiz topic or the lesson's topic.
    """

    kind: str
    lesson: str = ""
    key: str = ""
    target: str = ""
    family: str = ""
    exercise: str = ""
    topic: str = ""

    @property
    def step(self) -> int | None:
        """The lesson step (from 1) of a lesson block, else None."""
        head = self.key.split(":", 1)[0]
        return int(head) + 1 if head.isdigit() else None

    def activity_id(self) -> str:
        """The xAPI object id of this place."""
        if self.kind == "quiz":
            return f"{ACTIVITY}quiz/{self.family}"
        if self.kind == "exercise":
            return f"{ACTIVITY}exercise/{self.exercise}"
        tail = f"/{self.target}" if self.target else ""
        return f"{ACTIVITY}lesson/{self.lesson}/{self.key}{tail}"

    def to_dict(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


@dataclass(frozen=True)
class Try:
    """One judged try: the answer as typed, the verdict, the named mistake, which try it was."""

    place: TryPlace
    answer: str
    verdict: str  # correct | close | wrong | skipped (and for an exercise: error)
    try_number: int
    mistake: str | None = None
    result: str = ""  # how the question went after it: first_try, retried, revealed, open...


def statement(attempt: Try, actor: str, when: datetime | None = None) -> dict[str, Any]:
    """The try as an xAPI statement (a dict ready for JSON)."""
    when = when or datetime.now(UTC)
    verb = "skipped" if attempt.verdict == "skipped" else "answered"
    extensions: dict[str, Any] = {
        EXTENSION + "verdict": attempt.verdict,
        EXTENSION + "try": attempt.try_number,
        EXTENSION + "place": attempt.place.to_dict(),
    }
    if attempt.mistake:
        extensions[EXTENSION + "mistake"] = attempt.mistake
    if attempt.result:
        extensions[EXTENSION + "outcome"] = attempt.result
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": actor},
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": attempt.place.activity_id(),
            "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction"},
        },
        "result": {
            "success": attempt.verdict == "correct",
            "completion": attempt.result not in ("", "open"),
            "response": attempt.answer,
            "extensions": extensions,
        },
        "timestamp": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


@dataclass(frozen=True)
class LoggedTry:
    """A try read back from the log: the fields the teacher's report needs."""

    place: TryPlace
    verdict: str
    try_number: int
    mistake: str | None
    result: str
    timestamp: str
    answer: str = ""


def _place_of(raw: Any) -> TryPlace | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str):
        return None
    fields = {name: raw.get(name, "") for name in TryPlace.__dataclass_fields__}
    if not all(isinstance(value, str) for value in fields.values()):
        return None
    return TryPlace(**fields)


def read_statement(line: dict[str, Any]) -> LoggedTry | None:
    """The try in a statement written by :func:`statement`; None if it is not one."""
    try:
        extensions = line["result"]["extensions"]
        place = _place_of(extensions[EXTENSION + "place"])
        verdict, number = extensions[EXTENSION + "verdict"], extensions[EXTENSION + "try"]
        mistake = extensions.get(EXTENSION + "mistake")
        result = extensions.get(EXTENSION + "outcome", "")
        timestamp = line["timestamp"]
        answer = line["result"].get("response", "")
    except (KeyError, TypeError, AttributeError):
        return None
    if place is None or not isinstance(verdict, str) or not isinstance(number, int):
        return None
    if not isinstance(timestamp, str) or not isinstance(result, str):
        return None
    answer = answer if isinstance(answer, str) else ""
    return LoggedTry(
        place, verdict, number, mistake if isinstance(mistake, str) else None, result, timestamp
    )


class TriesLog:
    """The log file ``tries.jsonl`` in a data directory."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / FILENAME
        self._lock = threading.Lock()

    def append(self, line: dict[str, Any]) -> None:
        """Append one statement as one line, whole (one ``write`` in append mode), synced."""
        data = (json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)

    def read(self) -> tuple[list[LoggedTry], str | None]:
        """Every try in the log, and a note on lines skipped (a torn last line, damage)."""
        try:
            raw = read_regular_file(self.path, MAX_LOG_BYTES)
        except FileNotFoundError:
            return [], None
        except OSError as exc:
            return [], f"the log of tries could not be read ({exc.strerror or exc})"
        lines = raw[:MAX_LOG_BYTES].split(b"\n")
        torn = lines.pop() != b""  # a last line without its newline was cut off mid-write
        found: list[LoggedTry] = []
        skipped = 0
        for line in lines:
            try:
                logged = read_statement(json.loads(line.decode("utf-8")))
            except (UnicodeDecodeError, ValueError, RecursionError):
                logged = None
            if logged is None:
                skipped += 1
            else:
                found.append(logged)
        notes = []
        if torn:
            notes.append("its last line was cut off (a try being written as the tutor stopped)")
        if skipped:
            notes.append(f"{skipped} damaged line{'s' if skipped != 1 else ''}")
        note = "skipped in the log of tries: " + "; ".join(notes) if notes else None
        return found, note


def append_try(directory: Path, attempt: Try) -> None:
    """Append a try to the log in ``directory`` without holding the directory (whole lines
    need no lock): ``exercise check`` on the command line, beside a running tutor."""
    with contextlib.suppress(OSError, ValueError):
        TriesLog(directory).append(statement(attempt, learner_name() or "learner"))


def tries_at(directory: Path, place: TryPlace) -> int:
    """How many tries the log in ``directory`` holds at ``place``."""
    return sum(logged.place == place for logged in TriesLog(directory).read()[0])


_session: TriesLog | None = None


def open_log(directory: Path) -> None:
    """Log this session's tries into ``directory`` (the one the progress store holds)."""
    global _session
    _session = TriesLog(directory)


def close_log() -> None:
    """Log no more tries in this session (the data directory was released)."""
    global _session
    _session = None


def record_try(attempt: Try) -> None:
    """Append a try to this session's log, if one is open; a failure loses only this line."""
    log = _session
    if log is None:
        return
    with contextlib.suppress(OSError, ValueError):
        log.append(statement(attempt, learner_name() or "learner"))
