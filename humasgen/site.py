"""Releases + config + now -> Site: what is published, in what order, grouped how.

Every step here is linear (or n log n for sorting) in the number of releases:
related releases look only at a bounded window of each shared term.
"""
from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from .config import Config
from .content import Release, make_slug
from .errors import Diagnostic, HumasgenError
from .types.load import Types

if TYPE_CHECKING:
    from .embargo import Preview
    from .translations import Alternate
    from .types.pages import StaticPage

# taxonomy -> (release attribute, URL prefix)
TAXONOMIES: Mapping[str, str] = MappingProxyType({
    "category": "kategori",
    "tag": "tag",
    "unit": "unit",
    "author": "penulis",
})
ARCHIVE_URL = "/arsip/"     # the list of months, above each month's list
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
    related_signature: str = ""                         # what the related lists depend on
    preview: bool = False                               # serve: drafts marked, reload script
    types: Types = field(default_factory=Types)         # published pages, agenda, announcements... (humasgen/types)
    alternates: Mapping[str, tuple["Alternate", ...]] = field(default_factory=lambda: MappingProxyType({}))
    previews: tuple["Preview", ...] = ()                # embargoed releases before their time
    languages: tuple[Term, ...] = ()                    # releases per language other than the site's
    by_id: Mapping[str, Release] = field(default_factory=lambda: MappingProxyType({}))   # published, by id
    by_url: Mapping[str, Release] = field(default_factory=lambda: MappingProxyType({}))  # published, by URL

    @property
    def pages(self) -> tuple["StaticPage", ...]:
        return self.types.pages

    @property
    def menu(self) -> tuple["StaticPage", ...]:
        """The pages humasgen.toml's `menu` names, in its order."""
        by_slug = {p.slug: p for p in self.pages}
        return tuple(by_slug[s] for s in self.config.menu if s in by_slug)

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
            future: bool = False, preview: bool = False,
            known_related: Mapping[str, Mapping[str, list[str]]] | None = None,
            types: Types | None = None, embargo_secret: str = "") -> Site:
    """The site model. `known_related` ({signature: {id: [related ids]}}) is a previous build's
    "Baca juga" lists, reused when nothing they depend on changed (see related_signature)."""
    everything = tuple(releases)
    published = [r for r in everything if is_published(r, now, drafts, future)]
    published.sort(key=attrgetter("id"))                    # newest first, then by id: two stable sorts,
    published.sort(key=attrgetter("date"), reverse=True)    # no per-release key tuples (serve re-sorts often)
    by_url = {r.url: r for r in published}
    if len(by_url) != len(published):
        raise HumasgenError(url_collisions(published))
    upcoming = [r.date for r in everything if not r.draft and r.date > now]
    taxonomies = {name: _taxonomy(name, prefix, published) for name, prefix in TAXONOMIES.items()}
    neighbours = dict(zip((r.id for r in published), zip([None, *published[:-1]], [*published[1:], None])))
    # The signature keys the related lists kept between builds; a preview update without them
    # (every save after the first) does not pay for hashing the whole site.
    signature = related_signature(published, config.related) if known_related is not None or not preview else ""
    from . import embargo, translations
    shown = (types or Types()).published(now, drafts, future)
    return Site(
        config=config, now=now, releases=tuple(published),
        taxonomies=MappingProxyType(taxonomies),
        archives=_archives(published),
        related=_Related(published, taxonomies, config.related,
                         known_related.get(signature) if known_related else None),
        related_signature=signature,
        neighbours=MappingProxyType(neighbours),
        next_scheduled=min(upcoming) if upcoming else None,
        preview=preview,
        types=shown,
        alternates=translations.alternates((*published, *shown.pages), config.language),
        previews=embargo.previews(everything, now, embargo_secret) if embargo_secret and not future else (),
        languages=_languages(published, config.language),
        by_id=MappingProxyType({r.id: r for r in published}),
        by_url=MappingProxyType(by_url),
    )


class _Stale(Exception):
    """A change names a release the model does not hold where it should: make the model anew."""


