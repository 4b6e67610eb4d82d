"""The class folder (``serve --root``): one data directory per learner, and who owns which.

Provides :class:`ClassFolder`.  Each learner's tutor keeps its progress, tries
and exercise files in ``learners/<folder>/``; ``learner.json`` there records the
name and a random claim, so a second person typing the same name is refused
instead of being handed someone else's work (the claim travels in the first
person's signed cookie).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tutor.classroom.names import Learner

LEARNERS_DIR = "learners"
CARD_NAME = "learner.json"


@dataclass(frozen=True)
class LearnerFolder:
    """A learner found in the class folder: the name they signed in with and their folder."""

    name: str
    path: Path


class ClassFolder:
    """The class folder under ``root``, made on first use (owner-only)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.learners_root = self.root / LEARNERS_DIR

    def make(self) -> None:
        """Create the class folder and its learners' folder if they are missing."""
        self.learners_root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def directory(self, learner: Learner) -> Path:
        """The learner's data directory (``BACKPROP_TUTOR_HOME`` of their tutor)."""
        return self.learners_root / learner.folder

    def claim_of(self, learner: Learner) -> str | None:
        """The claim recorded for this learner's name, or None if nobody has it yet."""
        try:
            card = json.loads((self.directory(learner) / CARD_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        claim = card.get("claim") if isinstance(card, dict) else None
        return claim if isinstance(claim, str) and claim else None

    def claim(self, learner: Learner) -> str | None:
        """Give this name to the one signing in now: the new claim, or None if it is taken."""
        directory = self.directory(learner)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        claim = secrets.token_urlsafe(16)
        card = {
            "name": learner.name,
            "claim": claim,
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            fd = os.open(directory / CARD_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return None
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(card, file)
            file.flush()
            os.fsync(file.fileno())
        return claim

    def learners(self) -> list[LearnerFolder]:
        """Every learner who signed in, by name (a folder with an unreadable card is skipped)."""
        found = []
        try:
            folders = sorted(self.learners_root.iterdir())
        except OSError:
            return []
        for folder in folders:
            try:
                card = json.loads((folder / CARD_NAME).read_text("utf-8"))
            except (OSError, ValueError):
                continue
            name = card.get("name") if isinstance(card, dict) else None
            if isinstance(name, str) and name:
                found.append(LearnerFolder(name, folder))
        return sorted(found, key=lambda learner: learner.name.casefold())
