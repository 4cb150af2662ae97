"""output/manifest.json: what this build published, for the next build to diff against.

The manifest is also the record of what has been announced. A build swaps in
its new output with the *previous* manifest still in place (or a `pending`
stand-in when there was none), announces, and only then writes the new
manifest (`record`). A crash between the swap and the record leaves the old
manifest, so the next build announces the same releases again: at least once,
never lost. Receivers get the release id to de-duplicate.
"""
from __future__ import annotations

import json

import orjson
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping
from urllib.parse import urlsplit

from .content import Release
from .errors import HumasgenError
from .site import Site, is_published

FILENAME = "manifest.json"
VERSION = 1
FETCH_TIMEOUT = 20          # seconds in all for --previous URL
FETCH_LIMIT = 64 * 1024 * 1024   # bytes: a manifest of 10,000 releases is about 3 MB
PENDING = (json.dumps({"pending": True, "version": VERSION}, indent=1, sort_keys=True) + "\n").encode()


def dumps(site: Site, moved_from: Mapping[str, tuple[str, ...]] | None = None) -> bytes:
    """The manifest; `moved_from`: release URL -> its older site paths (see redirects.py), carried forward."""
    moved_from = moved_from or {}
    data = {
        "version": VERSION,
        "base_url": site.config.base_url,
        "next_scheduled": site.next_scheduled.isoformat() if site.next_scheduled else None,
        "releases": [_entry(r, site, moved_from.get(r.url, ())) for r in site.releases],
    }
    # orjson: the manifest of a 10,000-release site is written on every build
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def _entry(release: Release, site: Site, moved_from: tuple[str, ...]) -> dict:
    entry = {"id": release.id, "url": site.config.url(release.url), "title": release.title,
             "date": release.date.isoformat(), "updated": release.updated.isoformat() if release.updated else None,
             "hash": release.content_hash}
    if release.corrections:     # major ones are announced as corrections when their number grows
        entry["major_corrections"] = sum(c.major for c in release.corrections)
    # A release shown only because of --drafts or --future was not published: it stays "new".
    if not is_published(release, site.now):
        entry["preview"] = True
    if moved_from:
        entry["moved_from"] = list(moved_from)
    return entry


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    url: str
    title: str
    hash: str
    preview: bool = False
    moved_from: tuple[str, ...] = ()            # older site paths of the release, kept redirecting
    major_corrections: int = 0


@dataclass(frozen=True, slots=True)
class Manifest:
    source: str
    data: bytes                                 # as read, to keep in the output until the record
    releases: Mapping[str, Entry]               # id -> entry


@dataclass(frozen=True, slots=True)
class Changes:
    new: tuple[Release, ...] = ()
    updated: tuple[Release, ...] = ()
    removed: tuple[Entry, ...] = ()
    baseline: bool = False                      # False: no previous manifest, nothing to compare
    corrected: tuple[Release, ...] = ()         # updated with a new major correction


def parse(data: bytes, source: str) -> Manifest | None:
    """A manifest's releases; None for the `pending` stand-in (no record yet)."""
    try:
        doc = orjson.loads(data)        # bytes as they are: no decoded copy of a 100,000-release manifest
    except orjson.JSONDecodeError as exc:
        raise HumasgenError.single(source, None, f"the previous manifest is not valid JSON: {exc}",
                                   "point --previous at a manifest.json written by humasgen") from None
    if isinstance(doc, dict) and doc.get("pending") is True:
        return None
    items = doc.get("releases") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        raise HumasgenError.single(source, None, "the previous manifest has no valid 'releases' list",
                                   "point --previous at a manifest.json written by humasgen")
    del doc
    entries: dict[str, Entry] = {}
    for n, i in enumerate(items):
        entries[i["id"]] = Entry(i["id"], str(i.get("url") or ""), str(i.get("title") or ""),
                                 str(i.get("hash") or ""), bool(i.get("preview")),
                                 tuple(str(p) for p in i.get("moved_from") or () if isinstance(p, str)),
                                 int(i.get("major_corrections") or 0))
        items[n] = None     # each release's parsed object goes as its entry comes (100,000 of them)
    return Manifest(source, data, MappingProxyType(entries))


def read_previous(option: str | None, output_dir: Path) -> Manifest | None:
    """The manifest to diff against: --previous (a path or an http(s) URL), else the output's own.

    A --previous that cannot be read is an error (a CI job must not silently
    announce nothing, or everything); a missing manifest in the output folder
    just means a first build.
    """
    if option:
        if option.startswith(("http://", "https://")):
            return parse(_fetch(option), option)
        path = Path(option)
        if path.is_dir():
            path = path / FILENAME
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise HumasgenError.single(option, None, f"cannot read the previous manifest: {exc.strerror}",
                                       "give the path of a manifest.json, or its URL") from None
        return parse(data, option)
    path = output_dir / FILENAME
    return parse(path.read_bytes(), str(path)) if path.is_file() else None


def _fetch(url: str) -> bytes:
    from .safety import fetch
    request = urllib.request.Request(url, headers={"User-Agent": "humasgen", "Accept": "application/json"})
    try:
        return fetch.read(request, FETCH_TIMEOUT, FETCH_LIMIT)[1]
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise HumasgenError.single(url, None, "the previous manifest was not found (HTTP 404)",
                                       "deploy once without --previous (add --announce-all to announce "
                                       "everything), or fix the URL") from None
        raise HumasgenError.single(url, None, f"cannot fetch the previous manifest: HTTP {exc.code}",
                                   "check the URL and that the site is reachable") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise HumasgenError.single(url, None, f"cannot fetch the previous manifest: {reason}",
                                   f"check the URL and the network (timeout {FETCH_TIMEOUT} s)") from None


def diff(previous: Manifest | None, site: Site, announce_all: bool = False) -> Changes:
    """New, updated and removed releases since the previous manifest.

    Only releases that are really public count (a --drafts or --future build
    announces nothing early). Without a previous manifest nothing is new,
    unless `announce_all`. A release is matched by id, else by URL (a file moved
    to another folder is not a new release). Imported releases (`imported: true`)
    were announced by the system they came from: never new, even with `announce_all`.
    """
    public = [r for r in site.releases if is_published(r, site.now)]
    if previous is None:
        return Changes(new=tuple(r for r in public if not r.imported) if announce_all else ())
    known = {e.id: e for e in previous.releases.values() if not e.preview}
    by_path: dict | None = None           # made when a release is not known by its id
    new, updated, corrected, seen = [], [], [], set()
    for release in public:
        entry = known.get(release.id)
        if entry is None:
            if by_path is None:
                by_path = {urlsplit(e.url).path: e for e in known.values() if e.url}
            entry = by_path.get(urlsplit(site.config.url(release.url)).path)
        if entry is None:
            if not release.imported:
                new.append(release)
            continue
        seen.add(entry.id)
        if entry.hash != release.content_hash:
            updated.append(release)
            if sum(c.major for c in release.corrections) > entry.major_corrections:
                corrected.append(release)
    current = {r.id for r in public}
    removed = tuple(e for e in sorted(known.values(), key=lambda e: e.id) if e.id not in seen and e.id not in current)
    return Changes(tuple(new), tuple(updated), removed, baseline=True, corrected=tuple(corrected))


def record(output_dir: Path, data: bytes) -> None:
    """Put the new manifest in place (atomic rename inside the output folder)."""
    fd, tmp = tempfile.mkstemp(dir=output_dir, prefix=".manifest-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, output_dir / FILENAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
