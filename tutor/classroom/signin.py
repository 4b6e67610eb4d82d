"""Signing in to a class: :class:`Doorkeeper` checks a name and class code and the cookies.

A learner's cookie holds their name's key and their claim (see
:mod:`tutor.classroom.folder`), signed with the class secret; the teacher's holds
only a role.  Every message here is written for the person at the browser.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from tutor.classroom.folder import ClassFolder
from tutor.classroom.names import Learner, NameRefused, learner_from
from tutor.classroom.signing import Signer

LEARNER_COOKIE = "tutor_learner"
TEACHER_COOKIE = "tutor_teacher"
WRONG_CLASS_CODE = "That class code is not right. Ask your teacher for the class code."
WRONG_TEACHER_CODE = "That teacher code is not right."


def name_taken(name: str) -> str:
    """What a second person signing in with a name already in use is told."""
    return (
        f"Someone in this class has already signed in as “{name}”. If that was you, open the "
        "tutor in the browser you used then. Otherwise, sign in with a name that tells you "
        "apart (add your surname or an initial)."
    )


@dataclass(frozen=True)
class SignIn:
    """How a sign-in went: the learner and their cookie, or the message that refuses it."""

    learner: Learner | None = None
    cookie: str = ""
    refused: str = ""


def same_code(typed: str, code: str) -> bool:
    """Whether a typed code is the code (spaces around it and case do not matter)."""
    return hmac.compare_digest(typed.strip().casefold().encode(), code.strip().casefold().encode())


class Doorkeeper:
    """Signs learners and the teacher in to one class folder."""

    def __init__(
        self, folder: ClassFolder, signer: Signer, class_code: str, teacher_code: str
    ) -> None:
        self.folder = folder
        self.signer = signer
        self.class_code = class_code
        self.teacher_code = teacher_code

    def sign_in(self, typed_name: str, typed_code: str, cookie: str | None) -> SignIn:
        """Check a sign-in form; a name already claimed needs the claimant's own cookie."""
        if not same_code(typed_code, self.class_code):
            return SignIn(refused=WRONG_CLASS_CODE)
        try:
            learner = learner_from(typed_name)
        except NameRefused as exc:
            return SignIn(refused=str(exc))
        returning = self.learner_of(cookie)
        if returning is not None and returning.key == learner.key:
            return SignIn(returning, cookie or "")
        claim = self.folder.claim(learner)
        if claim is None:
            return SignIn(refused=name_taken(learner.name))
        return SignIn(learner, self.signer.sign(["learner", learner.name, claim]))

    def learner_of(self, cookie: str | None) -> Learner | None:
        """The learner a cookie belongs to; None if it is missing, forged, or its claim is gone."""
        fields = self.signer.check(cookie)
        if fields is None or len(fields) != 3 or fields[0] != "learner":
            return None
        try:
            learner = learner_from(fields[1])
        except NameRefused:
            return None
        claim = self.folder.claim_of(learner)
        if claim is None or not hmac.compare_digest(claim, fields[2]):
            return None
        return learner

    def teacher_cookie(self, typed_code: str) -> str | None:
        """The teacher's cookie for the right teacher code, else None."""
        if not same_code(typed_code, self.teacher_code):
            return None
        return self.signer.sign(["teacher"])

    def is_teacher(self, cookie: str | None) -> bool:
        """Whether a cookie is the teacher's, signed by this class."""
        return self.signer.check(cookie) == ["teacher"]
