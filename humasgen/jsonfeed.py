"""Site -> /feed.json, a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

Plain JSON, so no library: the same items as the RSS/Atom site feed, with the
same ids, full content and the same 2 MB cap.
"""
from __future__ import annotations

import json
import mimetypes
from functools import lru_cache
from typing import Any

from .config import Config
from .content import Release
from .feeds import MAX_BYTES, ImageInfo, content_html, creator, summary_html
from .links import absolute_url, clean, release_id_uri
from .site import Site, in_language

PATH = "feed.json"
VERSION = "https://jsonfeed.org/version/1.1"


def build(site: Site, images: ImageInfo) -> dict[str, bytes]:
    config = site.config
    # Like /feed.xml: the site language's releases when others have their own feeds (/en/feed.xml).
    releases = (in_language(site.releases, config.language) if site.languages else site.releases)[: config.feeds.items]
    items = [_item(r, config, images) for r in releases]
    data = _dumps(_feed(config, items))
    if len(data) > MAX_BYTES:                 # drop the oldest: estimate from item sizes, then check
        sizes = [len(_dumps(item)) for item in items]
        keep = len(items)
        while keep > 1 and len(data) - sum(sizes[keep:]) > MAX_BYTES:
            keep -= 1
        data = _dumps(_feed(config, items[:keep]))
        while len(data) > MAX_BYTES and keep > 1:
            keep -= 1
            data = _dumps(_feed(config, items[:keep]))
        if len(data) > MAX_BYTES:             # one release alone is too big: its summary and link only
            short = {**items[0], "content_html": summary_html(releases[0], config)}
            data = _dumps(_feed(config, [short]))
    return {PATH: data}


def _feed(config: Config, items: list[dict[str, Any]]) -> dict[str, Any]:
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": clean(config.title),
        "home_page_url": config.url("/"),
        "feed_url": config.url("/" + PATH),
        "description": clean(config.tagline or config.agency_name),
        "language": config.language,
        "authors": [{"name": clean(config.agency_name), "url": config.url("/")}],
    }
    if config.logo:
        feed["icon"] = absolute_url(config, config.logo)
        feed["favicon"] = absolute_url(config, config.logo)
    if config.feeds.hub:
        feed["hubs"] = [{"type": "WebSub", "url": config.feeds.hub}]
    feed["items"] = items
    return feed


def _item(release: Release, config: Config, images: ImageInfo) -> dict[str, Any]:
    image = images(release.image) if release.image else None
    item: dict[str, Any] = {
        "id": release_id_uri(config, release),
        "url": config.url(release.url),
        "title": clean(release.title),
        "content_html": content_html(release, config, image),
        "summary": clean(release.summary),
        "date_published": release.date.isoformat(),
        "date_modified": release.modified.isoformat(),
        "authors": [{"name": clean(creator(release, config))}],
        "language": release.lang,
    }
    if image is not None:
        item["image"] = image.url
    tags = [t for t in (release.category, *release.tags, release.unit) if t]
    if tags:
        item["tags"] = [clean(t) for t in dict.fromkeys(tags)]
    if release.attachments:
        item["attachments"] = [
            {"url": absolute_url(config, a.path), "title": clean(a.title),
             "mime_type": _mime(a.path), **({"size_in_bytes": a.size} if a.size else {})}
            for a in release.attachments
        ]
    return item


def _mime(path: str) -> str:
    kind, _ = _mime_table().guess_type(path)
    return kind or "application/octet-stream"


@lru_cache(maxsize=1)
def _mime_table() -> mimetypes.MimeTypes:
    """Python's built-in table only, not the machine's /etc/mime.types: same output everywhere."""
    return mimetypes.MimeTypes()


def _dumps(feed: dict[str, Any]) -> bytes:
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
