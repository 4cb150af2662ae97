"""`humasgen ping`, run after a deploy: tell WebSub hubs and IndexNow what changed.

What changed is found by comparing the built output (manifest.json and the feed
files) with a snapshot saved by the last successful ping in .humasgen/ping.json,
or with a manifest given by --previous (e.g. the deployed one, saved before the
deploy). With neither, the first ping only records the snapshot and sends
nothing, unless --all: a new site does not flood the search engines by surprise.
A snapshot is saved only when every request succeeded, so a failed ping is
retried in full next time.
"""
from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from . import __version__
from .safety import fetch
from .cache import CACHE_DIR, read_json, write_json
from .config import Config
from .errors import Diagnostic, HumasgenError

STATE = "ping.json"
MANIFEST = "manifest.json"
BATCH = 10_000                    # IndexNow accepts at most 10,000 URLs per request
ANSWER_LIMIT = 64 * 1024          # bytes of a hub's or IndexNow's answer read (the rest is left unread)
MANIFEST_LIMIT = 64 * 1024 * 1024 # bytes: a manifest of 10,000 releases is about 3 MB
FEED_PATTERNS = ("feed.xml", "atom.xml", "feed.json", "*/*/feed.xml", "*/*/atom.xml")
USER_AGENT = f"humasgen/{__version__} (+ping)"
INDEXNOW_ERRORS = {
    400: ("the request was rejected as malformed", "report this as a humasgen bug"),
    403: ("the key was not accepted", "deploy the site first so {key_url} is online and holds the key"),
    422: ("the URLs do not belong to the host, or the key does not match",
          "check base_url in humasgen.toml against the deployed site"),
    429: ("too many requests", "wait a while before pinging again"),
}


def key_file(config: Config) -> dict[str, bytes]:
    """The IndexNow key file at the site root ({key}.txt holding the key), when a key is set."""
    key = config.feeds.indexnow_key
    return {f"{key}.txt": key.encode("ascii")} if key else {}


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a deployed build published, as far as pinging cares."""
    base_url: str
    releases: Mapping[str, tuple[str, str]]      # release id -> (absolute URL, content hash)
    feeds: Mapping[str, str] | None              # output path -> sha256; None: unknown (a bare manifest)

    def to_json(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "releases": {k: list(v) for k, v in self.releases.items()},
                "feeds": dict(self.feeds or {})}


@dataclass(frozen=True, slots=True)
class Plan:
    feeds: tuple[str, ...]       # feed URLs to announce to the hub
    urls: tuple[str, ...]        # new, updated and removed release URLs for IndexNow
    first_run: bool = False      # no baseline: nothing is sent


@dataclass(frozen=True, slots=True)
class Sent:
    service: str                 # "WebSub" or "IndexNow"
    endpoint: str
    count: int                   # feeds or URLs in this request
    status: int


@dataclass(frozen=True, slots=True)
class Report:
    plan: Plan
    sent: tuple[Sent, ...]
    dry_run: bool


def from_manifest(data: Any, source: str, feeds: Mapping[str, str] | None = None) -> Snapshot:
    """A snapshot from the JSON of a manifest.json (only id, url and hash of each release are used)."""
    try:
        # 'preview' entries were shown only by --drafts/--future: not published, nothing to announce.
        releases = {str(r["id"]): (str(r["url"]), str(r.get("hash", ""))) for r in data["releases"]
                    if not r.get("preview")}
        return Snapshot(str(data.get("base_url", "")), releases, feeds)
    except (TypeError, KeyError, AttributeError):
        raise HumasgenError.single(source, None, "not a humasgen manifest.json",
                                   "pass the manifest.json of a humasgen build") from None


def current(output_dir: Path) -> Snapshot:
    manifest = output_dir / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HumasgenError.single(str(manifest), None, "no built site to ping",
                                   "run `humasgen build` (and deploy) first") from None
    except (OSError, ValueError) as exc:
        raise HumasgenError.single(str(manifest), None, f"cannot read the manifest: {exc}",
                                   "rebuild the site") from None
    if isinstance(data, dict) and data.get("pending"):
        raise HumasgenError.single(str(manifest), None, "the last build did not record its manifest "
                                   "(its announcements failed)", "fix the hook problem and run `humasgen build` again")
    feeds = {}
    for pattern in FEED_PATTERNS:
        for path in output_dir.glob(pattern):
            feeds[path.relative_to(output_dir).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return from_manifest(data, str(manifest), dict(sorted(feeds.items())))


def previous(site_dir: Path, source: str | None, timeout: int) -> Snapshot | None:
    """The baseline: --previous (path or URL of a manifest.json), else the last ping's snapshot."""
    if source:
        if urllib.parse.urlsplit(source).scheme in ("http", "https"):
            body = _fetch(source, timeout)
        else:
            try:
                body = Path(source).read_bytes()
            except OSError as exc:
                raise HumasgenError.single(source, None, f"cannot read the previous manifest: {exc.strerror}",
                                           "give the path or URL of a manifest.json") from None
        try:
            return from_manifest(json.loads(body), source)
        except ValueError:
            raise HumasgenError.single(source, None, "the previous manifest is not valid JSON",
                                       "give the path or URL of a manifest.json") from None
    state = read_json(site_dir / CACHE_DIR / STATE)
    if not isinstance(state, dict):
        return None
    feeds = state.get("feeds")
    releases = state.get("releases")
    if not isinstance(releases, dict) or not isinstance(feeds, dict):
        return None
    return Snapshot(str(state.get("base_url", "")), {k: (v[0], v[1]) for k, v in releases.items()}, feeds)


