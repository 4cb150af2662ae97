"""Releases + config + now -> Site: what is published, in what order, grouped how.

Every step here is linear (or n log n for sorting) in the number of releases:
related releases look only at a bounded window of each shared term.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from types import MappingProxyType
from typing import Iterable, Mapping

from .config import Config
from .content import Release, make_slug
from .errors import Diagnostic, HumasgenError

# taxonomy -> (release attribute, URL prefix)
TAXONOMIES: Mapping[str, str] = MappingProxyType({
    "category": "kategori",
    "tag": "tag",
    "unit": "unit",
    "author": "penulis",
})
RELATED_WEIGHTS = MappingProxyType({"tag": 3, "unit": 2, "category": 1})
RELATED_WINDOW = 24   # neighbours looked at in each shared term, on each side


@dataclass(frozen=True, slots=True)
class Term:
    taxonomy: str
    name: str
    slug: str
    url: str
    releases: tuple[Release, ...]    # newest first


@dataclass(frozen=True, slots=True)
class Taxonomy:
    name: str
    url: str
    terms: tuple[Term, ...]          # by name

    def term(self, name: str) -> Term | None:
        slug = term_slug(name)
        return next((t for t in self.terms if t.slug == slug), None)


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    url: str
    releases: tuple[Release, ...]


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    now: datetime
    releases: tuple[Release, ...]                       # published, newest first
    taxonomies: Mapping[str, Taxonomy]
    archives: tuple[Month, ...]                         # newest first
    related: Mapping[str, tuple[Release, ...]]          # release id -> "Baca juga"
    neighbours: Mapping[str, tuple[Release | None, Release | None]]  # id -> (newer, older)
    next_scheduled: datetime | None                     # earliest release still in the future
    preview: bool = False                               # serve: drafts marked, reload script

    def term_of(self, taxonomy: str, name: str) -> Term | None:
        return self.taxonomies[taxonomy].term(name) if name else None


@lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """Slugs of term names repeat across thousands of releases; slugify once each."""
    return make_slug(name)


def terms_of(release: Release, taxonomy: str) -> tuple[str, ...]:
    if taxonomy == "tag":
        return release.tags
    value = getattr(release, taxonomy)
    return (value,) if value else ()


def is_published(release: Release, now: datetime, drafts: bool = False, future: bool = False) -> bool:
    return (drafts or not release.draft) and (future or release.date <= now)


def collect(releases: Iterable[Release], config: Config, now: datetime, *, drafts: bool = False,
            future: bool = False, preview: bool = False) -> Site:
    everything = tuple(releases)
    published = sorted((r for r in everything if is_published(r, now, drafts, future)),
                       key=lambda r: (-r.date.timestamp(), r.id))
    _check_unique_urls(published)
    upcoming = [r.date for r in everything if not r.draft and r.date > now]
    taxonomies = {name: _taxonomy(name, prefix, published) for name, prefix in TAXONOMIES.items()}
    neighbours = {
        r.id: (published[i - 1] if i > 0 else None, published[i + 1] if i + 1 < len(published) else None)
        for i, r in enumerate(published)
    }
    return Site(
        config=config, now=now, releases=tuple(published),
        taxonomies=MappingProxyType(taxonomies),
        archives=_archives(published),
        related=MappingProxyType(_related(published, taxonomies, config.related)),
        neighbours=MappingProxyType(neighbours),
        next_scheduled=min(upcoming) if upcoming else None,
        preview=preview,
    )


def _check_unique_urls(releases: list[Release]) -> None:
    seen: dict[str, Release] = {}
    problems = []
    for release in sorted(releases, key=lambda r: r.source):
        other = seen.setdefault(release.url, release)
        if other is not release:
            problems.append(Diagnostic(
                release.source, release.lines.get("slug") or release.lines.get("title"),
                f"URL {release.url} is also used by {other.source}",
                "give one of them a different 'slug:'"))
    if problems:
        raise HumasgenError(problems)


def _taxonomy(name: str, prefix: str, releases: list[Release]) -> Taxonomy:
    grouped: dict[str, list[Release]] = defaultdict(list)
    names: dict[str, str] = {}
    for release in releases:
        for value in terms_of(release, name):
            slug = term_slug(value)
            names.setdefault(slug, value)
            grouped[slug].append(release)
    terms = tuple(sorted((Term(name, names[slug], slug, f"/{prefix}/{slug}/", tuple(items))
                          for slug, items in grouped.items()), key=lambda t: (t.name.casefold(), t.slug)))
    return Taxonomy(name, f"/{prefix}/", terms)


def _archives(releases: list[Release]) -> tuple[Month, ...]:
    grouped: dict[tuple[int, int], list[Release]] = defaultdict(list)
    for release in releases:
        grouped[(release.date.year, release.date.month)].append(release)
    return tuple(Month(y, m, f"/arsip/{y:04d}/{m:02d}/", tuple(items))
                 for (y, m), items in sorted(grouped.items(), reverse=True))


def _related(releases: list[Release], taxonomies: dict[str, Taxonomy], count: int) -> dict[str, tuple[Release, ...]]:
    """Up to `count` releases sharing the most tags/unit/category, nearest in time first."""
    if count <= 0:
        return {r.id: () for r in releases}
    position: dict[tuple[str, str], dict[str, int]] = {}
    members: dict[tuple[str, str], tuple[Release, ...]] = {}
    for taxonomy in RELATED_WEIGHTS:
        for term in taxonomies[taxonomy].terms:
            members[(taxonomy, term.slug)] = term.releases
            position[(taxonomy, term.slug)] = {r.id: i for i, r in enumerate(term.releases)}
    order = {r.id: i for i, r in enumerate(releases)}
    out = {}
    for release in releases:
        scores: dict[str, int] = defaultdict(int)
        by_id: dict[str, Release] = {}
        for taxonomy, weight in RELATED_WEIGHTS.items():
            for value in terms_of(release, taxonomy):
                key = (taxonomy, term_slug(value))
                items = members[key]
                at = position[key][release.id]
                for other in items[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1]:
                    if other.id != release.id:
                        scores[other.id] += weight
                        by_id[other.id] = other
        here = order[release.id]
        best = sorted(scores, key=lambda i: (-scores[i], abs(order[i] - here), i))[:count]
        out[release.id] = tuple(sorted((by_id[i] for i in best), key=lambda r: order[r.id]))
    return out
