"""Signed cookies: :class:`Signer` (HMAC-SHA256 over a small JSON list) and the server's secret.

Provides :func:`load_secret`, which reads the class folder's secret or makes one
(32 random bytes, readable by the owner only), so cookies stay valid across
restarts of the same class and are worthless against any other class.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

SECRET_NAME = ".secret"
SECRET_BYTES = 32


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Signs a list of strings into a cookie value, and checks one."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("a signing secret needs at least 16 bytes")
        self._secret = secret

    def _mac(self, payload: str) -> str:
        digest = hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).digest()
        return _encode(digest)

    def sign(self, fields: list[str]) -> str:
        """``fields`` as ``PAYLOAD.MAC`` (URL-safe base64, fit for a cookie)."""
        payload = _encode(json.dumps(fields, ensure_ascii=False).encode("utf-8"))
        return f"{payload}.{self._mac(payload)}"

    def check(self, token: str | None) -> list[str] | None:
        """The fields a token signed here holds; None if it is missing, altered or forged."""
        if not token or token.count(".") != 1:
            return None
        payload, mac = token.split(".")
        try:
            if not hmac.compare_digest(self._mac(payload), mac):
                return None
            fields = json.loads(_decode(payload).decode("utf-8"))
        except (ValueError, binascii.Error, UnicodeError):
            return None
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            return None
        return fields


def load_secret(folder: Path) -> bytes:
    """The class folder's signing secret, made (owner-only) on first use."""
    path = Path(folder) / SECRET_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_bytes()
        if len(secret) < SECRET_BYTES:
            raise OSError(f"{path} is too short to be this class's secret; remove it") from None
        return secret
    secret = secrets.token_bytes(SECRET_BYTES)
    with os.fdopen(fd, "wb") as file:
        file.write(secret)
        file.flush()
        os.fsync(file.fileno())
    return secret