def changes(now: Snapshot, before: Snapshot | None, everything: bool = False) -> Plan:
    """Feeds whose bytes changed and release URLs that are new, updated or gone."""
    base = now.base_url
    feed_urls = {path: f"{base}/{path}" for path in (now.feeds or {})}
    if everything:
        urls = sorted(url for url, _ in now.releases.values())
        return Plan(tuple(sorted(feed_urls.values())), tuple(urls))
    if before is None:
        return Plan((), (), first_run=True)
    urls: set[str] = set()
    for release_id, (url, digest) in now.releases.items():
        old = before.releases.get(release_id)
        if old is None or old[1] != digest or old[0] != url:
            urls.add(url)
        if old is not None and old[0] != url:
            urls.add(old[0])                              # the old address now answers 404
    urls.update(url for rid, (url, _) in before.releases.items() if rid not in now.releases)
    host = urllib.parse.urlsplit(base).hostname
    urls = {url for url in urls if urllib.parse.urlsplit(url).hostname == host}   # IndexNow refuses other hosts
    if before.feeds is None or before.base_url != base:   # unknown feed bytes: any change touches them all
        feeds = sorted(feed_urls.values()) if urls or before.base_url != base else []
    else:
        feeds = sorted(feed_urls[p] for p, digest in (now.feeds or {}).items() if before.feeds.get(p) != digest)
    return Plan(tuple(feeds), tuple(sorted(urls)))


def run(config: Config, site_dir: Path, output_dir: Path, source: str | None = None,
        everything: bool = False, dry_run: bool = False) -> Report:
    feeds = config.feeds
    if not feeds.hub and not feeds.indexnow_key:
        raise HumasgenError.single("humasgen.toml", None, "nothing to ping: neither a WebSub hub nor an IndexNow key is set",
                                   'add [feeds] hub = "https://pubsubhubbub.appspot.com/" and/or indexnow_key = "..."')
    now = current(output_dir)
    if feeds.indexnow_key and not (output_dir / f"{feeds.indexnow_key}.txt").is_file():
        raise HumasgenError.single(str(output_dir), None, "the IndexNow key file is missing from the output",
                                   "run `humasgen build` again (the key changed since the last build) and deploy")
    before = previous(site_dir, source, feeds.timeout)
    plan = changes(now, before, everything)
    if not feeds.hub:
        plan = Plan((), plan.urls, plan.first_run)
    if not feeds.indexnow_key:
        plan = Plan(plan.feeds, (), plan.first_run)
    if dry_run:
        return Report(plan, (), True)
    sent: list[Sent] = []
    problems: list[Diagnostic] = []
    for feed in plan.feeds:
        _collect(sent, problems, lambda: publish(feeds.hub, feed, feeds.timeout))
    for start in range(0, len(plan.urls), BATCH):
        chunk = plan.urls[start:start + BATCH]
        _collect(sent, problems, lambda: submit(feeds.indexnow_endpoint, now.base_url, feeds.indexnow_key,
                                                chunk, feeds.timeout))
    if problems:
        raise HumasgenError(problems)
    write_json(site_dir / CACHE_DIR / STATE, now.to_json())
    return Report(plan, tuple(sent), False)


