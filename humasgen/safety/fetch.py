"""Network reads with a cap on size and on total time.

urllib's `timeout` bounds each socket operation, not a request: a server that
trickles one byte every few seconds keeps a build waiting forever, and one that
answers with 2 GB fills the memory. `read` stops both: a watchdog shuts the
request's sockets down when the total time is up, and the body is read up to
`limit` bytes. Both end in `FetchLimit`, an OSError with a plain message, which the
callers report like any other network failure.
"""
from __future__ import annotations

import http.client
import socket
import threading
import urllib.request


class FetchLimit(OSError):
    """The answer was too large or too slow."""

    @property
    def reason(self) -> str:        # read by the callers like URLError.reason
        return str(self)


def _recording(base: type, sockets: list) -> type:
    class Connection(base):
        def connect(self) -> None:
            super().connect()
            sockets.append(self.sock)
    return Connection


def _opener(sockets: list) -> urllib.request.OpenerDirector:
    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(_recording(http.client.HTTPConnection, sockets), req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(_recording(http.client.HTTPSConnection, sockets), req, context=self._context)
    return urllib.request.build_opener(HTTP, HTTPS)


def read(request: urllib.request.Request, seconds: float, limit: int, *, truncate: bool = False) -> tuple[int, bytes]:
    """(status, body) of `request`, within `seconds` in all and at most `limit` bytes of body.

    `truncate`: a longer body is cut at `limit` (an answer nobody reads) instead of an error.
    HTTP errors are raised as urllib raises them.
    """
    sockets: list[socket.socket] = []
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        for sock in list(sockets):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    watchdog = threading.Timer(seconds, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        with _opener(sockets).open(request, timeout=seconds) as response:
            length = response.headers.get("Content-Length", "")
            if not truncate and length.isdigit() and int(length) > limit:
                raise FetchLimit(f"the answer is {int(length):,} bytes, more than the limit of {limit:,}")
            body = response.read(limit + 1)
            if expired.is_set():
                raise FetchLimit(f"no answer within {seconds:g} s")
            if len(body) > limit and not truncate:
                raise FetchLimit(f"the answer is larger than the limit of {limit:,} bytes")
            return response.status, body[:limit]
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set() and not isinstance(exc, FetchLimit):
            raise FetchLimit(f"no answer within {seconds:g} s") from None
        if isinstance(exc, http.client.HTTPException):
            raise FetchLimit(f"invalid answer: {type(exc).__name__}") from None
        raise
    finally:
        watchdog.cancel()
