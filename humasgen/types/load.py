"""content/<type folder>/**/*.md -> the site's pages, events, announcements, documents and galleries.

Every problem in every file is collected, with its line, like releases'.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..content import CONTENT_DIR, Settings, read_front_matter
from ..safety import release as limits
from ..safety.paths import inside
from ..errors import Diagnostic
from . import agenda, documents, galleries, pages
from . import announcements as announcements_mod
from .agenda import Event
from .announcements import Announcement
from .documents import Document
from .galleries import Gallery
from .pages import StaticPage

# field of Types -> the module that parses its folder
MODULES = {"pages": pages, "events": agenda, "announcements": announcements_mod, "documents": documents,
           "galleries": galleries}
FOLDERS = tuple(m.FOLDER for m in MODULES.values())


@dataclass(frozen=True, slots=True)
class Types:
    """The content types' items; from `published(now)` also what the build time decides."""
    pages: tuple[StaticPage, ...] = ()
    events: tuple[Event, ...] = ()                  # by start
    announcements: tuple[Announcement, ...] = ()    # newest first
    documents: tuple[Document, ...] = ()            # by class, year (newest first), title
    galleries: tuple[Gallery, ...] = ()             # newest first
    # Decided by the build time (plain data, so a warm build sees what changed when time passed):
    active: tuple[Announcement, ...] = ()           # announcements in force, newest first
    expired: frozenset[str] = frozenset()           # ids of announcements past their `expires`
    upcoming: tuple[Event, ...] = ()                # events not over yet, soonest first
    past: tuple[Event, ...] = ()                    # events over, latest first
    nav: tuple[tuple[str, str], ...] = ()           # (section, url) of the sections the site has

    def items(self) -> tuple[Any, ...]:
        return (*self.pages, *self.events, *self.announcements, *self.documents, *self.galleries)

    def published(self, now: datetime, drafts: bool = False, future: bool = False) -> "Types":
        """What a build at `now` publishes: no drafts; announcements and galleries from their date."""
        def shown(items: tuple) -> tuple:
            return tuple(i for i in items if (drafts or not i.draft) and (future or getattr(i, "date", now) <= now))
        events, announcements = shown(self.events), shown(self.announcements)
        out = Types(shown(self.pages), events, announcements, shown(self.documents), shown(self.galleries))
        sections = (("agenda", agenda.LIST_URL, out.events), ("pengumuman", announcements_mod.LIST_URL,
                                                              announcements),
                    ("galeri", galleries.LIST_URL, out.galleries), ("ppid", documents.DIP_URL, out.documents))
        return replace(
            out, active=tuple(a for a in announcements if not a.expired(now)),
            expired=frozenset(a.id for a in announcements if a.expired(now)),
            upcoming=tuple(e for e in events if e.upcoming(now)),
            past=tuple(reversed([e for e in events if not e.upcoming(now)])),
            nav=tuple((name, url) for name, url, items in sections if items))


def _files(site_dir: Path, folder: str) -> list[tuple[str, str, Path]]:
    root = site_dir / CONTENT_DIR / folder
    found = []
    for here, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                path = Path(here, name)
                rel = path.relative_to(site_dir / CONTENT_DIR).as_posix()
                found.append((f"{CONTENT_DIR}/{rel}", rel[:-3], path))
    return sorted(found)


def load(site_dir: Path, settings: Settings) -> tuple[Types, tuple[Diagnostic, ...]]:
    tz = ZoneInfo(settings.timezone)
    problems: list[Diagnostic] = []
    found: dict[str, list[Any]] = {name: [] for name in MODULES}
    for name, module in MODULES.items():
        for source, item_id, path in _files(site_dir, module.FOLDER):
            try:
                data = path.read_bytes()
            except OSError as exc:
                problems.append(Diagnostic(source, None, f"cannot read the file: {exc.strerror}",
                                           "check that it exists, that it is a plain file and that you may read it"))
                continue
            if path.is_symlink() and not inside(path, site_dir):
                problems.append(Diagnostic(source, None, "this file is a link to a file outside the site folder",
                                           "copy the file into content/ instead"))
                continue
            item = _parse(module, source, item_id, data, tz, settings.language, problems)
            if item is not None:
                found[name].append(item)
    found["documents"] = [documents.with_file_facts(d, site_dir / "static", problems) for d in found["documents"]]
    types = Types(
        pages=tuple(found["pages"]),
        events=tuple(sorted(found["events"], key=lambda e: (e.start, e.id))),
        announcements=tuple(sorted(found["announcements"], key=lambda a: (a.date, a.id), reverse=True)),
        documents=tuple(sorted(found["documents"], key=lambda d: (list(documents.CLASSES).index(d.kip_class),
                                                                  -d.year, d.title.casefold(), d.id))),
        galleries=tuple(sorted(found["galleries"], key=lambda g: (g.date, g.id), reverse=True)),
    )
    problems.extend(url_collisions(types.items()))
    return types, tuple(problems)


def module_for(source: str) -> Any:
    """The module of the type whose folder holds `source` ('content/agenda/x.md'), or None (a release)."""
    parts = source.split("/")
    if len(parts) < 3 or parts[0] != CONTENT_DIR:
        return None
    return next((m for m in MODULES.values() if m.FOLDER == parts[1]), None)


def parse_file(source: str, data: bytes, settings: Settings) -> tuple[Any, list[Diagnostic]]:
    """One file of a type's folder (`source` below content/), read as `load` reads it, without the
    facts of other files (a document's file in static/)."""
    module = module_for(source)
    if module is None:
        raise ValueError(f"{source} is not in a content type's folder")
    problems: list[Diagnostic] = []
    item_id = source.removeprefix(f"{CONTENT_DIR}/").removesuffix(".md")
    item = _parse(module, source, item_id, data, ZoneInfo(settings.timezone), settings.language, problems)
    return item, problems


def _parse(module: Any, source: str, item_id: str, data: bytes, tz: ZoneInfo, language: str,
           problems: list[Diagnostic]) -> Any:
    end = None
    try:
        limits.check_size(data)
        front = read_front_matter(source, data, problems)
        if front is None:
            return None
        meta, key_lines, body, end = front
        return module.parse(source, item_id, meta, key_lines, body, data, tz, language, problems)
    except limits.LimitExceeded as exc:     # a body's lines count from its first line
        line = exc.line + end + 1 if exc.line and end is not None else exc.line
        problems.append(Diagnostic(source, line, exc.message, exc.hint))
        return None


def url_collisions(items: Any) -> list[Diagnostic]:
    seen: dict[str, Any] = {}
    found = []
    for item in sorted(items, key=lambda i: i.source):
        if not item.url:
            continue
        other = seen.setdefault(item.url, item)
        if other is not item:
            found.append(Diagnostic(item.source, item.lines.get("slug") or item.lines.get("title"),
                                    f"URL {item.url} is also used by {other.source}",
                                    "give one of them a different 'slug:'"))
    return found


