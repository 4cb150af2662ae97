"""Importer-neutral items -> release and page files, front matter in humasgen's own key order."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..content import CONTENT_DIR, KEYS
from ..types import pages as pages_type

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)     # libyaml: pure-Python YAML is 10 times slower
QUARANTINE_DIR = "karantina"        # below content/: drafts with suspected injected spam


@dataclass(frozen=True, slots=True)
class Item:
    """One post of the old system, ready to write (dates aware, URLs already rewritten)."""
    title: str
    date: datetime
    slug: str
    body: str                                   # Markdown
    draft: bool = False
    summary: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()
    unit: str = ""
    author: str = ""
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    updated: datetime | None = None
    lang: str = ""
    attachments: tuple[tuple[str, str], ...] = ()   # (site path, title)
    aliases: tuple[str, ...] = ()
    guid: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PageItem:
    """One page of the old system (Profil, Kontak...), ready to write as content/halaman/SLUG.md."""
    title: str
    slug: str
    body: str                                   # Markdown
    draft: bool = False
    summary: str = ""
    aliases: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


def page_path(slug: str, quarantined: bool = False) -> str:
    """Path below the site folder: content/halaman/[karantina/]slug.md."""
    folder = f"{CONTENT_DIR}/{pages_type.FOLDER}" + (f"/{QUARANTINE_DIR}" if quarantined else "")
    return f"{folder}/{slug}.md"


def release_path(item: Item, quarantined: bool = False) -> str:
    """Path below the site folder: content/[karantina/]YYYY/MM/slug.md."""
    folder = f"{CONTENT_DIR}/{QUARANTINE_DIR}" if quarantined else CONTENT_DIR
    return f"{folder}/{item.date:%Y}/{item.date:%m}/{item.slug}.md"


def unique_path(item: Item, taken: set[str], quarantined: bool = False) -> tuple[Item, str]:
    """The item with a slug made unique among `taken` paths (adds -2, -3, ...), and its path."""
    base, number, chosen = item.slug, 1, item
    while (path := release_path(chosen, quarantined)) in taken:
        number += 1
        chosen = _with_slug(item, f"{base}-{number}")
    taken.add(path)
    return chosen, path


def _with_slug(item: Item, slug: str) -> Item:
    from dataclasses import replace
    return replace(item, slug=slug)


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M" if not value.second else "%Y-%m-%d %H:%M:%S")


def render(item: Item) -> str:
    """The release file's text: dates in the site timezone (naive), keys in content.KEYS order."""
    values: dict[str, Any] = {
        "title": item.title, "date": item.date, "slug": item.slug, "summary": item.summary,
        "category": item.category, "tags": list(item.tags), "unit": item.unit, "author": item.author,
        "image": item.image, "image_alt": item.image_alt, "image_caption": item.image_caption,
        "image_credit": item.image_credit, "draft": item.draft or None, "updated": item.updated,
        "lang": item.lang,
        "attachments": [{"path": p, "title": t} for p, t in item.attachments],
        "aliases": list(item.aliases), "guid": item.guid, "imported": True,
        "extra": dict(item.extra),
    }
    return _text(values, KEYS, item.body)


def render_page(page: PageItem) -> str:
    """The page file's text, keys in the pages type's order."""
    values: dict[str, Any] = {"title": page.title, "slug": page.slug, "summary": page.summary,
                              "draft": page.draft or None, "aliases": list(page.aliases), "extra": dict(page.extra)}
    return _text(values, tuple(k.name for k in pages_type.KEYS), page.body)


def _text(values: Mapping[str, Any], keys: tuple[str, ...], body: str) -> str:
    lines = ["---"]
    for key in keys:
        value = values.get(key)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, datetime):
            lines.append(f"{key}: {_when(value)}")
            continue
        dumped = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                           default_flow_style=None if key in ("tags", "aliases") else False)
        lines.append(dumped.rstrip("\n"))
    lines += ["---", body.strip(), ""]
    return "\n".join(lines)


def write(site_dir: Path, path: str, item: Item | PageItem) -> bool:
    """Write the release or page unless a file is already there (an earlier import, or an officer's edit)."""
    target = site_dir / path
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_page(item) if isinstance(item, PageItem) else render(item), encoding="utf-8")
    return True