def revise(previous: Site, changes: Iterable[tuple[Release | None, Release | None]], now: datetime) -> Site | None:
    """The model after `changes` ((release before, release after) per changed file, None for none),
    made from `previous` by moving just what the changed releases touch: their place in the
    order, their terms, months, languages, neighbours and related lists. The preview's path:
    a save costs what it changed, not a walk over the archive. The result equals what
    collect() makes from all releases (tests hold them equal). For a model of every release
    (drafts and future ones shown, no embargo previews); None when it cannot (then collect())."""
    if previous.previews:
        return None
    changes = [(old, new) for old, new in changes if old is not None or new is not None]
    olds = [old for old, _ in changes if old is not None]
    news = [new for _, new in changes if new is not None]
    try:
        return _revised(previous, olds, news, now)
    except _Stale:
        return None


def _revised(previous: Site, olds: list[Release], news: list[Release], now: datetime) -> Site:
    published = _splice(previous.releases, olds, news)
    by_id, by_url = _copy(previous.by_id), _copy(previous.by_url)
    for old in olds:
        if by_id.pop(old.id, None) is None or by_url.pop(old.url, None) is None:
            raise _Stale(old.id)
    for new in news:
        if by_url.setdefault(new.url, new) is not new:
            raise HumasgenError(url_collisions(published))
        by_id[new.id] = new
    moved = olds + news
    taxonomies = dict(previous.taxonomies)
    touched: set[tuple[str, str]] = set()
    for name, prefix in TAXONOMIES.items():
        slugs = {term_slug(value) for release in moved for value in terms_of(release, name)}
        if slugs:
            touched.update((name, slug) for slug in slugs)
            taxonomies[name] = _revise_taxonomy(previous.taxonomies[name], prefix, slugs, olds, news)
    before = {old.id: _place(previous.releases, old) for old in olds}
    after = {new.id: _place(published, new) for new in news}
    # Edits that keep every release in its place leave the order, and most related lists, as they were.
    shifted = None if before == after else range(min([*before.values(), *after.values()], default=0),
                                                 len(published))
    language = previous.config.language
    from . import translations
    return replace(
        previous, now=now, releases=tuple(published), taxonomies=MappingProxyType(taxonomies),
        archives=_revise_archives(previous.archives, olds, news),
        related=_Related.revised(previous.related, published, taxonomies, shifted, olds,
                                 _regrouped(olds, news) if shifted is None else touched),
        neighbours=MappingProxyType(_revise_neighbours(previous.neighbours, published, by_id, olds, news)),
        next_scheduled=_next_scheduled(published, now),
        alternates=translations.alternates((*published, *previous.types.pages), language)
        if any(r.translation_key for r in moved) else previous.alternates,
        languages=_revise_languages(previous.languages, language, olds, news),
        types=previous.types.published(now, drafts=True, future=True),    # events pass, announcements expire
        by_id=MappingProxyType(by_id), by_url=MappingProxyType(by_url))


def _copy(mapping: Mapping) -> dict:
    """A dict of a mapping: a mapping proxy's copy() copies the dict in C (dict(proxy) goes key by key)."""
    return mapping.copy() if isinstance(mapping, (dict, MappingProxyType)) else dict(mapping)


def _regrouped(olds: list[Release], news: list[Release]) -> set[tuple[str, str]]:
    """The terms of the related lists whose members changed when releases were edited in place
    (a title edit changes none: the lists around it stay as they were)."""
    after = {new.id: new for new in news}
    found: set[tuple[str, str]] = set()
    for old in olds:
        new = after[old.id]
        for taxonomy in RELATED_WEIGHTS:
            was = {term_slug(value) for value in terms_of(old, taxonomy)}
            now = {term_slug(value) for value in terms_of(new, taxonomy)}
            found.update((taxonomy, slug) for slug in (was | now if old.lang != new.lang else was ^ now))
    return found


