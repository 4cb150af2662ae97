"""Galeri (content/galeri/*.md): photo albums, each photo with its caption and credit.

The album page carries schema.org ImageGallery JSON-LD with an ImageObject per
photo (creditText, copyrightNotice, license), so search engines show the credit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from ..errors import Diagnostic, did_you_mean
from .fields import Item, Key, common, validate

FOLDER = "galeri"
LIST_URL = "/galeri/"
KEYS = (Key("title", required=True), Key("date", "datetime", True), Key("credit"), Key("copyright"),
        Key("license"), Key("photos", "list", True), Key("slug", "slug"), Key("summary"),
        Key("lang", "lang"), Key("updated", "datetime"), Key("draft", "bool"), Key("extra", "mapping"))
PHOTO_KEYS = ("src", "alt", "caption", "credit")


@dataclass(frozen=True, slots=True)
class Photo:
    src: str
    alt: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Gallery(Item):
    date: datetime
    photos: tuple[Photo, ...]
    credit: str = ""            # album default for photos without their own
    copyright: str = ""         # copyright notice, e.g. '© 2026 Diskominfo Nusa Harapan'
    license: str = ""           # URL of the licence
    updated: datetime | None = None
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def modified(self) -> datetime:
        return self.updated or self.date


def parse(source: str, item_id: str, meta: dict, key_lines: dict[str, int], body: str, data: bytes,
          tz: ZoneInfo, language: str, problems: list[Diagnostic]) -> Gallery | None:
    def fail(line: int | None, message: str, hint: str) -> None:
        problems.append(Diagnostic(source, line, message, hint))

    before = len(problems)
    values = validate(meta, key_lines, KEYS, tz, fail, "a gallery")
    photos = _photos(values.get("photos", []), values.get("credit", ""), key_lines.get("photos"), fail)
    license_url = values.get("license", "")
    if license_url and not license_url.startswith(("https://", "http://")):
        fail(key_lines.get("license"), f"'license' must be the URL of the licence, not {license_url!r}",
             "e.g. license: https://creativecommons.org/licenses/by/4.0/")
    if len(problems) > before:
        return None
    shared = common(item_id, source, values, key_lines, body, data, language)
    when = values["date"]
    return Gallery(
        **shared, url=f"{LIST_URL}{when.year:04d}/{shared['slug']}/", date=when, photos=photos,
        credit=values.get("credit", ""), copyright=values.get("copyright", ""), license=license_url)


def _photos(items: list, default_credit: str, line: int | None, fail) -> tuple[Photo, ...]:
    hint = "write each photo as '- src: /images/foto.jpg', with 'alt:', 'caption:' and 'credit:' below it"
    photos = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            fail(line, f"photo {number} must be a mapping", hint)
            continue
        unknown = [k for k in item if k not in PHOTO_KEYS]
        if unknown:
            fail(line, f"unknown key '{unknown[0]}' in photo {number}", did_you_mean(str(unknown[0]), PHOTO_KEYS))
            continue
        texts = {k: " ".join(str(item.get(k) or "").split()) for k in PHOTO_KEYS}
        if not texts["src"].startswith(("/", "https://")):
            fail(line, f"photo {number} has no 'src' (a site path such as /images/foto.jpg)", hint)
        elif not texts["alt"]:
            fail(line, f"photo {number} has no 'alt' text", "describe the photo for readers who cannot see it")
        elif not (texts["credit"] or default_credit):
            fail(line, f"photo {number} has no credit",
                 "add 'credit:' to the photo, or one 'credit:' for the whole album")
        else:
            photos.append(Photo(**texts))
    if not items:
        fail(line, "the gallery has no photos", hint)
    return tuple(photos)
