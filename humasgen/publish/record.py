"""output/publish.json: what has been posted where, published with the site.

For each channel: `since` (when the channel first ran: older releases are not
posted) and, per release, a Delivery: pending, sending, posted (post id and
public URL), failed (attempts, last error) or unknown (an attempt was cut off on
a channel where humasgen cannot look, see runner). Only public facts are kept:
post URLs, ids, times, error messages (never a token).

How it survives a fresh CI clone: `humasgen build` carries the previous record
into the new output (from output/ or next to the --previous manifest, see
`carried`), `humasgen publish` updates it in output/ after every post, and the CI
deploys output/ again after publishing. The next run reads it back.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import urlsplit, urlunsplit

from ..errors import HumasgenError

FILENAME = "publish.json"
VERSION = 1
FETCH_TIMEOUT = 20
STATUSES = ("pending", "sending", "posted", "failed", "unknown")
_RANK = {"posted": 4, "unknown": 3, "sending": 2, "failed": 1, "pending": 0}


@dataclass(frozen=True, slots=True)
class Delivery:
    status: str = "pending"
    post_id: str = ""
    url: str = ""
    hash: str = ""              # content hash of the release that was posted
    at: str = ""                # when it was posted (ISO 8601)
    attempts: int = 0
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        data = {"status": self.status, "post_id": self.post_id, "url": self.url, "hash": self.hash,
                "at": self.at, "attempts": self.attempts, "error": self.error}
        return {k: v for k, v in data.items() if v or k == "status"}


@dataclass(frozen=True, slots=True)
class ChannelRecord:
    since: str = ""
    releases: Mapping[str, Delivery] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Record:
    channels: Mapping[str, ChannelRecord] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, channel: str, release_id: str) -> Delivery | None:
        found = self.channels.get(channel)
        return found.releases.get(release_id) if found else None

    def since(self, channel: str) -> str:
        found = self.channels.get(channel)
        return found.since if found else ""

    def with_since(self, channel: str, since: str) -> "Record":
        current = self.channels.get(channel, ChannelRecord())
        return Record(MappingProxyType({**self.channels, channel: replace(current, since=since)}))

    def with_delivery(self, channel: str, release_id: str, delivery: Delivery) -> "Record":
        current = self.channels.get(channel, ChannelRecord())
        releases = MappingProxyType({**current.releases, release_id: delivery})
        return Record(MappingProxyType({**self.channels, channel: replace(current, releases=releases)}))

    def dumps(self) -> bytes:
        data = {"version": VERSION, "channels": {
            name: {"since": ch.since, "releases": {rid: d.to_json() for rid, d in sorted(ch.releases.items())}}
            for name, ch in sorted(self.channels.items())}}
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def parse(data: bytes, source: str) -> Record:
    try:
        doc = json.loads(data.decode("utf-8"))
        channels = {}
        for name, ch in doc["channels"].items():
            releases = {str(rid): Delivery(**{k: v for k, v in d.items() if k in Delivery.__slots__})
                        for rid, d in ch.get("releases", {}).items()}
            channels[str(name)] = ChannelRecord(str(ch.get("since", "")), MappingProxyType(releases))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise HumasgenError.single(source, None, f"the delivery record is not readable: {exc}",
                                   "it is written by `humasgen publish`; restore the deployed publish.json") from None
    return Record(MappingProxyType(channels))


def merge(*records: Record | None) -> Record:
    """The union of several copies: for each (channel, release) the furthest state wins, earliest `since`."""
    result = Record()
    for record in records:
        if record is None:
            continue
        for name, ch in record.channels.items():
            since = min(filter(None, (result.since(name), ch.since)), default="")
            result = result.with_since(name, since)
            for rid, delivery in ch.releases.items():
                old = result.get(name, rid)
                if old is None or _better(delivery, old):
                    result = result.with_delivery(name, rid, delivery)
    return result


def _better(new: Delivery, old: Delivery) -> bool:
    if new.status == "posted" and old.status == "posted":
        return new.at > old.at                       # a republished post is the newer one
    if _RANK[new.status] != _RANK[old.status]:
        return _RANK[new.status] > _RANK[old.status]
    return new.attempts > old.attempts


def sibling_url(manifest_url: str, name: str = FILENAME) -> str:
    """The URL of `name` in the folder of a manifest URL (https://x/manifest.json -> https://x/publish.json)."""
    parts = urlsplit(manifest_url)
    path = parts.path if not parts.path.endswith("/") else parts.path + "manifest.json"
    folder = path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{folder}/{name}", "", ""))


def read_local(output_dir: Path) -> Record | None:
    path = output_dir / FILENAME
    return parse(path.read_bytes(), str(path)) if path.is_file() else None


def read_previous(option: str | None) -> Record | None:
    """The record next to a --previous manifest (a URL, a folder or a manifest path); None when there is none yet."""
    if not option:
        return None
    if option.startswith(("http://", "https://")):
        url = sibling_url(option)
        # A query string of its own: a CDN that caches the file for minutes must not hand back an old record.
        request = urllib.request.Request(f"{url}?t={int(time.time())}",
                                         headers={"User-Agent": "humasgen", "Cache-Control": "no-cache"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
                return parse(response.read(), url)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise HumasgenError.single(url, None, f"cannot fetch the delivery record: HTTP {exc.code}",
                                       "check that the site is reachable; nothing was posted") from None
        except (urllib.error.URLError, OSError) as exc:
            raise HumasgenError.single(url, None, f"cannot fetch the delivery record: {getattr(exc, 'reason', exc)}",
                                       f"check the URL and the network (timeout {FETCH_TIMEOUT} s)") from None
    path = Path(option)
    path = path / FILENAME if path.is_dir() else path.parent / FILENAME
    return parse(path.read_bytes(), str(path)) if path.is_file() else None


def carried(option: str | None, output_dir: Path, cache_dir: Path | None = None) -> bytes | None:
    """What a build puts in the new output: the previous record(s), merged; None when there is none.

    The copy in .humasgen/ (kept by CI caches) covers a deploy that did not go
    out after the last publish (GitLab deploys once per pipeline).
    """
    found = merge(read_previous(option), read_local(output_dir), read_local(cache_dir) if cache_dir else None)
    return found.dumps() if found.channels else None


def write(output_dir: Path, record: Record) -> None:
    """Atomic rename inside the folder (a crash leaves the old record or the new one)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output_dir, prefix=".publish-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(record.dumps())
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, output_dir / FILENAME)