def _before(one: Release, other: Release) -> bool:
    """`one` comes before `other` in a newest-first list (date descending, then id)."""
    return one.date > other.date or (one.date == other.date and one.id < other.id)


def _place(releases: Sequence[Release], release: Release) -> int:
    """Where `release` is, or would go, in a newest-first list: a binary search."""
    lo, hi = 0, len(releases)
    while lo < hi:
        mid = (lo + hi) // 2
        if _before(releases[mid], release):
            lo = mid + 1
        else:
            hi = mid
    return lo


def _splice(releases: Sequence[Release], removed: Iterable[Release], added: Iterable[Release]) -> list[Release]:
    """A newest-first list without `removed` (found by date and id) and with `added`, in order."""
    out = list(releases)
    for release in removed:
        at = _place(out, release)
        if at == len(out) or out[at].id != release.id:
            raise _Stale(release.id)
        del out[at]
    for release in added:
        out.insert(_place(out, release), release)
    return out


def _revise_taxonomy(taxonomy: Taxonomy, prefix: str, slugs: set[str], olds: list[Release],
                     news: list[Release]) -> Taxonomy:
    """The taxonomy with the terms named by `slugs` made again from their releases before and the change."""
    terms = {term.slug: term for term in taxonomy.terms}
    name = taxonomy.name
    for slug in slugs:
        def has(release: Release) -> bool:
            return any(term_slug(value) == slug for value in terms_of(release, name))
        term = terms.pop(slug, None)
        items = _splice(term.releases if term else (), filter(has, olds), filter(has, news))
        if items:       # the first release's spelling names the term, as in collect()
            written = next(value for value in terms_of(items[0], name) if term_slug(value) == slug)
            terms[slug] = Term(name, written, slug, f"/{prefix}/{slug}/", tuple(items))
    ordered = tuple(sorted(terms.values(), key=lambda t: (t.name.casefold(), t.slug)))
    return Taxonomy(name, taxonomy.url, ordered)


def _revise_archives(archives: tuple[Month, ...], olds: list[Release], news: list[Release]) -> tuple[Month, ...]:
    months = {(m.year, m.month): m for m in archives}
    for key in {(r.date.year, r.date.month) for r in (*olds, *news)}:
        def within(release: Release) -> bool:
            return (release.date.year, release.date.month) == key
        month = months.pop(key, None)
        items = _splice(month.releases if month else (), filter(within, olds), filter(within, news))
        if items:
            months[key] = Month(key[0], key[1], f"{ARCHIVE_URL}{key[0]:04d}/{key[1]:02d}/", tuple(items))
    return tuple(months[key] for key in sorted(months, reverse=True))


def _revise_languages(languages: tuple[Term, ...], site_language: str, olds: list[Release],
                      news: list[Release]) -> tuple[Term, ...]:
    terms = {term.slug: term for term in languages}
    for lang in {r.lang for r in (*olds, *news)} - {site_language}:
        def written_in(release: Release) -> bool:
            return release.lang == lang
        term = terms.pop(lang, None)
        items = _splice(term.releases if term else (), filter(written_in, olds), filter(written_in, news))
        if items:
            terms[lang] = Term("lang", LANGUAGE_NAMES.get(lang, lang), lang, f"/{lang}/", tuple(items))
    return tuple(terms[lang] for lang in sorted(terms))


def _revise_neighbours(neighbours: Mapping[str, tuple[Release | None, Release | None]], published: list[Release],
                       by_id: Mapping[str, Release], olds: list[Release], news: list[Release]
                       ) -> dict[str, tuple[Release | None, Release | None]]:
    """Each changed release's entry, and those of the releases beside it before and after."""
    out = _copy(neighbours)
    near: set[str] = set()
    for old in olds:
        near.update(r.id for r in out.pop(old.id, ()) if r is not None)
    for new in news:
        at = _place(published, new)
        near.update(r.id for r in published[max(0, at - 1): at + 2])
    for release_id in near:
        release = by_id.get(release_id)
        if release is not None:
            at = _place(published, release)
            out[release_id] = (published[at - 1] if at > 0 else None,
                               published[at + 1] if at + 1 < len(published) else None)
    return out


