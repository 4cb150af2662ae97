"""Site -> sitemap.xml (or a sitemap index), the Google News sitemap, and robots.txt.

sitemap.xml lists every published page with its lastmod (from the releases on
it, never the clock). Past 50,000 URLs or 50 MB it becomes a sitemap index of
sitemap-1.xml, sitemap-2.xml, ... The news sitemap lists only the releases of
the two days before the build time, newest first, at most 1,000; with none it
is an empty <urlset>, which Google documents as fine (a Search Console notice,
not an error). Pages with translations are also in sitemap-translations.xml, with
their `xhtml:link` hreflang alternates; robots.txt names every sitemap.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import chain
from operator import attrgetter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterable, Sequence
from xml.sax.saxutils import escape

from .config import Config
from .content import Release
from .links import absolute_url, clean, iri_to_uri
from .site import Site

if TYPE_CHECKING:
    from .render import Page

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "sitemap-news.xml"
ROBOTS = "robots.txt"
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024        # sitemaps.org: 50 MB (52,428,800 bytes) uncompressed
NEWS_MAX = 1_000
NEWS_WINDOW = timedelta(days=2)

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
XHTML_NS = "http://www.w3.org/1999/xhtml"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
URLSET = f'<urlset xmlns="{NS}" xmlns:image="{IMAGE_NS}">\n'
TRANSLATIONS_SITEMAP = "sitemap-translations.xml"
TRANSLATIONS_URLSET = f'<urlset xmlns="{NS}" xmlns:xhtml="{XHTML_NS}">\n'
NEWS_URLSET = f'<urlset xmlns="{NS}" xmlns:news="{NEWS_NS}" xmlns:image="{IMAGE_NS}">\n'


@dataclass(frozen=True, slots=True)
class Entry:
    """One page of the sitemap: its site path, when it last changed, its images."""
    path: str
    lastmod: datetime | None = None
    images: tuple[str, ...] = ()
    alternates: tuple[tuple[str, str], ...] = ()   # (hreflang, site path) of its translations, itself too


def w3c(when: datetime) -> str:
    """W3C datetime with the UTC offset: 2026-11-19T09:00:00+08:00."""
    return when.isoformat(timespec="seconds")


def entries(site: Site, pages: Iterable["Page"]) -> list[Entry]:
    """A sitemap entry per page of the render plan (the 404 page has no URL and is left out)."""
    newest = {name: max(map(_MODIFIED, chain.from_iterable(t.releases for t in tax.terms)), default=None)
              for name, tax in site.taxonomies.items()}
    site_newest = max(map(_MODIFIED, site.releases), default=None)
    out = []
    for page in pages:
        if not page.url or page.kind == "preview":     # an embargo preview is secret until its time
            continue
        links = tuple((a.lang, a.url) for a in site.alternates.get(page.url, ()))
        if page.item is not None:
            out.append(Entry(page.url, page.item.modified, alternates=links))
        elif page.release is not None:
            release = page.release
            out.append(Entry(page.url, release.modified, (release.image,) if release.image else (), links))
        elif page.kind == "terms":
            out.append(Entry(page.url, newest.get(page.taxonomy)))
        elif page.kind == "months":
            out.append(Entry(page.url, site_newest))
        else:
            out.append(Entry(page.url, max(map(_MODIFIED, page.items), default=None)))
    return out


_MODIFIED = attrgetter("modified")      # max() over 900,000 list items at 100,000 releases: no generator


def _escape(text: str) -> str:
    """XML text: most URLs hold no &, < or >, and escape() looks for each in turn."""
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def build(site: Site, pages: Iterable["Page"]) -> dict[str, bytes]:
    """sitemap.xml (or index + parts), sitemap-news.xml, sitemap-translations.xml and robots.txt."""
    config = site.config
    found = entries(site, pages)
    out = split([replace(e, alternates=()) if e.alternates else e for e in found], config)
    out[NEWS_SITEMAP] = news_sitemap(news_releases(site), config)
    translated = [e for e in found if e.alternates]
    if translated:
        out[TRANSLATIONS_SITEMAP] = translations_sitemap(translated, config)
    out[ROBOTS] = robots(config, (TRANSLATIONS_SITEMAP,) if translated else ())
    return out


def translations_sitemap(items: Sequence[Entry], config: Config) -> bytes:
    """The pages that have translations, each with its `xhtml:link` alternates (itself included).

    Apart from sitemap.xml, which then validates against the sitemaps.org schema and Google's
    extensions alone: the xhtml namespace has no published schema for a strict validator.
    """
    body = "".join(_url(replace(e, images=()), config) for e in items)
    return (HEAD + TRANSLATIONS_URLSET + body + "</urlset>\n").encode("utf-8")


def _url(entry: Entry, config: Config, extra: str = "") -> str:
    parts = [f"<url><loc>{_escape(iri_to_uri(config.url(entry.path)))}</loc>"]
    if entry.lastmod is not None:
        parts.append(f"<lastmod>{w3c(entry.lastmod)}</lastmod>")
    parts.append(extra)
    for lang, path in entry.alternates:
        parts.append(f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" '
                     f'href="{escape(iri_to_uri(config.url(path)), {chr(34): "&quot;"})}"/>')
    for image in entry.images:
        parts.append(f"<image:image><image:loc>{_escape(absolute_url(config, image))}</image:loc></image:image>")
    parts.append("</url>\n")
    return "".join(parts)


def split(items: Sequence[Entry], config: Config, max_urls: int = MAX_URLS,
          max_bytes: int = MAX_BYTES) -> dict[str, bytes]:
    """One sitemap.xml, or an index sitemap.xml over numbered parts when it would be too big."""
    chunks: list[tuple[bytes, datetime | None]] = []
    fixed = len((HEAD + URLSET + "</urlset>\n").encode())
    current: list[bytes] = []
    size = fixed
    newest: datetime | None = None

    def close() -> None:
        chunks.append(((HEAD + URLSET).encode() + b"".join(current) + b"</urlset>\n", newest))

    for entry in items:
        data = _url(entry, config).encode("utf-8")
        if current and (len(current) >= max_urls or size + len(data) > max_bytes):
            close()
            current, size, newest = [], fixed, None
        current.append(data)
        size += len(data)
        if entry.lastmod is not None and (newest is None or entry.lastmod > newest):
            newest = entry.lastmod
    if current or not chunks:
        close()
    if len(chunks) == 1:
        return {SITEMAP: chunks[0][0]}
    out: dict[str, bytes] = {}
    index = [HEAD, f'<sitemapindex xmlns="{NS}">\n']
    for number, (data, lastmod) in enumerate(chunks, 1):
        name = f"sitemap-{number}.xml"
        out[name] = data
        stamp = f"<lastmod>{w3c(lastmod)}</lastmod>" if lastmod else ""
        index.append(f"<sitemap><loc>{escape(config.url('/' + name))}</loc>{stamp}</sitemap>\n")
    index.append("</sitemapindex>\n")
    out[SITEMAP] = "".join(index).encode("utf-8")
    return out


def news_releases(site: Site) -> tuple[Release, ...]:
    """Releases dated in the two days up to the build time, newest first, at most 1,000."""
    start = site.now - NEWS_WINDOW
    return tuple(r for r in site.releases if start <= r.date <= site.now)[:NEWS_MAX]


def news_language(lang: str, fallback: str) -> str:
    """ISO 639 code as Google News wants it (zh-cn / zh-tw for Chinese)."""
    code = lang.lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-tw" if code in ("zh-tw", "zh-hant", "zh-hk") or code.startswith("zh-hant") else "zh-cn"
    primary = code.split("-", 1)[0]
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else fallback


def news_sitemap(releases: Sequence[Release], config: Config) -> bytes:
    parts = [HEAD, NEWS_URLSET]
    name = escape(clean(config.title))
    for release in releases:
        news = (f"<news:news><news:publication><news:name>{name}</news:name>"
                f"<news:language>{news_language(release.lang, config.language)}</news:language>"
                f"</news:publication><news:publication_date>{w3c(release.date)}</news:publication_date>"
                f"<news:title>{escape(clean(release.title))}</news:title></news:news>")
        entry = Entry(release.url, None, (release.image,) if release.image else ())
        parts.append(_url(entry, config, news))
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def robots(config: Config, more: Sequence[str] = ()) -> bytes:
    """Allow everything; name the sitemaps with absolute URLs, as robots.txt requires."""
    lines = ["User-agent: *", "Allow: /", "",
             *(f"Sitemap: {config.url('/' + name)}" for name in (SITEMAP, NEWS_SITEMAP, *more)), ""]
    return "\n".join(lines).encode("utf-8")
