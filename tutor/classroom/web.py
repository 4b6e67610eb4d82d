"""Small pieces of the class server's HTTP side: secure requests and signed cookies.

Provides :func:`secure` (the browser reached us over HTTPS, directly or through a
proxy that says so) and :func:`set_signed_cookie` (HttpOnly, SameSite=Lax, for
the whole site, Secure over HTTPS).
"""

from __future__ import annotations

from aiohttp import web

COOKIE_AGE = 180 * 24 * 3600


def secure(request: web.Request) -> bool:
    """Whether the browser reached the server over HTTPS."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"


def set_signed_cookie(
    response: web.StreamResponse, request: web.Request, name: str, value: str
) -> None:
    """Set a signed cookie the page's scripts cannot read."""
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_AGE,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=secure(request),
    )


def see_other(location: str) -> web.Response:
    """A 303 redirect to a relative ``location`` (a response a cookie can be set on)."""
    return web.Response(status=303, headers={"Location": location})


def html(text: str, status: int = 200) -> web.Response:
    """An HTML page."""
    return web.Response(text=text, content_type="text/html", status=status)
