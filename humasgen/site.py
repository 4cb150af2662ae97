"""Releases + config + now -> Site: what is published, in what order, grouped how.

Every step here is linear (or n log n for sorting) in the number of releases:
related releases look only at a bounded window of each shared term.
"""
from __future__ import annotations

import heapq
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
RELATED_WINDOW = 12   # neighbours looked at in each shared term, on each side


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
    problems = url_collisions(releases)
    if problems:
        raise HumasgenError(problems)


def url_collisions(releases: Iterable[Release]) -> list[Diagnostic]:
    """Two releases published at one URL: each later file (by path) names the first."""
    seen: dict[str, Release] = {}
    problems = []
    for release in sorted(releases, key=lambda r: r.source):
        other = seen.setdefault(release.url, release)
        if other is not release:
            problems.append(Diagnostic(
                release.source, release.lines.get("slug") or release.lines.get("title"),
                f"URL {release.url} is also used by {other.source}",
                "give one of them a different 'slug:'"))
    return problems


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
    """Up to `count` releases sharing the most tags/unit/category, nearest in time first.

    Each shared term contributes only its RELATED_WINDOW nearest releases, so the
    cost per release is bounded and the whole step is linear.
    """
    if count <= 0:
        return {r.id: () for r in releases}
    order = {r.id: i for i, r in enumerate(releases)}
    members: dict[tuple[str, str], list[int]] = {}
    position: dict[tuple[str, str], dict[int, int]] = {}
    for taxonomy in RELATED_WEIGHTS:
        for term in taxonomies[taxonomy].terms:
            indices = [order[r.id] for r in term.releases]
            members[(taxonomy, term.slug)] = indices
            position[(taxonomy, term.slug)] = {index: at for at, index in enumerate(indices)}
    out = {}
    for here, release in enumerate(releases):
        scores: dict[int, int] = defaultdict(int)
        for taxonomy, weight in RELATED_WEIGHTS.items():
            for value in terms_of(release, taxonomy):
                key = (taxonomy, term_slug(value))
                items = members[key]
                at = position[key][here]
                for other in items[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1]:
                    scores[other] += weight
        scores.pop(here, None)
        best = heapq.nsmallest(count, ((-score, abs(other - here), other) for other, score in scores.items()))
        out[release.id] = tuple(releases[other] for other in sorted(b[2] for b in best))
    return out
