"""output/manifest.json: what this build published, for the next build to diff against."""
from __future__ import annotations

import json

from .site import Site

FILENAME = "manifest.json"
VERSION = 1


def dumps(site: Site) -> bytes:
    data = {
        "version": VERSION,
        "base_url": site.config.base_url,
        "next_scheduled": site.next_scheduled.isoformat() if site.next_scheduled else None,
        "releases": [
            {"id": r.id, "url": site.config.url(r.url), "title": r.title, "date": r.date.isoformat(),
             "updated": r.updated.isoformat() if r.updated else None, "hash": r.content_hash}
            for r in site.releases
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
