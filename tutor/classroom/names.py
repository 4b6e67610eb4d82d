"""A learner's name as typed, as compared, and as a folder: :func:`learner_from`.

Provides :class:`Learner` and :class:`NameRefused`.  A name is normalised
(Unicode NFKC, spaces collapsed) for display and casefolded for comparison, so
"Ada  Lovelace" and "ada lovelace" are one learner.  The folder name is an ASCII
slug of the name plus a hash of its comparison form: never a path separator,
never "..", and two different names never share a folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

MAX_NAME_LENGTH = 40
_PUNCTUATION = frozenset(" -'.")


class NameRefused(ValueError):
    """The name cannot be a learner's name; the message says why, to the learner."""


@dataclass(frozen=True)
class Learner:
    """One learner of a class: ``name`` as shown, ``key`` as compared, ``folder`` on disk."""

    name: str
    key: str
    folder: str


def _allowed(char: str) -> bool:
    return char in _PUNCTUATION or unicodedata.category(char)[0] in "LMN"


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:24].strip("-") or "learner"


def learner_from(typed: str) -> Learner:
    """The learner a typed name stands for; raises :class:`NameRefused` for an unusable one."""
    name = " ".join(unicodedata.normalize("NFKC", typed).split())
    if not name:
        raise NameRefused("Type your name to sign in.")
    if len(name) > MAX_NAME_LENGTH:
        raise NameRefused(f"That name is too long: at most {MAX_NAME_LENGTH} characters, please.")
    if not all(_allowed(char) for char in name):
        raise NameRefused(
            "A name may hold letters, digits, spaces, hyphens, apostrophes and full stops only."
        )
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise NameRefused("A name needs at least one letter or digit.")
    key = name.casefold()
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return Learner(name=name, key=key, folder=f"{_slug(name)}-{digest}")