def _collect(sent: list[Sent], problems: list[Diagnostic], request) -> None:
    try:
        sent.append(request())
    except HumasgenError as error:
        problems.extend(error.diagnostics)


def publish(hub: str, topic: str, timeout: int) -> Sent:
    """WebSub: tell the hub that `topic` changed (hub.mode=publish); hubs answer 2xx, usually 204."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic}).encode("ascii")
    status, _ = _post(hub, body, "application/x-www-form-urlencoded", timeout, f"WebSub publish of {topic}")
    return Sent("WebSub", hub, 1, status)


def submit(endpoint: str, base_url: str, key: str, urls: tuple[str, ...] | list[str], timeout: int,
           batch: int = BATCH) -> Sent:
    """IndexNow: one POST of at most `batch` URLs, with the key and where the key file lives."""
    if len(urls) > batch:
        raise ValueError(f"at most {batch} URLs per IndexNow request")
    host = urllib.parse.urlsplit(base_url).hostname or ""
    key_url = f"{base_url}/{key}.txt"
    body = json.dumps({"host": host, "key": key, "keyLocation": key_url, "urlList": list(urls)}).encode("utf-8")
    what = f"IndexNow submission of {len(urls)} URL{'s' if len(urls) != 1 else ''}"
    status, _ = _post(endpoint, body, "application/json; charset=utf-8", timeout, what,
                      {k: (m, h.format(key_url=key_url)) for k, (m, h) in INDEXNOW_ERRORS.items()})
    return Sent("IndexNow", endpoint, len(urls), status)


def _post(url: str, body: bytes, content_type: str, timeout: int, what: str,
          known: Mapping[int, tuple[str, str]] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "User-Agent": USER_AGENT})
    try:
        return fetch.read(request, timeout, ANSWER_LIMIT, truncate=True)   # nobody reads the answer
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip()
        message, hint = (known or {}).get(exc.code, (exc.reason or "request failed", "check the URL and try again"))
        text = f"{what} failed: HTTP {exc.code}, {message}" + (f" ({detail})" if detail else "")
        raise HumasgenError.single(url, None, text, hint) from None
    except fetch.FetchLimit as exc:
        raise HumasgenError.single(url, None, f"{what} failed: {exc}",
                                   "try again later, or raise [feeds] timeout") from None
    except TimeoutError:
        raise HumasgenError.single(url, None, f"{what} failed: no answer within {timeout} s",
                                   "try again later, or raise [feeds] timeout") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise HumasgenError.single(url, None, f"{what} failed: no answer within {timeout} s",
                                       "try again later, or raise [feeds] timeout") from None
        raise HumasgenError.single(url, None, f"{what} failed: {reason}",
                                   "check the URL in humasgen.toml and the network connection") from None


def _fetch(url: str, timeout: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        return fetch.read(request, timeout, MANIFEST_LIMIT)[1]
    except urllib.error.HTTPError as exc:
        raise HumasgenError.single(url, None, f"cannot fetch the previous manifest: HTTP {exc.code}",
                                   "check the URL, or pass a saved manifest.json file") from None
    except (urllib.error.URLError, OSError) as exc:
        raise HumasgenError.single(url, None, f"cannot fetch the previous manifest: {getattr(exc, 'reason', exc)}",
                                   "check the URL, or pass a saved manifest.json file") from None
