"""Join a Python app server to the test's `cassettes serve` session (copy this file into your app).

An inbound request that carries the session (the x-cassette-session header, or the
cassettes-session cookie that cassettes/playwright sets on the browser) runs with it in a context
variable; an httpx event hook puts it on the app's calls to the cassettes server.
"""
import contextvars
from http.cookies import SimpleCookie

HEADER, COOKIE = "x-cassette-session", "cassettes-session"
current_session = contextvars.ContextVar("cassettes_session", default=None)


def _session_of(header, cookie):
    if header or not cookie:
        return header or None
    morsel = SimpleCookie(cookie).get(COOKIE)
    return morsel.value if morsel else None


class CassetteSessionMiddleware:
    """Wraps a WSGI app (Flask, Django) or an ASGI app (FastAPI, Starlette)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, *args):
        if len(args) == 3:
            return self._asgi(*args)
        environ, start_response = args
        # set on every request, never reset: a streamed body is read after this returns
        current_session.set(_session_of(environ.get("HTTP_X_CASSETTE_SESSION"), environ.get("HTTP_COOKIE")))
        return self.app(environ, start_response)

    async def _asgi(self, scope, receive, send):
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        token = current_session.set(_session_of(headers.get(HEADER), headers.get("cookie")))
        try:
            await self.app(scope, receive, send)
        finally:
            current_session.reset(token)


def add_session_header(request):
    """httpx request hook: `OpenAI(http_client=DefaultHttpxClient(event_hooks={"request": [add_session_header]}))`."""
    if current_session.get():
        request.headers[HEADER] = current_session.get()


async def add_session_header_async(request):
    """The same for `DefaultAsyncHttpxClient` (AsyncOpenAI, AsyncAnthropic)."""
    add_session_header(request)
