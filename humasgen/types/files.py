"""The content types' files besides pages: agenda.ics, the announcements' feeds, the PPID lists as CSV/JSON."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import __version__
from ..links import clean
from . import announcements as announcements_mod, documents as documents_mod

if TYPE_CHECKING:
    from ..site import Site

ICS = "agenda.ics"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
ICS_STATUS = {"terjadwal": "CONFIRMED", "dijadwalkan-ulang": "CONFIRMED", "ditunda": "TENTATIVE",
              "dibatalkan": "CANCELLED"}
DIP_COLUMNS = ("judul", "klasifikasi", "tahun", "unit", "ringkasan", "halaman", "berkas", "ukuran_bita",
               "jumlah_halaman")
DIK_COLUMNS = ("judul", "tahun", "unit", "alasan")


def build(site: "Site") -> dict[str, bytes]:
    types = site.types
    out: dict[str, bytes] = {}
    if types.events:
        out[ICS] = calendar(site)
    if types.announcements:
        for kind, name in (("rss", "feed.xml"), ("atom", "atom.xml")):
            out[announcements_mod.LIST_URL.lstrip("/") + name] = announcement_feed(site, kind)
    if types.documents:
        out.update(ppid_lists(site))
    return out


def calendar(site: "Site") -> bytes:
    """agenda.ics (RFC 5545): every event, in the site timezone, for a phone calendar to subscribe to."""
    from icalendar import Calendar, Event

    config = site.config
    host = urlsplit(config.base_url).hostname or "humasgen"
    cal = Calendar()
    cal.add("prodid", f"-//humasgen {__version__}//{clean(config.title)}//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{clean(config.title)} – Agenda")
    cal.add("x-wr-timezone", config.timezone)
    for item in site.types.events:
        event = Event()
        event.add("uid", f"{item.id}@{host}")
        # Deterministic: the last edit the officer recorded, else the event's start (never the clock).
        event.add("dtstamp", (item.updated or item.start).astimezone(timezone.utc))
        if item.updated:
            event.add("last-modified", item.updated.astimezone(timezone.utc))
        event.add("dtstart", item.start)
        if item.end:
            event.add("dtend", item.end)
        event.add("summary", clean(item.title))
        event.add("location", clean(", ".join(p for p in (item.place, item.address) if p)))
        description = clean(item.summary)
        if item.organizer:
            description = f"{description}\n\nPenyelenggara: {clean(item.organizer)}".strip()
        event.add("description", description)
        event.add("url", config.url(item.url))
        event.add("status", ICS_STATUS[item.status])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def announcement_feed(site: "Site", kind: str) -> bytes:
    """RSS or Atom of the announcements still in force (an expired one leaves the feed)."""
    from feedgen.feed import FeedGenerator

    config = site.config
    items = site.types.active
    base = announcements_mod.LIST_URL
    fg = FeedGenerator()
    fg.id(config.url(base + "atom.xml"))
    fg.title(f"{clean(config.title)} – Pengumuman")
    fg.description(clean(config.tagline or config.agency_name))
    fg.language(config.language)
    fg.author({"name": clean(config.agency_name), "uri": config.url("/")})
    fg.generator("humasgen", version=__version__)
    self_path, kind_type = (base + "feed.xml", "application/rss+xml") if kind == "rss" \
        else (base + "atom.xml", "application/atom+xml")
    fg.link(href=config.url(self_path), rel="self", type=kind_type)
    fg.link(href=config.url(base), rel="alternate", type="text/html")
    newest = max((a.modified for a in items), default=EPOCH)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for item in items:
        entry = fg.add_entry(order="append")
        entry.id(config.url(item.url))
        entry.title(clean(item.title))
        entry.link(href=config.url(item.url), rel="alternate")
        entry.summary(clean(item.summary) or clean(item.title))
        entry.published(item.date)
        entry.updated(item.modified)
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


def ppid_lists(site: "Site") -> dict[str, bytes]:
    """dip.csv / dip.json (public documents) and dik.csv / dik.json (withheld: title, unit, year, reason)."""
    config = site.config
    public, withheld = [], []
    for d in site.types.documents:
        if d.excluded:
            withheld.append({"judul": d.title, "tahun": d.year, "unit": d.unit, "alasan": d.reason})
        else:
            public.append({"judul": d.title, "klasifikasi": d.class_name, "tahun": d.year, "unit": d.unit,
                           "ringkasan": d.summary, "halaman": config.url(d.url),
                           "berkas": config.url(d.file) if d.file else "", "ukuran_bita": d.size,
                           "jumlah_halaman": d.page_count})
    base = documents_mod.PPID_URL.lstrip("/")
    return {f"{base}dip.csv": _csv(public, DIP_COLUMNS), f"{base}dip.json": _json(public, site),
            f"{base}dik.csv": _csv(withheld, DIK_COLUMNS), f"{base}dik.json": _json(withheld, site)}


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")    # the BOM: Excel then reads UTF-8


def _json(rows: list[dict[str, Any]], site: "Site") -> bytes:
    data = {"badan_publik": site.config.agency_name, "dokumen": rows}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
