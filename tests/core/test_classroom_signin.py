"""Signing in to a class: names, cookies, the class folder, and who may use which name."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from tutor.classroom.folder import ClassFolder
from tutor.classroom.names import NameRefused, learner_from
from tutor.classroom.signin import WRONG_CLASS_CODE, Doorkeeper
from tutor.classroom.signing import Signer, load_secret

SECRET = b"0123456789abcdef0123456789abcdef"


def test_names_are_compared_without_case_or_extra_spaces():
    first = learner_from("  Ada   Lovelace ")
    assert first.name == "Ada Lovelace"
    assert learner_from("ADA LOVELACE").key == first.key == "ada lovelace"
    assert learner_from("ada lovelace").folder == first.folder
    assert learner_from("Ａｄａ").key == "ada"  # full-width letters: NFKC


@pytest.mark.parametrize(
    "typed", ["", "   ", "a/b", "../etc", "x" * 41, "<script>", "--", "a\tb\x00"]
)
def test_unusable_names_are_refused_with_a_reason(typed: str):
    with pytest.raises(NameRefused) as refused:
        learner_from(typed)
    assert str(refused.value)


@pytest.mark.parametrize("typed", ["José Núñez", "李小龙", "O'Brien", "Anne-Marie", "Ada", "ada."])
def test_a_learner_folder_is_one_safe_path_component(typed: str, tmp_path: Path):
    learner = learner_from(typed)
    digest = hashlib.sha256(learner.key.encode()).hexdigest()[:10]
    assert learner.folder.endswith("-" + digest)
    assert learner.folder.replace("-", "").isalnum() and learner.folder.isascii()
    folder = ClassFolder(tmp_path)
    assert folder.directory(learner).parent == tmp_path / "learners"


def test_different_names_never_share_a_folder():
    names = ["José", "Jose", "jose.", "Jo-se", "李", "王"]
    folders = {learner_from(name).folder for name in names}
    assert len(folders) == len({learner_from(name).key for name in names}) == len(names)


def test_a_signed_cookie_checks_and_any_change_is_refused():
    signer = Signer(SECRET)
    token = signer.sign(["learner", "Ada", "claim"])
    assert signer.check(token) == ["learner", "Ada", "claim"]
    payload, mac = token.split(".")
    # the MAC is HMAC-SHA256 of the payload, computed here independently
    expected = hmac.new(SECRET, payload.encode(), hashlib.sha256).digest()
    import base64

    assert base64.urlsafe_b64decode(mac + "=" * (-len(mac) % 4)) == expected
    swapped = base64.urlsafe_b64encode(json.dumps(["learner", "Bob", "claim"]).encode())
    assert signer.check(swapped.decode().rstrip("=") + "." + mac) is None
    assert signer.check(payload + "." + mac[:-1] + ("A" if mac[-1] != "A" else "B")) is None
    assert Signer(b"another secret, 32 bytes long..").check(token) is None
    for broken in (None, "", "no-dot", "a.b.c", ".", "!!!.???"):
        assert signer.check(broken) is None


def test_the_secret_is_made_once_owner_only_and_kept(tmp_path: Path):
    first = load_secret(tmp_path)
    assert len(first) == 32
    assert (tmp_path / ".secret").stat().st_mode & 0o077 == 0
    assert load_secret(tmp_path) == first


def doorkeeper(tmp_path: Path) -> Doorkeeper:
    folder = ClassFolder(tmp_path)
    folder.make()
    return Doorkeeper(folder, Signer(SECRET), "owl42", "teach")


def test_a_name_belongs_to_whoever_took_it_first(tmp_path: Path):
    door = doorkeeper(tmp_path)
    assert door.sign_in("Ada", "nope", None).refused == WRONG_CLASS_CODE
    ada = door.sign_in("Ada", " OWL42 ", None)
    assert ada.learner is not None and ada.cookie
    assert door.learner_of(ada.cookie) == ada.learner
    assert door.sign_in("ada", "owl42", ada.cookie).learner == ada.learner  # Ada again
    taken = door.sign_in("ADA", "owl42", None)
    assert taken.learner is None and "already signed in" in taken.refused
    bob = door.sign_in("Bob", "owl42", None)
    assert door.sign_in("Ada", "owl42", bob.cookie).learner is None  # Bob's cookie is not Ada's
    card = json.loads((door.folder.directory(ada.learner) / "learner.json").read_text())
    assert card["name"] == "Ada"
    assert [found.name for found in door.folder.learners()] == ["Ada", "Bob"]


def test_a_cookie_signed_for_a_claim_that_is_gone_is_refused(tmp_path: Path):
    door = doorkeeper(tmp_path)
    ada = door.sign_in("Ada", "owl42", None)
    assert ada.learner is not None
    (door.folder.directory(ada.learner) / "learner.json").unlink()
    assert door.learner_of(ada.cookie) is None


def test_only_the_teacher_code_makes_a_teacher_cookie(tmp_path: Path):
    door = doorkeeper(tmp_path)
    assert door.teacher_cookie("owl42") is None
    cookie = door.teacher_cookie("teach")
    assert cookie is not None and door.is_teacher(cookie)
    ada = door.sign_in("Ada", "owl42", None)
    assert not door.is_teacher(ada.cookie)
    assert door.learner_of(cookie) is None


def test_the_pages_escape_what_people_typed_and_use_relative_addresses():
    from tutor.classroom.pages import sign_in_page, waiting_text

    page = sign_in_page('That name is taken: "<b>x</b>"', name='"><script>alert(1)</script>')
    assert "<script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;" in page
    assert 'action="login"' in page and "http://" not in page and 'src="/' not in page
    assert "number 3 in the queue" in waiting_text(3, "starting", 30)
    assert "You are next." in waiting_text(1, "full", 30) and "30 at a time" in waiting_text(
        1, "full", 30
    )
