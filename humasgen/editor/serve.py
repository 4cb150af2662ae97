"""/admin/ in `humasgen serve`: the editor's pages, its live config and the local back end."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import config as config_mod
from ..errors import HumasgenError
from . import backend, files
from .schema import API_PATH, Known

if TYPE_CHECKING:
    from ..serve import _Handler

PREFIX = "/admin"


def wants(path: str) -> bool:
    target = path.split("?", 1)[0]
    return target == PREFIX or target.startswith(PREFIX + "/")


def _config(handler: "_Handler") -> tuple[config_mod.Config, Known]:
    preview = handler.server.preview
    snapshot = preview.snapshot
    if snapshot is not None and snapshot.loaded is not None:
        site = snapshot.loaded.site
        return snapshot.loaded.config, Known.from_releases(site.releases, site.types.items())
    try:
        return config_mod.load(preview.site_dir), Known()
    except HumasgenError:
        return config_mod.Config(), Known()


def get(handler: "_Handler", head: bool) -> None:
    target = handler.path.split("?", 1)[0]
    rel = target.removeprefix(PREFIX).lstrip("/")
    if target == PREFIX:
        return _send(handler, 301, "text/plain; charset=utf-8", b"", head, location=PREFIX + "/")
    config, known = _config(handler)
    try:
        if rel in ("", "index.html"):
            return _send(handler, 200, "text/html; charset=utf-8", files.index_html(config), head)
        if rel == "config.yml":
            data = files.config_yaml(config, known, handler.server.preview.base_url)
            return _send(handler, 200, "text/yaml; charset=utf-8", data, head)
        source = files.static_files().get(rel)
    except files.BundleMissing as exc:
        return _send(handler, 500, "text/plain; charset=utf-8", str(exc).encode(), head)
    if source is None:
        return _send(handler, 404, "text/plain; charset=utf-8", b"404 not found", head)
    from ..serve import content_type
    kind = "application/wasm" if rel.endswith(".wasm") else content_type(rel)
    try:
        data = source.read_bytes()
    except OSError:
        return _send(handler, 404, "text/plain; charset=utf-8", b"404 not found", head)
    return _send(handler, 200, kind, data, head)


def post(handler: "_Handler") -> None:
    if handler.path.split("?", 1)[0] != API_PATH:
        return _send(handler, 405, "text/plain; charset=utf-8", b"405 method not allowed", False)
    host, port = handler.server.server_address[:2]
    why = backend.request_allowed(handler.headers, host, port)
    length = int(handler.headers.get("Content-Length") or 0)
    if why is None and length > backend.MAX_BODY:
        why = "the request is too large"
    if why is not None:
        return _send(handler, 403, "application/json", f'{{"error": "{why}"}}'.encode(), False)
    body = handler.rfile.read(length)
    config, _ = _config(handler)
    reply = backend.handle(handler.server.preview.site_dir, config, body)
    _send(handler, reply.status, reply.content_type, reply.body, False)


def _send(handler: "_Handler", status: int, kind: str, body: bytes, head: bool, location: str = "") -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Cache-Control", "no-store")
    handler.send_header("X-Content-Type-Options", "nosniff")
    if location:
        handler.send_header("Location", location)
    handler.end_headers()
    if not head:
        handler.wfile.write(body)