def _next_scheduled(published: list[Release], now: datetime) -> datetime | None:
    """The earliest date after `now` of a release that is no draft (the list is newest first)."""
    lo, hi = 0, len(published)
    while lo < hi:                      # the first release at or before now
        mid = (lo + hi) // 2
        if published[mid].date > now:
            lo = mid + 1
        else:
            hi = mid
    return next((r.date for r in reversed(published[:lo]) if not r.draft), None)


LANGUAGE_NAMES = MappingProxyType({"id": "Bahasa Indonesia", "en": "English"})


def _languages(releases: list[Release], site_language: str) -> tuple[Term, ...]:
    """A list (and feeds) per language besides the site's: /en/ for the English releases."""
    grouped: dict[str, list[Release]] = defaultdict(list)
    for release in releases:
        if release.lang != site_language:
            grouped[release.lang].append(release)
    return tuple(Term("lang", LANGUAGE_NAMES.get(lang, lang), lang, f"/{lang}/", tuple(items))
                 for lang, items in sorted(grouped.items()))


def in_language(releases: Iterable[Release], lang: str) -> tuple[Release, ...]:
    return tuple(r for r in releases if r.lang == lang)


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
    by_value: dict[str, list[Release]] = defaultdict(list)     # group by the written name first:
    if name == "tag":                                           # one slugify per distinct name, not per release
        for release in releases:
            for value in release.tags:
                by_value[value].append(release)
    else:
        for release in releases:
            value = getattr(release, name)
            if value:
                by_value[value].append(release)
    grouped: dict[str, list[Release]] = {}
    names: dict[str, str] = {}
    for value, items in by_value.items():                       # first-seen order: first name wins
        slug = term_slug(value)
        if slug in grouped:     # 'Banjir' and 'banjir': one term, releases back in site order
            order = {r.id: i for i, r in enumerate(releases)}
            grouped[slug] = sorted(grouped[slug] + items, key=lambda r: order[r.id])
        else:
            names[slug], grouped[slug] = value, items
    terms = tuple(sorted((Term(name, names[slug], slug, f"/{prefix}/{slug}/", tuple(items))
                          for slug, items in grouped.items()), key=lambda t: (t.name.casefold(), t.slug)))
    return Taxonomy(name, f"/{prefix}/", terms)


def _archives(releases: list[Release]) -> tuple[Month, ...]:
    grouped: dict[tuple[int, int], list[Release]] = defaultdict(list)
    for release in releases:
        grouped[(release.date.year, release.date.month)].append(release)
    return tuple(Month(y, m, f"{ARCHIVE_URL}{y:04d}/{m:02d}/", tuple(items))
                 for (y, m), items in sorted(grouped.items(), reverse=True))


def related_signature(published: list[Release], count: int) -> str:
    """Hash of all that "Baca juga" depends on: order, language, tags, unit, category (not titles or bodies)."""
    digest = hashlib.sha256(f"{count}:{RELATED_WINDOW}:{sorted(RELATED_WEIGHTS.items())}".encode())
    for r in published:
        digest.update(f"\n{r.id}\x1f{r.lang}\x1f{r.category}\x1f{r.unit}\x1f{chr(31).join(r.tags)}".encode())
    return digest.hexdigest()


