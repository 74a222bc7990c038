"""Who is looking: the viewer's login and logout, its session cookie, and what they may read.

A member logs in with an account's username (or email) and password — never an API token,
as Confluence's login form takes none — and gets a session (``store.sessions``): a random id
the server keeps (hashed) in memory, sent back as the cookie ``JSESSIONID`` with
``HttpOnly`` (no script reads it), ``SameSite=Lax`` (no other site's form or script sends it)
and ``Path=/`` (the REST API under the same origin accepts it: the editor saves through it),
``Secure`` too when the wiki is served over https. Logging out ends the session on the
server, not only in the browser.

What a visitor may read is what the REST API would answer them: the store's permission check
for their account (``store.can(user, space, "read", "space")``, the rule ``web/checks.py``
applies), and for a visitor who has not logged in, the anonymous grants only when the wiki
allows anonymous access at all — without it the REST API answers an anonymous caller 401
for everything, so the viewer shows them nothing. A space or page they may not read is "not
found", as the REST API answers (404, never 403, so nobody can probe for what exists).

The viewer's own forms are checked like Confluence's writes (``rules/xsrf.py``: a browser's
POST must come from the site itself).

Imports: the store (users, sessions, permissions) and ``rules.xsrf``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from werkzeug.exceptions import Forbidden
from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from confluence_sync.localwiki.rules import xsrf
from confluence_sync.localwiki.store.sessions import SESSION_COOKIE

if TYPE_CHECKING:
    from confluence_sync.localwiki.store import Store
    from confluence_sync.localwiki.store.model import User

Html = Callable[..., Response]  # the viewer's page layout: (title, body, crumbs, status=)


def same_site_post(request: Request) -> bool:
    """A POST the XSRF rule lets through (a browser's must come from this site)."""
    check = xsrf.WriteRequest(
        method=request.method,
        site=request.host_url.rstrip("/"),
        content_type=request.headers.get("Content-Type", ""),
        user_agent=request.headers.get("User-Agent", ""),
        origin=request.headers.get("Origin", ""),
        referer=request.headers.get("Referer", ""),
        # A form cannot set headers: the viewer's forms prove their origin instead.
        token="no-check",
    )
    return not xsrf.refused(check)


class Auth:
    """The login pages and the visitor of a request."""

    def __init__(self, store: Store, prefix: str, html: Html, *, anonymous_access: bool) -> None:
        self.store = store
        self.prefix = prefix
        self.html = html
        self.anonymous_access = anonymous_access

    def rules(self) -> list[Rule]:
        return [
            Rule(f"{self.prefix}/login", endpoint="login", methods=["GET", "POST"]),
            Rule(f"{self.prefix}/logout", endpoint="logout", methods=["POST"]),
        ]

    def endpoints(self) -> dict[str, Callable[..., Response]]:
        return {"login": self.view_login, "logout": self.view_logout}

    # -- who, and what they may read -----------------------------------------------------
    def user(self, request: Request) -> User | None:
        session = request.cookies.get(SESSION_COOKIE)
        return self.store.session_user(session) if session else None

    def may_read(self, user: User | None, space_id: int) -> bool:
        if user is None and not self.anonymous_access:
            return False
        return self.store.can(user, space_id, "read", "space")

    def menu(self, user: User | None, here: str) -> str:
        """The header's part about the visitor: who is logged in, or a way to log in."""
        if user is None:
            target = f"{self.prefix}/login?next={escape(here)}"
            return f'<nav class="who"><a class="login-link" href="{target}">Log in</a></nav>'
        return (
            f'<nav class="who"><span class="user" title="{escape(user.username)}">'
            f"{escape(user.display_name)}</span>"
            f'<form method="post" action="{self.prefix}/logout">'
            '<button type="submit" class="logout">Log out</button></form></nav>'
        )

    # -- pages ---------------------------------------------------------------------------
    def _target(self, raw: str | None) -> str:
        """Where to go after logging in: a viewer page only (no open redirect)."""
        home = f"{self.prefix}/"
        if not raw or not raw.startswith(home) or raw.startswith("//") or "\\" in raw:
            return home
        return raw

    def _form(
        self, target: str, message: str = "", username: str = "", status: int = 200
    ) -> Response:
        note = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
        body = (
            f'<h1>Log in</h1>{note}<form class="login" method="post" action="{self.prefix}/login">'
            f'<input type="hidden" name="next" value="{escape(target)}">'
            '<label>Username or email <input name="username" autocomplete="username" '
            f'value="{escape(username)}" required autofocus></label>'
            '<label>Password <input name="password" type="password" '
            'autocomplete="current-password" required></label>'
            '<button type="submit" id="login-submit">Log in</button></form>'
            '<p class="meta">Accounts are the ones the network\'s config names; the admin sets '
            "a password with <code>confluence-sync serve --set-password ACCOUNT</code>.</p>"
        )
        return self.html("Log in", body, status=status)

    def view_login(self, request: Request) -> Response:
        target = self._target(request.values.get("next"))
        if request.method == "GET":
            return self._form(target)
        if not same_site_post(request):
            raise Forbidden(xsrf.XSRF_MESSAGE)
        name = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        user = self.store.authenticate_password(name, password) if name and password else None
        if user is None:
            # One answer for a wrong name and a wrong password: no probing for accounts.
            return self._form(target, "Wrong username or password.", name, status=401)
        previous = request.cookies.get(SESSION_COOKIE)
        if previous:
            self.store.sessions.close(previous)  # a login always starts a fresh session
        response = redirect(target, 303)
        response.set_cookie(
            SESSION_COOKIE,
            self.store.sessions.open(user.id),
            max_age=None,  # a browser session cookie; the server ends it after idle time
            path="/",
            secure=request.scheme == "https",
            httponly=True,
            samesite="Lax",
        )
        return response

    def view_logout(self, request: Request) -> Response:
        if not same_site_post(request):
            raise Forbidden(xsrf.XSRF_MESSAGE)
        session = request.cookies.get(SESSION_COOKIE)
        if session:
            self.store.sessions.close(session)
        response = redirect(f"{self.prefix}/", 303)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax")
        return response


__all__ = ["Auth", "same_site_post"]
