"""The editor's local back end: the file API Decap CMS speaks to its proxy server, answered by `humasgen serve`.

Decap's `local_backend` posts JSON `{"action": ..., "params": ...}` to one URL
(decap-server's protocol). Here every path a request names must lie inside the
site's content/ or static/ folder: absolute paths, '..', backslashes and any symbolic
link on the way are refused, whatever the action. Files of content/ (releases, and the
items of the content types in their folders) are saved in humasgen's own form (keys in
their schema's order, empty keys left out) and only when humasgen can read them; uploaded
photos are shrunk and cleaned (photos.py); the preview's file watcher then shows the change.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

import yaml

from .. import content
from ..config import Config
from ..types.load import module_for, parse_file
from . import photos

WRITABLE = ("content", "static")
MAX_BODY = 200 * 1024 * 1024        # bytes of one request (uploads come base64-encoded)


class Refused(Exception):
    """A request the back end will not carry out; `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"


def site_file(site_dir: Path, raw: Any) -> Path:
    """The file a request names, below content/ or static/; Refused if it could be anywhere else."""
    if not isinstance(raw, str) or not raw:
        raise Refused("a path is required")
    if "\x00" in raw or "\\" in raw or raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise Refused(f"'{raw}': only paths relative to the site are accepted", 403)
    parts = raw.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise Refused(f"'{raw}': '.', '..' and empty parts are not accepted", 403)
    if parts[0] not in WRITABLE:
        raise Refused(f"'{raw}': the editor reads and writes only inside content/ and static/", 403)
    path = site_dir
    for part in parts:
        path = path / part
        if path.is_symlink():
            raise Refused(f"'{raw}': symbolic links are not followed", 403)
    return path


def handle(site_dir: Path, config: Config, body: bytes) -> Reply:
    """Answer one POST of the protocol."""
    try:
        request = json.loads(body)
        if not isinstance(request, dict) or not isinstance(request.get("params", {}), dict):
            raise Refused("the request must be a JSON object with 'action' and 'params'")
        action, params = request.get("action"), request.get("params") or {}
        answer = ACTIONS.get(action)
        if answer is None:
            raise Refused(f"unknown action {action!r}", 422)
        return Reply(200, json.dumps(answer(site_dir, config, params)).encode())
    except json.JSONDecodeError:
        return _error("the request is not JSON", 400)
    except Refused as exc:
        return _error(str(exc), exc.status)
    except OSError as exc:
        return _error(f"{exc.strerror or exc}", 500)


def _error(message: str, status: int) -> Reply:
    return Reply(status, json.dumps({"error": message}).encode())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(site_dir: Path, rel: str, label: Any = None) -> dict:
    path = site_file(site_dir, rel)
    try:
        data = path.read_bytes()
    except OSError:
        return {"data": None, "file": {"path": rel, "label": label, "id": None}}
    return {"data": data.decode("utf-8", "replace"), "file": {"path": rel, "label": label, "id": _sha(data)}}


def _listing(site_dir: Path, folder: Any, extension: str, depth: int) -> list[str]:
    root = site_file(site_dir, str(folder).strip("/"))
    found: list[str] = []

    def walk(directory: Path, rel: str, left: int) -> None:
        if left <= 0 or not directory.is_dir() or directory.is_symlink():
            return
        for item in sorted(directory.iterdir()):
            if item.name.startswith(".") or item.is_symlink():
                continue
            if item.is_dir():
                walk(item, f"{rel}/{item.name}", left - 1)
            elif item.name.endswith(extension):
                found.append(f"{rel}/{item.name}")

    walk(root, str(folder).strip("/"), int(depth or 1))
    return found


def _media(site_dir: Path, rel: str) -> dict:
    data = site_file(site_dir, rel).read_bytes()
    return {"id": _sha(data), "content": base64.b64encode(data).decode(), "encoding": "base64",
            "path": rel, "name": rel.rsplit("/", 1)[-1]}


def _write(site_dir: Path, rel: str, data: bytes) -> None:
    path = site_file(site_dir, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    site_file(site_dir, rel)        # again: no symbolic link made meanwhile on the way
    tmp = path.with_name(f".{path.name}.humasgen-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _delete(site_dir: Path, rel: str) -> None:
    site_file(site_dir, rel).unlink(missing_ok=True)


# -- content files in humasgen's own form ------------------------------------------------------

def canonical_release(text: str, keys: tuple[str, ...] = content.KEYS) -> str:
    """A content file as humasgen writes it: front-matter keys in `keys` order (a release's, or a
    content type's), no empty keys."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        return text
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=content._Loader) or {}
    except yaml.YAMLError:
        return text                 # left for the check to report with its line
    if not isinstance(meta, dict):
        return text
    ordered = {key: meta[key] for key in keys if key in meta}
    ordered.update((key, value) for key, value in meta.items() if key not in ordered)   # reported by the check
    kept = {key: _plain(value) for key, value in ordered.items()}
    kept = {key: value for key, value in kept.items() if not _empty(value) or key in ("title", "date")}
    kept = {key: value for key, value in kept.items() if key == "draft" or value is not _UNSET_FLAGS.get(key)}
    front = yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    body = "\n".join(lines[end + 1:]).strip("\n")
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"


# Switches the form always sends: left out at their default, as a writer would (draft stays, to be seen).
_UNSET_FLAGS = {f.name: f.default for f in fields(content.Release) if isinstance(f.default, bool)}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        inner = {k: _plain(v) for k, v in value.items()}
        return {k: v for k, v in inner.items() if not _empty(v)}
    if isinstance(value, list):     # a row the officer left untouched (only switches at off) is no row
        return [item for item in (_plain(v) for v in value)
                if not _empty(item) and not (isinstance(item, dict) and all(v is False for v in item.values()))]
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _content_bytes(site_dir: Path, config: Config, rel: str, raw: str) -> bytes:
    """The bytes to save for a file of content/ (a release, or an item of the content type whose
    folder it is in), or Refused with humasgen's diagnostics."""
    settings = content.Settings(config.timezone, config.language, config.permalink)
    module = module_for(rel)
    if module is None:
        data = canonical_release(raw).encode("utf-8")
        release_id = rel.removeprefix(f"{content.CONTENT_DIR}/").removesuffix(".md")
        _, problems = content.parse(rel, release_id, data, settings)
    else:
        data = canonical_release(raw, tuple(k.name for k in module.KEYS)).encode("utf-8")
        _, problems = parse_file(rel, data, settings)
    if problems:
        raise Refused("; ".join(p.format() for p in problems), 422)
    return data


# -- the actions -------------------------------------------------------------------------------

def _info(site_dir: Path, config: Config, params: Mapping) -> dict:
    return {"repo": site_dir.resolve().name, "publish_modes": ["simple"], "type": "local_fs"}


def _entries_by_folder(site_dir: Path, config: Config, params: Mapping) -> list:
    files = _listing(site_dir, params.get("folder"), str(params.get("extension") or ""), params.get("depth") or 1)
    return [_entry(site_dir, rel) for rel in files]


def _entries_by_files(site_dir: Path, config: Config, params: Mapping) -> list:
    return [_entry(site_dir, f.get("path"), f.get("label")) for f in params.get("files") or ()]


def _get_entry(site_dir: Path, config: Config, params: Mapping) -> dict:
    return _entry(site_dir, params.get("path"))


def _persist_entry(site_dir: Path, config: Config, params: Mapping) -> dict:
    data_files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
    planned: list[tuple[str, bytes]] = []
    for item in params.get("assets") or ():
        planned.append((item.get("path"), _upload(site_dir, config, item)))
    moves = []
    for item in data_files:
        rel, raw = item.get("path"), item.get("raw")
        site_file(site_dir, rel)
        if not isinstance(raw, str):
            raise Refused(f"'{rel}': no file content")
        target = item.get("newPath") or rel
        is_content = target.startswith(f"{content.CONTENT_DIR}/") and target.endswith(".md")
        if item.get("newPath"):
            site_file(site_dir, target)
            moves.append(rel)
        planned.append((target, _content_bytes(site_dir, config, target, raw) if is_content else raw.encode()))
    for rel, data in planned:           # everything checked first: nothing half-written on a refusal
        _write(site_dir, rel, data)
    for rel in moves:
        _delete(site_dir, rel)
    return {"message": "entry persisted"}


def _get_media(site_dir: Path, config: Config, params: Mapping) -> list:
    return [_media(site_dir, rel) for rel in _listing(site_dir, params.get("mediaFolder"), "", 1)]


def _get_media_file(site_dir: Path, config: Config, params: Mapping) -> dict:
    return _media(site_dir, params.get("path"))


def _upload(site_dir: Path, config: Config, asset: Mapping) -> bytes:
    """An uploaded file's bytes as kept in static/ (a photo shrunk, upright, without GPS: photos.py)."""
    rel = asset.get("path")
    site_file(site_dir, rel)
    if asset.get("encoding") != "base64":
        raise Refused(f"'{rel}': unsupported encoding {asset.get('encoding')!r}")
    try:
        data = base64.b64decode(asset.get("content") or "")
    except ValueError:
        raise Refused(f"'{rel}': the content is not valid base64") from None
    try:
        return photos.prepared(rel, data, config)
    except photos.TooLarge as exc:
        raise Refused(str(exc), 422) from None


def _persist_media(site_dir: Path, config: Config, params: Mapping) -> dict:
    asset = params.get("asset") or {}
    data = _upload(site_dir, config, asset)
    _write(site_dir, asset["path"], data)
    return _media(site_dir, asset["path"])


def _delete_file(site_dir: Path, config: Config, params: Mapping) -> dict:
    _delete(site_dir, params.get("path"))
    return {"message": f"deleted file {params.get('path')}"}


def _delete_files(site_dir: Path, config: Config, params: Mapping) -> dict:
    paths = list(params.get("paths") or ())
    for rel in paths:
        site_file(site_dir, rel)
    for rel in paths:
        _delete(site_dir, rel)
    return {"message": f"deleted files {', '.join(paths)}"}


def _deploy_preview(site_dir: Path, config: Config, params: Mapping) -> None:
    return None


ACTIONS = {
    "info": _info,
    "entriesByFolder": _entries_by_folder,
    "entriesByFiles": _entries_by_files,
    "getEntry": _get_entry,
    "persistEntry": _persist_entry,
    "getMedia": _get_media,
    "getMediaFile": _get_media_file,
    "persistMedia": _persist_media,
    "deleteFile": _delete_file,
    "deleteFiles": _delete_files,
    "getDeployPreview": _deploy_preview,
}


def request_allowed(headers: Mapping[str, str], server_host: str, port: int) -> str | None:
    """Why a request to the back end must be refused (None: allowed).

    Writes are served only when `serve` listens on a loopback address; the Host header
    must name it (no DNS rebinding) and a browser's Origin must be the preview itself
    (no other web page may post here); the JSON content type forces a CORS pre-flight.
    """
    from ..serve import is_loopback
    if not is_loopback(server_host):
        return "the editor's local back end works only when humasgen serve listens on 127.0.0.1"
    host = (headers.get("Host") or "").rsplit(":", 1)
    if len(host) != 2 or host[1] != str(port) or not is_loopback(host[0].strip("[]")):
        return "wrong Host header"
    origin = headers.get("Origin")
    if origin is not None and origin not in (f"http://{h}:{port}" for h in ("127.0.0.1", "localhost", "[::1]")):
        return "requests from other web pages are refused"
    if not (headers.get("Content-Type") or "").startswith("application/json"):
        return "the request must be JSON (Content-Type: application/json)"
    return None