class _Related(Mapping[str, tuple[Release, ...]]):
    """Release id -> "Baca juga", each computed on first use and then kept.

    A build asks for every release; `serve` renders one page at a time and must not
    pay for 10,000 releases after each save. Results are the same either way: up to
    `count` releases in the same language sharing the most tags/unit/category, nearest in time first. Each
    shared term contributes only its RELATED_WINDOW nearest releases, so the cost per
    release is bounded.
    """

    __slots__ = ("_releases", "_order", "_taxonomies", "_count", "_known", "_members", "_positions", "_done")

    def __init__(self, releases: list[Release], taxonomies: dict[str, Taxonomy], count: int,
                 known: Mapping[str, list[str]] | None = None) -> None:
        self._releases = releases
        self._order = {r.id: i for i, r in enumerate(releases)}
        self._taxonomies = taxonomies
        self._count = count
        self._known = dict(known) if known else {}     # our own: entries are dropped as used
        self._members: dict[tuple[str, str], list[int]] = {}
        self._positions: dict[tuple[str, str], dict[int, int]] = {}
        self._done: dict[str, tuple[Release, ...]] = {}

    @classmethod
    def revised(cls, previous: Mapping[str, tuple[Release, ...]], releases: list[Release],
                taxonomies: dict[str, Taxonomy], shifted: range | None, olds: list[Release],
                touched: set[tuple[str, str]]) -> "_Related":
        """The lists after a change (site.revise): positions in `shifted` moved (None: none did,
        and `touched` are the terms whose members changed). A list is kept when it cannot have
        changed: nothing moved, its release is in no touched term, and it names no changed
        release; the others are made again when asked."""
        if not isinstance(previous, _Related):
            raise _Stale("related")
        new = cls.__new__(cls)
        new._releases, new._taxonomies, new._count, new._known = releases, taxonomies, previous._count, {}
        if shifted is not None:
            order = dict(previous._order)
            for old in olds:
                order.pop(old.id, None)
            order.update(zip((releases[i].id for i in shifted), shifted))
            new._order, new._members, new._positions, new._done = order, {}, {}, {}
            return new
        changed = {old.id for old in olds}
        new._order = order = previous._order
        new._members = {key: value for key, value in previous._members.items() if key not in touched}
        new._positions = {key: value for key, value in previous._positions.items() if key not in touched}

        def kept(release_id: str, related: tuple[Release, ...]) -> bool:
            release = releases[order[release_id]]
            return release_id not in changed and not any(r.id in changed for r in related) and not any(
                (taxonomy, term_slug(value)) in touched
                for taxonomy in RELATED_WEIGHTS for value in terms_of(release, taxonomy))
        new._done = {key: value for key, value in previous._done.items() if kept(key, value)}
        return new

    def __getitem__(self, release_id: str) -> tuple[Release, ...]:
        found = self._done.get(release_id)
        if found is None:
            known = self._known.pop(release_id, None)     # kept in _done from now on: the text can go
            if known is not None and all(i in self._order for i in known):
                found = tuple(self._releases[self._order[i]] for i in known)
            else:
                found = self._compute(self._order[release_id])
            self._done[release_id] = found
        return found

    def __iter__(self):
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def _term(self, taxonomy: str, slug: str) -> tuple[list[int], dict[int, int]]:
        """A term's releases as site-order indices, and each index's place in the term (made once)."""
        key = (taxonomy, slug)
        if key not in self._members:
            for term in self._taxonomies[taxonomy].terms:
                indices = [self._order[r.id] for r in term.releases] if term.slug == slug else None
                if indices is not None:
                    self._members[key] = indices
                    self._positions[key] = {index: at for at, index in enumerate(indices)}
        return self._members[key], self._positions[key]

    def _compute(self, here: int) -> tuple[Release, ...]:
        if self._count <= 0:
            return ()
        release = self._releases[here]
        scores: Counter[int] = Counter()
        for taxonomy, weight in RELATED_WEIGHTS.items():
            for value in terms_of(release, taxonomy):
                items, position = self._term(taxonomy, term_slug(value))
                at = position[here]
                scores.update(items[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1] * weight)
        scores.pop(here, None)
        for other in [o for o in scores if self._releases[o].lang != release.lang]:
            del scores[other]       # a reader of one language is sent to releases in it (never to the translation)
        # Only releases scoring at least the count-th best score can make the list: rank just those.
        floor = min(heapq.nlargest(self._count, scores.values()), default=0)
        best = sorted((-score, abs(other - here), other) for other, score in scores.items() if score >= floor)
        return tuple(self._releases[other] for other in sorted(b[2] for b in best[:self._count]))
