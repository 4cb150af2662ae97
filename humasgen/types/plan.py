"""The HTML pages of the content types, and what their templates call.

Each page has a base key like every page (see render.base_key); the rest of its key comes
from what its render reads through the recording views (reads.py). What depends on the
build time (announcements in force, upcoming events) is plain data in `site.types`
(Types.published), so a warm build after an expiry sees the change like any other.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import agenda, announcements, documents, galleries

if TYPE_CHECKING:
    from ..config import Config
    from ..render import Page
    from ..site import Site


def pages(site: "Site", site_key: str) -> list["Page"]:
    from ..render import Page, base_key, output_path
    types = site.types

    def page(kind: str, url: str, template: str, title: str = "", item: Any = None) -> Page:
        return Page(kind, url, output_path(url), template, title=title, item=item,
                    key=base_key(site_key, kind, template, url))

    out = [page("page", p.url, "page.html", p.title, p) for p in types.pages]
    if types.events:
        out += [page("event", e.url, "event.html", e.title, e) for e in types.events]
        out.append(page("events", agenda.LIST_URL, "agenda.html"))
    if types.announcements:
        out += [page("announcement", a.url, "announcement.html", a.title, a) for a in types.announcements]
        out.append(page("announcements", announcements.LIST_URL, "announcements.html"))
    if types.documents:
        out += [page("document", d.url, "document.html", d.title, d) for d in types.documents if not d.excluded]
        out.append(page("dip", documents.DIP_URL, "dip.html"))
        out.append(page("dik", documents.DIK_URL, "dik.html"))
    if types.galleries:
        out += [page("gallery", g.url, "gallery.html", g.title, g) for g in types.galleries]
        out.append(page("galleries", galleries.LIST_URL, "galleries.html"))
    return out


def template_globals(config: "Config", image_size: Any) -> dict[str, Any]:
    """JSON-LD builders (they read the item they are given through its recording view) and the KIP classes."""
    from . import structured
    return {
        "event_json_ld": lambda item: structured.event(config, item),
        "gallery_json_ld": lambda item: structured.gallery(config, item, image_size),
        "kip_classes": documents.CLASSES,
    }
