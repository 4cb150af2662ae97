"""`humasgen social SLUG`: write one release's snippets, images, video and carousel again, on demand.

For a correction after the release went out: it rewrites `social/<date>-<slug>/`
and nothing else (no hooks fire, output/ and the manifest are untouched).
Drafts and scheduled releases are found too, to prepare posts ahead.
"""
from __future__ import annotations

from datetime import datetime
from difflib import get_close_matches
from pathlib import Path

from ..cache import CACHE_DIR
from ..errors import Diagnostic, HumasgenError
from .plugin import write_release


def regenerate(site_dir: Path, key: str, now: datetime) -> tuple[str, list[Diagnostic]]:
    from ..build import load_site

    loaded = load_site(site_dir, now, drafts=True, future=True, cache_dir=site_dir / CACHE_DIR)
    releases = loaded.site.releases
    matches = [r for r in releases if key in (r.slug, r.id)]
    if not matches:
        close = get_close_matches(key, sorted({r.slug for r in releases}), n=1, cutoff=0.6)
        raise HumasgenError.single(key, None, "no release has this slug or id",
                                   f"did you mean '{close[0]}'?" if close
                                   else "use the slug from the release's URL or front matter")
    if len(matches) > 1:
        raise HumasgenError.single(key, None, "several releases have this slug: "
                                   + ", ".join(sorted(r.id for r in matches)), "give the id instead")
    release = matches[0]
    hook = loaded.plugins.hook if loaded.plugins else None
    return write_release(release, loaded.site, loaded.config, loaded.theme, loaded.static, site_dir,
                         site_dir / CACHE_DIR, hook, any_age=True)
