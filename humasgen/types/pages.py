"""Pages (content/halaman/*.md): Profil, Kontak, Visi dan Misi, the PPID pages.

No date in the URL (/{slug}/), never announced, in the navigation when
humasgen.toml's `menu` names them. `aliases` (older site paths, e.g. of the WordPress
site a page was imported from) are redirected by the build, like releases' aliases.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from ..content import make_slug
from ..errors import Diagnostic
from .fields import Item, Key, common, validate

FOLDER = "halaman"
KEYS = (Key("title", required=True), Key("slug", "slug"), Key("summary"), Key("lang", "lang"),
        Key("translation_key", "slug"), Key("updated", "datetime"), Key("draft", "bool"),
        Key("aliases", "aliases"), Key("extra", "mapping"))


def url_of(slug: str) -> str:
    """A page's address: /{slug}/, whatever folder of content/halaman/ its file is in."""
    return f"/{slug}/"


@dataclass(frozen=True, slots=True)
class StaticPage(Item):
    translation_key: str = ""
    updated: datetime | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()   # older site paths of this page that must keep working (redirects)
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def modified(self) -> datetime | None:
        return self.updated


def parse(source: str, page_id: str, meta: dict, key_lines: dict[str, int], body: str, data: bytes,
          tz: ZoneInfo, language: str, problems: list[Diagnostic]) -> StaticPage | None:
    before = len(problems)
    values = validate(meta, key_lines, KEYS, tz,
                      lambda line, message, hint: problems.append(Diagnostic(source, line, message, hint)),
                      "a page")
    if len(problems) > before:
        return None
    shared = common(page_id, source, values, key_lines, body, data, language,
                    default_slug=make_slug(page_id.rsplit("/", 1)[-1]))
    return StaticPage(**shared, url=url_of(shared["slug"]), translation_key=values.get("translation_key", ""),
                      aliases=values.get("aliases", ()))
