"""Site -> RSS 2.0 and Atom 1.0 feeds (with feedgen) for the site, each category and unit.

What aggregators and Google News need and commonly get wrong: full content
with absolute links, a guid that survives an edited title, English RFC 822
dates, the lead image as an enclosure with its size, and a feed under 2 MB.
Dates come from the releases, never the clock, so an unchanged site gives the
same bytes (and `humasgen ping` sees which feeds really changed).
"""
from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable, Container, Mapping

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.ext.media import MediaEntryExtension, MediaExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from . import __version__
from .config import Config
from .content import Release
from .links import absolute_url, absolutize_html, clean, release_id_uri
from .site import TAXONOMIES, Site, in_language

MAX_BYTES = 2_000_000            # Google News (Publisher Center) rejects feeds over 2 MB
RSS_NAME, ATOM_NAME = "feed.xml", "atom.xml"
FEED_TAXONOMIES = ("category", "unit")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)   # 'updated' of a feed with no releases
ATOM_NS = "http://www.w3.org/2005/Atom"
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
               "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml"}


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed: its title, the HTML page it belongs to and its releases (newest first)."""
    title: str
    description: str
    page: str                    # site path of the HTML page, e.g. '/' or '/kategori/ekonomi/'
    releases: tuple[Release, ...]
    language: str = ""           # of a per-language feed (/en/feed.xml); else the site's

    @property
    def rss_path(self) -> str:
        return self.page + RSS_NAME

    @property
    def atom_path(self) -> str:
        return self.page + ATOM_NAME


@dataclass(frozen=True, slots=True)
class Image:
    """A lead image as feeds describe it; length and size are None when the file is not local."""
    url: str
    type: str
    length: int | None = None
    width: int | None = None
    height: int | None = None


ImageInfo = Callable[[str], "Image | None"]


def image_reader(config: Config, static: Mapping[str, Path]) -> ImageInfo:
    """Image facts by site path, each file read once (size from the file, pixels from its header)."""
    from PIL import Image as PILImage, UnidentifiedImageError

    @lru_cache(maxsize=None)
    def info(path: str) -> Image | None:
        if not path:
            return None
        kind = IMAGE_TYPES.get(path.rsplit(".", 1)[-1].lower(), "image/jpeg")
        source = static.get(path.split("?", 1)[0].lstrip("/"))
        if source is None:
            return Image(absolute_url(config, path), kind)
        width = height = None
        try:
            with PILImage.open(source) as image:
                width, height = image.size
                kind = PILImage.MIME.get(image.format or "", kind)
        except (OSError, UnidentifiedImageError):
            pass
        return Image(absolute_url(config, path), kind, source.stat().st_size, width, height)
    return info


def site_feeds(site: Site) -> tuple[Feed, ...]:
    """The site feed (site language), one per other language, then one per category and unit
    (and tag with [feeds] per_tag)."""
    config = site.config
    limit = config.feeds.items
    description = config.tagline or config.agency_name
    main = site.releases if not site.languages else in_language(site.releases, config.language)
    feeds = [Feed(config.title, description, "/", main[:limit])]
    feeds += [Feed(f"{config.title} – {term.name}", description, term.url, term.releases[:limit], term.slug)
              for term in site.languages]
    taxonomies = FEED_TAXONOMIES + (("tag",) if config.feeds.per_tag else ())
    for name in taxonomies:
        for term in site.taxonomies[name].terms:
            feeds.append(Feed(f"{config.title} – {term.name}", f"{term.name} – {description}",
                              term.url, term.releases[:limit]))
    return tuple(feeds)


def build(site: Site, images: ImageInfo, reuse: Container[str] = ()) -> dict[str, bytes | None]:
    """Every RSS and Atom file: {output path: bytes}; None for paths in `reuse` (unchanged, kept)."""
    writer = _Writer(site.config, images)
    out: dict[str, bytes | None] = {}
    for feed in site_feeds(site):
        for path, kind in ((feed.rss_path.lstrip("/"), "rss"), (feed.atom_path.lstrip("/"), "atom")):
            out[path] = None if path in reuse else writer.capped(feed, kind)
    return out


def keys(site: Site, base: str) -> dict[str, str]:
    """{output path: hash of everything in that feed}, so a warm build rewrites only changed feeds.

    `base` covers the theme, static files (image sizes) and plugins; the config and the
    feed's releases are added here.
    """
    out = {}
    config = repr(site.config)
    for feed in site_feeds(site):
        digest = hashlib.sha256("\x1f".join((base, config, feed.title, feed.description, feed.language, *(
            f"{r.id}:{r.content_hash}" for r in feed.releases))).encode()).hexdigest()[:32]
        out[feed.rss_path.lstrip("/")] = out[feed.atom_path.lstrip("/")] = digest
    return out


def content_html(release: Release, config: Config, image: Image | None) -> str:
    """The full release as a feed carries it: lead image first, every link absolute."""
    page_url = config.url(release.url)
    parts = []
    if image is not None:
        size = f' width="{image.width}" height="{image.height}"' if image.width else ""
        caption = " ".join(p for p in (release.image_caption, release.image_credit) if p)
        parts.append(f'<figure><img src="{html.escape(image.url)}" alt="{html.escape(release.image_alt)}"{size}>'
                     + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "") + "</figure>")
    parts.append(absolutize_html(release.body_html, page_url, config))
    return clean("\n".join(parts))


def summary_html(release: Release, config: Config) -> str:
    """Stand-in content for a release too big for any feed: its summary and a link to it."""
    url = html.escape(config.url(release.url))
    return f'<p>{html.escape(clean(release.summary))}</p><p><a href="{url}">{url}</a></p>'


def creator(release: Release, config: Config) -> str:
    """Who wrote it: the author, else the issuing unit, else the agency."""
    return release.author or release.unit or config.agency_name


class _WebSubHub(BaseExtension):
    """<atom:link rel="hub"> in an RSS channel (feedgen writes only rel="self" there)."""
    hub = ""

    def extend_ns(self):
        return {"atom": ATOM_NS}

    def extend_rss(self, rss_feed):
        if self.hub:
            channel = rss_feed[0]
            xml_elem(f"{{{ATOM_NS}}}link", channel, href=self.hub, rel="hub")
        return rss_feed


class _Enclosure(BaseEntryExtension):
    """The lead image as RSS <enclosure> and Atom <link rel="enclosure">.

    feedgen 1.0's own entry links lose their rel/type attributes in Atom (a
    shadowed variable), which would turn the image into a second "alternate".
    """
    image: Image | None = None

    def extend_rss(self, item):
        if self.image is not None and self.image.length is not None:
            xml_elem("enclosure", item, url=self.image.url, length=str(self.image.length), type=self.image.type)
        return item

    def extend_atom(self, entry):
        if self.image is not None and self.image.length is not None:
            xml_elem("link", entry, rel="enclosure", href=self.image.url, type=self.image.type,
                     length=str(self.image.length))
        return entry


class _Writer:
    """Builds feeds, making each release's entry once even when it is in several feeds."""

    def __init__(self, config: Config, images: ImageInfo) -> None:
        self.config = config
        self.images = images
        self.entries: dict[tuple[str, bool], FeedEntry] = {}

    def entry(self, release: Release, full: bool = True) -> FeedEntry:
        key = (release.id, full)
        if key not in self.entries:
            self.entries[key] = self._make_entry(release, full)
        return self.entries[key]

    def _make_entry(self, release: Release, full: bool) -> FeedEntry:
        config = self.config
        entry = FeedEntry()
        # register_extension, not load_extension: the latter searches the import path on every call.
        entry.register_extension("dc", DcEntryExtension, atom=False, rss=True)
        entry.register_extension("media", MediaEntryExtension, atom=True, rss=True)
        entry.register_extension("lead_image", _Enclosure)
        url = config.url(release.url)
        entry.id(release_id_uri(config, release))           # also the RSS guid, isPermaLink="false"
        entry.title(clean(release.title))
        entry.link(href=url, rel="alternate")
        summary = clean(release.summary)
        image = self.images(release.image) if release.image else None
        entry.content(content_html(release, config, image) if full else summary_html(release, config), type="html")
        if summary:
            entry.summary(summary)
        entry.published(release.date)
        entry.updated(release.modified)
        name = clean(creator(release, config))
        entry.author({"name": name})
        entry.dc.dc_creator(name)
        categories = [(release.category, "category")] if release.category else []
        categories += [(tag, "tag") for tag in release.tags]
        categories += [(release.unit, "unit")] if release.unit else []
        if categories:
            entry.category([{"term": clean(value), "scheme": config.url(f"/{TAXONOMIES[taxonomy]}/")}
                            for value, taxonomy in categories])
        if image is not None:
            entry.lead_image.image = image
            media = {"url": image.url, "type": image.type, "medium": "image"}
            if image.length is not None:
                media["fileSize"] = str(image.length)
            if image.width:
                media.update(width=str(image.width), height=str(image.height))
            entry.media.content(media, group=None)
        return entry

    def generator(self, feed: Feed, kind: str, releases: tuple[Release, ...],
                  full: Mapping[str, bool]) -> FeedGenerator:
        config = self.config
        fg = FeedGenerator()
        fg.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
        fg.register_extension("media", MediaExtension, MediaEntryExtension, atom=True, rss=True)
        fg.register_extension("websub", _WebSubHub, None, atom=False, rss=True)
        fg.websub.hub = config.feeds.hub
        page = config.url(feed.page)
        fg.id(config.url(feed.atom_path))
        fg.title(clean(feed.title))
        fg.description(clean(feed.description))
        fg.language(feed.language or config.language)
        fg.author({"name": clean(config.agency_name), "uri": config.url("/"),
                   **({"email": config.email} if config.email else {})})
        fg.rights(clean(config.copyright or f"© {config.agency_name}"))
        fg.generator("humasgen", version=__version__)
        if config.email:
            fg.managingEditor(f"{config.email} ({clean(config.agency_name)})")
        if kind == "rss":
            fg.link(href=config.url(feed.rss_path), rel="self", type="application/rss+xml")
        else:
            fg.link(href=config.url(feed.atom_path), rel="self", type="application/atom+xml")
        if config.feeds.hub:
            fg.link(href=config.feeds.hub, rel="hub")
        fg.link(href=page, rel="alternate", type="text/html")   # the last link is the RSS channel link
        if config.logo:
            logo = self.images(config.logo)
            fg.logo(logo.url)
            fg.icon(logo.url)
            fits = logo.width and logo.width <= 144 and logo.height <= 400   # RSS image limits
            fg.image(url=logo.url, title=clean(feed.title), link=page,
                     width=str(logo.width) if fits else None, height=str(logo.height) if fits else None)
        newest = max((r.modified for r in releases), default=EPOCH)
        fg.updated(newest)
        fg.lastBuildDate(newest)
        if releases:
            fg.pubDate(releases[0].date)
        for release in releases:
            fg.add_entry(self.entry(release, full.get(release.id, True)), order="append")
        return fg

    def render(self, feed: Feed, kind: str, releases: tuple[Release, ...],
               full: Mapping[str, bool] | None = None) -> bytes:
        fg = self.generator(feed, kind, releases, full or {})
        return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)

    def capped(self, feed: Feed, kind: str) -> bytes:
        """The feed, dropping its oldest releases until it is under MAX_BYTES."""
        releases = feed.releases
        data = self.render(feed, kind, releases)
        if len(data) <= MAX_BYTES:
            return data
        sizes = [self._entry_size(r, kind) for r in releases]
        overhead = len(data) - sum(sizes)
        keep = len(releases)
        while keep > 1 and overhead + sum(sizes[:keep]) > MAX_BYTES:
            keep -= 1
        while True:
            data = self.render(feed, kind, releases[:keep])
            if len(data) <= MAX_BYTES or keep == 1:
                break
            keep -= 1
        if len(data) > MAX_BYTES:   # one release alone is too big: carry its summary and link only
            data = self.render(feed, kind, releases[:1], {releases[0].id: False})
        return data

    def _entry_size(self, release: Release, kind: str) -> int:
        entry = self.entry(release)
        element = entry.rss_entry() if kind == "rss" else entry.atom_entry()
        return len(etree.tostring(element, pretty_print=True, encoding="UTF-8"))
