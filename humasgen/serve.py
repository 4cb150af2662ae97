"""`humasgen serve`: the site in memory, pages rendered on request, reloaded on every save.

The same stages as a build (build.load_site -> render.Router/render_page ->
outputs.all_generated), but nothing is written. A save of release files revises the
model (build.revise_site: the saved releases moved in their lists, neighbours and related
lists); any other change makes it again (unchanged files are not re-parsed, see
content.Memo). Either way lists, feeds and related links are never stale, and a page is
rendered only when a browser asks for it (kept until a value it read changes). Errors
become an error page; the server keeps running.
"""
from __future__ import annotations

import html
import ipaddress
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import unquote

import jinja2
import jinja2.bccache

from . import build, content, outputs, parallel, reads, render
from .cache import CACHE_DIR
from .errors import Diagnostic, HumasgenError
from .safety.lock import try_site_lock
from .safety.serving import allowed_host

EVENTS_PATH = "/__humasgen/events"
# Feeds, sitemaps, manifest, robots.txt, key file: only these make a request compute them
# (a stray /favicon.ico must not cost a 10,000-release sitemap).
GENERATED_SUFFIXES = (".xml", ".json", ".txt", ".xsl", ".ics", ".csv")
KEEPALIVE_SECONDS = 15.0

CONTENT_TYPES: Mapping[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".xsl": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".zip": "application/zip",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
}

RELOAD_SCRIPT = """<script>/* humasgen serve: live reload, preview only */
(function () {
  var version = "%s";
  var source = new EventSource("%s");
  source.onmessage = function (event) {
    if (event.data !== version) { source.close(); location.reload(); }
  };
})();
</script>
"""


class ServeError(Exception):
    """The server cannot start (port in use, bad host): one line for the user, exit 1."""
    exit_code = 1


