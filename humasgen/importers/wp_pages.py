"""WordPress pages (post_type `page`) -> the site's pages (content/halaman/SLUG.md, at /SLUG/).

humasgen's pages have one level of addresses (/{slug}/), WordPress nests them
(/profil/struktur-organisasi/). A nested page is flattened to its own slug, its old
address kept as an alias that the build redirects; when the slug is taken, the parent's
slug goes in front (/profil-sejarah/), then -2, -3. Pages are planned after the first pass
(a site has dozens of pages, not thousands): top-level pages first, so a page that had
/SLUG/ keeps it. Addresses the build gives its own pages (/kategori/, /arsip/...) are never
used by an imported page, and an old address that is now another page is not redirected.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..search import SEARCH_URL
from ..site import ARCHIVE_URL, TAXONOMIES
from ..types import pages as pages_type
from .writer import page_path

@dataclass(frozen=True, slots=True)
class PageSource:
    """What the first pass keeps of a WordPress page."""
    id: str
    slug: str                   # its own WordPress slug, made a valid humasgen slug
    parent: str                 # WordPress id of the parent page, '0' for none
    old: tuple[str, ...]        # its old addresses: permalink, /?page_id=ID
    draft: bool                 # draft, pending, private or password-protected
    quarantine: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PagePlan:
    path: str                   # page file, site-relative
    url: str
    slug: str
    draft: bool
    quarantine: tuple[str, ...]
    aliases: tuple[str, ...]    # old addresses the build redirects to `url`
    dropped: tuple[str, ...]    # old addresses now taken by another page or release of this site


def reserved() -> frozenset[str]:
    """Addresses of pages every build makes (home, taxonomy indexes, archive, search)."""
    return frozenset({"/", *(f"/{prefix}/" for prefix in TAXONOMIES.values()), ARCHIVE_URL, SEARCH_URL})


def old_paths(link: str, page_id: str, hosts: tuple[str, ...]) -> tuple[str, ...]:
    """The addresses a page had: its permalink (doubled slashes made single) and /?page_id=ID."""
    paths = []
    parts = urlsplit(link)
    if parts.path and (not parts.hostname or parts.hostname.lower() in hosts):
        segments = [p for p in parts.path.split("/") if p]
        path = "/" + "/".join(segments) + ("/" if segments and parts.path.endswith("/") else "")
        paths.append(path + (f"?{parts.query}" if parts.query else ""))
    if page_id.isdigit():
        paths.append(f"/?page_id={page_id}")
    return tuple(dict.fromkeys(paths))


def plan(sources: list[PageSource], taken: set[str]) -> dict[str, PagePlan]:
    """Each page's file, URL and aliases; `taken`: URLs of releases and their old addresses."""
    by_id = {s.id: s for s in sources}

    def depth(source: PageSource) -> int:
        seen = {source.id}
        while source.parent in by_id and source.parent not in seen:
            seen.add(source.parent)
            source = by_id[source.parent]
        return len(seen) - 1

    own = reserved()
    used = set(taken) | own
    chosen: dict[str, tuple[str, str]] = {}         # id -> (slug, url)
    for _, source in sorted(enumerate(sources), key=lambda pair: (depth(pair[1]), pair[0])):
        parent = by_id.get(source.parent)
        candidates = [source.slug] + ([f"{parent.slug}-{source.slug}"] if parent else [])
        slug = next((c for c in candidates if pages_type.url_of(c) not in used), "")
        number = 1
        while not slug:
            number += 1
            if pages_type.url_of(f"{source.slug}-{number}") not in used:
                slug = f"{source.slug}-{number}"
        used.add(pages_type.url_of(slug))
        chosen[source.id] = (slug, pages_type.url_of(slug))
    # An old address that is now a page, a release (or one of their old addresses) stays theirs.
    plans = {}
    for source in sources:
        slug, url = chosen[source.id]
        hidden = source.draft or bool(source.quarantine)
        olds = () if hidden else tuple(p for p in source.old if p != url)
        plans[source.id] = PagePlan(page_path(slug, bool(source.quarantine)), url, slug, hidden, source.quarantine,
                                    tuple(p for p in olds if p not in used), tuple(p for p in olds if p in used))
    return plans
