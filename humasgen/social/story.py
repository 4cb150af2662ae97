"""What a release's video and carousel show: one frozen value, whose hash is their cache key.

Everything drawn or heard is in a `Story` (texts, photo and logo files, colours,
music, length bounds), so the same Story always gives the same pictures, and a
rebuild with an unchanged Story encodes nothing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

import regex

from .. import i18n
from ..config import Config, VideoConfig
from ..content import Release
from . import highlights, images, snippets

RENDER_VERSION = "1"        # bump whenever the drawing or the encoding changes
MAX_PHOTOS = 4
_IMG = regex.compile(r"<img\b[^>]*?\bsrc=\"([^\"]+)\"")

# The few words the pictures carry, per language (the release's `lang`).
WORDS: Mapping[str, Mapping[str, str]] = {
    "id": {"read": "Baca selengkapnya", "scan": "Pindai kode QR atau buka tautan:", "photo": "Foto",
           "contact": "Kontak media", "points": "Poin penting", "of": "dari", "swipe": "Geser untuk poin penting",
           "cover": "Sampul", "point": "Poin", "quote": "Kutipan", "closing": "Penutup",
           "phone": "Telp.", "email": "Surel"},
    "en": {"read": "Read the full release", "scan": "Scan the QR code or open:", "photo": "Photo",
           "contact": "Media contact", "points": "Key points", "of": "of", "swipe": "Swipe for the key points",
           "cover": "Cover", "point": "Point", "quote": "Quote", "closing": "Closing",
           "phone": "Phone", "email": "Email"},
}


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))     # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Story:
    lang: str
    title: str
    kicker: str                         # category
    dateline: str
    date: str
    agency: str
    photos: tuple[Path, ...]            # lead image first, then the body's images
    lead_photo: bool                    # photos[0] is the lead image (the credit is for it)
    credit: str
    highlights: tuple[highlights.Highlight, ...]
    quote: highlights.Quote | None
    url: str                            # the release, as people read it
    short_url: str                      # without the scheme, for the closing card
    reel_link: str                      # what the QR codes open (with UTM tags when configured)
    carousel_link: str
    contact: tuple[str, ...]            # lines for the press contact
    logo: Path | None
    brand: tuple[int, int, int]
    brand_dark: tuple[int, int, int]
    accent: tuple[int, int, int]
    music: Path | None
    min_seconds: int
    max_seconds: int

    @property
    def words(self) -> Mapping[str, str]:
        return WORDS[self.lang]

    def key(self, kind: str) -> str:
        import av
        data = asdict(self)
        files = [images.digest(p) for p in (*self.photos, self.logo, self.music, images.BOLD, images.REGULAR)]
        blob = json.dumps([RENDER_VERSION, kind, av.__version__, files, data], default=str, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]


def photos_of(release: Release, static: Mapping[str, Path], base_path: str) -> tuple[tuple[Path, ...], bool]:
    """Photo files of the release found in the site: the lead image, then the body's images."""
    found: list[Path] = []
    lead = False
    sources = ([release.image] if release.image else []) + _IMG.findall(release.body_html)
    for number, source in enumerate(sources):
        if "://" in source or not source.startswith("/"):
            continue
        path = source.removeprefix(base_path) if base_path else source
        file = static.get(path.lstrip("/"))
        if file is not None and file.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp") and file not in found:
            found.append(file)
            lead = lead or (number == 0 and bool(release.image))
    return tuple(found[:MAX_PHOTOS]), lead


def contact_lines(release: Release, config: Config, lang: str) -> tuple[str, ...]:
    words = WORDS[lang]
    contact = release.contact
    if contact is not None:
        lines = [contact.name, contact.role]
        phone, email = contact.phone, contact.email
    else:
        lines = [config.agency_name]
        phone, email = config.phone, config.email
    if phone:
        lines.append(f"{words['phone']} {phone}")
    if email:
        lines.append(f"{words['email']}: {email}")
    return tuple(line for line in lines if line)


def short_url(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")


def story(release: Release, config: Config, static: Mapping[str, Path], site_dir: Path) -> Story:
    video: VideoConfig = config.social.video
    lang = snippets.language(release)
    logo_path = video.logo or config.logo
    photos, lead = photos_of(release, static, config.base_path)
    url = config.url(release.url)
    return Story(
        lang=lang, title=" ".join(images.NO_GLYPH.sub("", release.title).split()) or release.title,
        kicker=images.NO_GLYPH.sub("", release.category).strip(), dateline=release.dateline,
        date=i18n.long_date(release.date, lang, with_time=False), agency=config.agency_name,
        photos=photos, lead_photo=lead, credit=release.image_credit if lead else "",
        highlights=highlights.choose(release), quote=highlights.quote(release),
        url=url, short_url=short_url(url),
        reel_link=snippets.with_utm(url, "reel", config, release),
        carousel_link=snippets.with_utm(url, "carousel", config, release),
        contact=contact_lines(release, config, lang),
        logo=static.get(logo_path.lstrip("/")) if logo_path else None,
        brand=rgb(video.brand), brand_dark=rgb(video.brand_dark), accent=rgb(video.accent),
        music=site_dir / video.music if video.music else None, min_seconds=video.min_seconds, max_seconds=video.max_seconds)