def content_type(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def site_path(raw: str) -> str | None:
    """The output path a request names ('' -> 'index.html'), or None when it could leave the site.

    Refused: anything but an origin-form path, encoded slashes or backslashes, '.' and
    '..' segments (also percent-encoded), empty segments ('//etc'), NUL bytes.
    """
    target = raw.split("?", 1)[0].split("#", 1)[0]
    if not target.startswith("/") or "\\" in target:
        return None
    lowered = target.lower()
    if "%2f" in lowered or "%5c" in lowered or "%00" in lowered:
        return None
    try:
        decoded = unquote(target, errors="strict") if "%" in target else target
    except UnicodeDecodeError:          # '/%ff': not UTF-8, names no file
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    segments = decoded[1:].split("/")
    if any(s in (".", "..") for s in segments) or any(not s for s in segments[:-1]):
        return None
    rel = "/".join(segments)
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def inject_reload(body: bytes, version: str) -> bytes:
    """Add the live-reload script before </body> (preview responses only, never build output)."""
    script = (RELOAD_SCRIPT % (version, EVENTS_PATH)).encode()
    at = body.lower().rfind(b"</body>")
    return body + script if at < 0 else body[:at] + script + body[at:]


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept across updates (keyed by name and source checksum by Jinja):
    compiling the theme again after every save would cost more than the rest of a page."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One update's result: the model and its router, or the error that stopped it."""
    version: str
    loaded: build.Loaded | None
    router: render.Router | None
    env: object | None
    error: HumasgenError | None
    static: Mapping[str, Path]              # from the last good load, so CSS still loads on errors
    static_roots: tuple[Path, ...]
    seconds: float = 0.0                    # wall time of the update
    cpu_seconds: float = 0.0                # CPU time of the update (the same on a busy machine)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    content_type: str
    body: bytes = b""
    file: Path | None = None
    location: str = ""


def _revisable(previous: Snapshot | None, changed: set[str] | None) -> bool:
    """An update can start from the last model: it loaded without error and only release files changed."""
    return (previous is not None and previous.loaded is not None and previous.error is None
            and bool(changed) and all(content.release_source(path) for path in changed))


@dataclass(slots=True)
class Preview:
    """The live model of one site: updated by the watcher thread, read by request threads."""
    site_dir: Path
    base_url: str
    clock: Callable[[], datetime] = build.now_from_env
    jobs: int = 1
    echo: Callable[[str], None] = lambda line: None
    memo: content.Memo = field(default_factory=content.Memo)
    snapshot: Snapshot | None = None
    _counter: int = 0
    _run: str = field(default_factory=lambda: os.urandom(4).hex())
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _pages: dict[str, render.Rendered] = field(default_factory=dict)         # path -> last render
    _generated: tuple[str, dict[str, bytes]] | None = None                    # (version, files)
    _bytecode: jinja2.BytecodeCache = field(default_factory=lambda: _MemoryBytecodeCache())
    closed: bool = False

    # -- updates -------------------------------------------------------------------------

    @parallel.heap_scoped      # the model is frozen while it loads, thawed after (see parallel.settled)
    def update(self, changed: Iterable[str] | None = None) -> Snapshot:
        """Rebuild the model after `changed` (site-relative paths; None: anything may have changed)."""
        started, cpu = time.perf_counter(), time.thread_time()
        changed = None if changed is None else set(changed)
        self.memo.mark(None if changed is None else {p for p in changed if p.startswith("content/")})
        previous = self.snapshot
        first = previous is None
        loaded = router = env = error = None
        try:
            if _revisable(previous, changed):      # saves of releases only: the model is revised, not remade
                loaded = build.revise_site(previous.loaded, self.site_dir, self.clock(), self.memo, self.jobs)
            if loaded is None:
                # The first load fills the parse cache, unless a build holds the site's lock (safety/lock.py).
                with try_site_lock(self.site_dir) as locked:
                    loaded = build.load_site(self.site_dir, self.clock(), base_url=self.base_url, drafts=True,
                                             future=True, preview=True, jobs=self.jobs, memo=self.memo,
                                             cache_dir=self.site_dir / CACHE_DIR if first and locked else None)
            router = render.router(loaded.site, loaded.theme_key)
            env = render.make_env(loaded.theme, loaded.site, loaded.static)
            env.bytecode_cache = self._bytecode     # a new env per update, templates compiled once
        except HumasgenError as exc:
            error = exc
        except Exception as exc:    # a bug or a hook crash must not stop the preview; show it, and log it
            self.echo("".join(traceback.format_exception(exc)).rstrip())
            error = HumasgenError([Diagnostic("humasgen", None, f"internal error: {type(exc).__name__}: {exc}",
                                              "see the terminal for the traceback")])
            loaded = None
        if loaded is not None:
            static = loaded.static
            roots = tuple(p.resolve() for p in (self.site_dir / "static", *loaded.theme.static))
        else:
            static = previous.static if previous else {}
            roots = previous.static_roots if previous else ()
        with self._changed:
            self._counter += 1
            snapshot = Snapshot(f"{self._run}-{self._counter}", loaded, router, env, error, static, roots,
                                time.perf_counter() - started, time.thread_time() - cpu)
            self.snapshot = snapshot
            self._generated = None
            self._changed.notify_all()
        if error is not None:
            for diagnostic in error.diagnostics:
                self.echo(diagnostic.format())
            count = len(error.diagnostics)
            self.echo(f"preview not updated: {count} error{'s' if count != 1 else ''}; fix and save to retry")
        elif not first:
            self.echo(f"updated in {snapshot.seconds * 1000:.0f} ms ({len(loaded.site.releases)} releases)")
        return snapshot

    def wait_version(self, seen: str | None, timeout: float) -> str | None:
        """Block until the version differs from `seen` (or timeout); the current version, None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or (self.snapshot and self.snapshot.version != seen),
                                   timeout)
            return None if self.closed else (self.snapshot.version if self.snapshot else None)

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    # -- requests ------------------------------------------------------------------------

    def respond(self, raw_path: str) -> Response:
        snapshot = self.snapshot
        assert snapshot is not None, "update() runs before the server starts"
        path = site_path(raw_path)
        if path is None:
            return self._not_found(snapshot)
        source = snapshot.static.get(path)
        if source is not None and self._inside(source, snapshot.static_roots):
            return Response(200, content_type(path), file=source)
        if snapshot.error is not None:
            if path.endswith(".html"):
                return self._error_page(snapshot, snapshot.error)
            return Response(500, "text/plain; charset=utf-8", str(snapshot.error).encode())
        try:
            page = snapshot.router.page(path)
            if page is not None:
                return Response(200, content_type(path), inject_reload(self._render(snapshot, page), snapshot.version))
            if path.endswith(GENERATED_SUFFIXES) and path in (generated := self._generated_files(snapshot)):
                return Response(200, content_type(path), generated[path])
            if snapshot.router.page(path.rstrip("/") + "/index.html") is not None and not path.endswith(".html"):
                return Response(301, "text/plain; charset=utf-8", location=raw_path.split("?", 1)[0] + "/")
            return self._not_found(snapshot)
        except HumasgenError as exc:    # a template error on this one page
            for diagnostic in exc.diagnostics:
                self.echo(diagnostic.format())
            return self._error_page(snapshot, exc)

    def _render(self, snapshot: Snapshot, page: render.Page) -> bytes:
        """A page, rendered again only when something it read changed since its last render."""
        cached = self._pages.get(page.path)
        if cached is not None and reads.still_valid(page, cached.key, cached.reads, cached.group_paths,
                                                    snapshot.env.roots):
            return cached.content
        with self._lock:        # one env, one tracker: renders take turns
            done = render.render_page(snapshot.env, page, build.page_context(snapshot.loaded.plugins))
            self._pages[page.path] = done
        return done.content

    def _generated_files(self, snapshot: Snapshot) -> dict[str, bytes]:
        """Feeds, sitemaps, manifest: made on the first request after an update, not on every save."""
        with self._lock:
            found = self._generated
            if found is None or found[0] != snapshot.version:
                loaded = snapshot.loaded
                pages = render.plan(loaded.site, loaded.theme_key)       # the sitemaps list every page
                found = (snapshot.version, outputs.all_generated(loaded.site, pages, loaded.static))
                if snapshot is self.snapshot:
                    self._generated = found
        return found[1]

    def _not_found(self, snapshot: Snapshot) -> Response:
        if snapshot.router is None:
            return Response(404, "text/plain; charset=utf-8", b"404 not found")
        try:
            body = self._render(snapshot, snapshot.router.page("404.html"))
        except HumasgenError as exc:
            return self._error_page(snapshot, exc)
        return Response(404, "text/html; charset=utf-8", inject_reload(body, snapshot.version))

    @staticmethod
    def _inside(source: Path, roots: tuple[Path, ...]) -> bool:
        """A static file is served only if it really lies in a static folder (no symlinks out)."""
        try:
            real = source.resolve(strict=True)
        except OSError:
            return False
        return real.is_file() and any(real.is_relative_to(root) for root in roots)

    def _error_page(self, snapshot: Snapshot, error: HumasgenError) -> Response:
        items = "\n".join(
            f'<li><code class="where">{html.escape(f"{d.path}:{d.line}" if d.line else d.path)}</code>: '
            f'{html.escape(d.message)}{f" <em>({html.escape(d.hint)})</em>" if d.hint else ""}</li>'
            for d in error.diagnostics)
        count = len(error.diagnostics)
        body = ERROR_PAGE.format(count=f"{count} error{'s' if count != 1 else ''}", items=items).encode()
        return Response(500, "text/html; charset=utf-8", inject_reload(body, snapshot.version))


ERROR_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>humasgen: preview error</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; }}
h1 {{ color: #a40000; font-size: 1.5rem; }}
li {{ margin: .5rem 0; }} code {{ background: #f3f3f3; padding: .1rem .3rem; }} em {{ color: #555; }}
</style></head>
<body class="humasgen-error">
<h1>The preview could not be updated ({count})</h1>
<ul class="diagnostics">
{items}
</ul>
<p>Fix the file and save it: this page reloads by itself.</p>
</body>
</html>
"""


class _Handler(BaseHTTPRequestHandler):
    server: "PreviewServer"
    server_version = "humasgen-serve"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    # -- the browser editor at /admin/ (humasgen/editor/serve.py) ------------------------
    def do_POST(self) -> None:
        from .editor import serve as editor
        if editor.wants(self.path):
            return editor.post(self)
        self.send_error(405)

    def _answer(self, head: bool) -> None:
        preview = self.server.preview
        if not allowed_host(self.headers.get("Host"), self.server.server_address[0]):
            return self._refuse_host(head)
        if preview.snapshot is not None and self.path.startswith("/admin"):
            from .editor import serve as editor
            if editor.wants(self.path):
                return editor.get(self, head)
        if self.path.split("?", 1)[0] == EVENTS_PATH:
            return self._events(preview, head)
        try:
            response = preview.respond(self.path)
            body = response.file.read_bytes() if response.file is not None else response.body
        except OSError:
            response, body = Response(404, "text/plain; charset=utf-8"), b"404 not found"
        except Exception as exc:     # never let one request take the server down
            preview.echo("".join(traceback.format_exception(exc)).rstrip())
            response, body = Response(500, "text/plain; charset=utf-8"), f"internal error: {exc}".encode()
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if response.location:
            self.send_header("Location", response.location)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _refuse_host(self, head: bool) -> None:
        """Another name for this address (DNS rebinding: a web page reading drafts): 400, nothing served."""
        body = b"400 bad request: this preview answers only to localhost and its own address\n"
        self.send_response(400)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, preview: Preview, head: bool) -> None:
        """Server-Sent Events: the current version now, then each new one when an update finishes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
        seen = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while True:
                version = preview.wait_version(seen, KEEPALIVE_SECONDS)
                if version is None:
                    return
                self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": ping\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows updates and errors, not every request."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024       # listen backlog: a page with 200 images asks for them at once

    def __init__(self, address: tuple[str, int], preview: Preview | None = None) -> None:
        self.preview = preview
        host = address[0]
        if ":" in host:
            import socket
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        """A browser closing a connection early is not worth a traceback."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            super().handle_error(request, client_address)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> PreviewServer:
    """Listen on host:port (0 picks a free port); a clear ServeError when that is not possible."""
    try:
        return PreviewServer((host, port))
    except OSError as exc:
        import errno
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use "
                             "(stop the other server, or pick another with --port, or --port 0 for any free one)") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def local_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else ("::1" if host == "::" else host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def start(site_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, poll: bool = False,
          jobs: int = 1, clock: Callable[[], datetime] = build.now_from_env,
          echo: Callable[[str], None] = lambda line: None, debounce: float = 0.1):
    """Bind, load the site, watch it and serve in a background thread: (server, watcher, url).

    The caller stops it with stop(server, watcher). Used by the CLI and by the tests.
    """
    from .watch import Watcher

    server = bind(host, port)
    url = local_url(host, server.server_address[1])
    preview = Preview(site_dir, url, clock=clock, jobs=jobs, echo=echo)
    server.preview = preview
    preview.update(None)
    watcher = Watcher(site_dir, preview.update, poll=poll, debounce=debounce)
    watcher.start()
    thread = threading.Thread(target=server.serve_forever, name="humasgen-serve", daemon=True)
    thread.start()
    return server, watcher, url


def stop(server: PreviewServer, watcher) -> None:
    watcher.stop()
    server.preview.close()
    server.shutdown()
    server.server_close()


def wait_forever() -> None:
    """Sleep until Ctrl-C (KeyboardInterrupt) while the server thread works."""
    threading.Event().wait()
