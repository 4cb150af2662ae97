"""An RSS, Atom (read with feedparser) or JSON Feed of another system -> releases.

For newsrooms on Blogger, Joomla or a portal: what their feed carries is what comes over
(title, date, text, author, categories, the item id as `guid`, the item's old address
as an alias when it is on the same site). Images stay at their old addresses.
"""
from __future__ import annotations

import json
from html import escape
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import feedparser

from .. import config as config_mod
from ..content import _SLUG_RE, make_slug, permalink
from ..errors import HumasgenError
from . import spam
from .html import to_markdown
from .report import Report
from .wordpress import _text, _title
from .writer import Item, unique_path, write

FETCH_TIMEOUT = 30
MAX_BYTES = 200_000_000


def run(source: str, site_dir: Path) -> Report:
    config = config_mod.load(site_dir)
    data = _read(source)
    report = Report(source=source)
    if data.lstrip()[:1] == b"{":
        site_link, entries = _json_feed(data, source)
    else:
        parsed = feedparser.parse(data)
        if not parsed.entries and (parsed.bozo or not parsed.version):
            raise HumasgenError.single(source, None, f"not a feed: {parsed.get('bozo_exception', 'no items')}",
                                       "give an RSS, Atom or JSON Feed file or address")
        site_link = parsed.feed.get("link", "")
        entries = [_entry(e) for e in parsed.entries]
    hosts = tuple(h for h in [(urlsplit(site_link).hostname or "").lower()] if h)
    taken: set[str] = set()
    for number, entry in enumerate(entries, 1):
        where = f"{source} item {number}"
        when = entry["date"]
        if when is None:
            report.warn(where, "no readable date; skipped")
            report.skip("items without a date")
            continue
        when = when.astimezone(config.tz)
        title = _title(entry["title"]) or f"Tanpa judul ({number})"
        link = urlsplit(entry["link"])
        tail = link.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html").lower()
        slug = tail if _SLUG_RE.match(tail) else make_slug(title)
        reasons = spam.reasons(entry["html"], hosts)
        converted = to_markdown(entry["html"])
        for name in converted.unknown_shortcodes:
            report.shortcodes[name] = report.shortcodes.get(name, 0) + 1
        aliases = ()
        if link.path and (link.hostname or "").lower() in hosts:
            aliases = (link.path + (f"?{link.query}" if link.query else ""),)
        tags = entry["tags"]
        item = Item(title=title, date=when, slug=slug, body=converted.markdown, draft=bool(reasons),
                    summary=_text(entry["summary"])[:300] if entry["summary"] != entry["html"] else "",
                    category=tags[0] if tags else "", tags=tuple(tags[1:]), author=entry["author"],
                    image=entry["image"], guid=entry["id"] or entry["link"],
                    extra={"quarantine": list(reasons)} if reasons else {})
        item, path = unique_path(item, taken, quarantined=bool(reasons))
        own_url = permalink(config.permalink, when, item.slug)
        item = replace(item, aliases=tuple(a for a in aliases if a != own_url and not reasons))
        if not write(site_dir, path, item):
            report.existing += 1
            continue
        report.posts += 1
        report.drafts += item.draft
        report.redirects += len(item.aliases)
        report.written.append(path)
        if reasons:
            report.quarantined.append({"id": item.guid, "title": title, "path": path, "reasons": list(reasons)})
    return report


def _read(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "humasgen-import"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
                return response.read(MAX_BYTES)
        except (urllib.error.URLError, OSError) as exc:
            raise HumasgenError.single(source, None, f"cannot fetch the feed: {getattr(exc, 'reason', exc)}",
                                       "check the address, or save the feed to a file and import the file") from None
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise HumasgenError.single(source, None, f"cannot read the feed: {exc.strerror}",
                                   "give the path of a feed file or its http(s) address") from None


def _entry(entry) -> dict:
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else entry.get("summary", "")
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    when = datetime(*parsed[:6], tzinfo=timezone.utc) if parsed else None
    image = next((m.get("url", "") for m in entry.get("media_content", []) if m.get("url")), "") or \
        next((e.get("href", "") for e in entry.get("enclosures", []) if e.get("type", "").startswith("image/")), "")
    return {"title": entry.get("title", ""), "link": entry.get("link", ""), "id": entry.get("id", ""),
            "date": when, "html": html, "summary": entry.get("summary", ""), "author": entry.get("author", ""),
            "tags": [t.get("term", "") for t in entry.get("tags", []) if t.get("term")], "image": image}


def _json_feed(data: bytes, source: str) -> tuple[str, list[dict]]:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HumasgenError.single(source, None, f"the JSON Feed is not valid JSON: {exc}",
                                   "give a JSON Feed (https://jsonfeed.org)") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise HumasgenError.single(source, None, "not a JSON Feed (no jsonfeed.org version)",
                                   "give an RSS, Atom or JSON Feed file or address")
    entries = []
    for item in doc.get("items") or []:
        if not isinstance(item, dict):
            continue
        when = None
        for key in ("date_published", "date_modified"):
            try:
                when = datetime.fromisoformat(str(item.get(key, "")).replace("Z", "+00:00"))
                break
            except ValueError:
                continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        html = item.get("content_html") or "".join(f"<p>{escape(p)}</p>"
                                                   for p in str(item.get("content_text", "")).split("\n\n"))
        entries.append({"title": str(item.get("title", "")), "link": str(item.get("url", "")),
                        "id": str(item.get("id", "")), "date": when if when and when.tzinfo else None,
                        "html": html, "summary": str(item.get("summary", "")),
                        "author": str(authors[0].get("name", "")) if authors else "",
                        "tags": [str(t) for t in item.get("tags") or []], "image": str(item.get("image", ""))})
    return str(doc.get("home_page_url", "")), entries
