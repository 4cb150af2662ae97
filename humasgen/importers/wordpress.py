"""WordPress export (WXR) -> releases, pages, images, redirects.

Two streaming passes with lxml's iterparse (no entities, no network, no DTD), each element
cleared once read, so a 50,000-post export is read in bounded memory:
1. authors, terms, attachments and, for every post and page, where it will be written and its
   new URL (so links between old posts and pages can point at the new ones, and spam is known
   up front); pages are planned at the end of this pass (wp_pages.py);
2. the posts and pages themselves: converted, their files copied from --uploads, written.
"""
from __future__ import annotations

import html as html_lib
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

from .. import config as config_mod
from ..content import _SLUG_RE, make_slug, permalink, read_front_matter
from ..errors import HumasgenError
from ..safety import release as limits
from ..site import term_slug
from . import spam, wp_pages
from .html import Converted, to_markdown
from .report import Report
from .site_files import add_redirects
from .writer import Item, PageItem, unique_path, write

PUBLISHED = {"publish", "future"}
DRAFTS = {"draft", "pending", "private"}
UPLOADS_PREFIX = "/wp-content/uploads/"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
FILE_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".zip", ".rtf",
                 ".csv", ".txt")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Options:
    site_dir: Path
    uploads: Path | None = None
    since: date | None = None
    unit_categories: tuple[str, ...] = ()     # WordPress categories that name offices -> `unit`


@dataclass(frozen=True, slots=True)
class Attachment:
    url: str
    rel: str            # path below wp-content/uploads/, '' when unknown
    title: str
    alt: str
    caption: str
    parent: str


@dataclass(frozen=True, slots=True)
class Plan:
    path: str                   # release file, site-relative
    url: str                    # new site path
    slug: str
    when: datetime
    draft: bool
    quarantine: tuple[str, ...]


@dataclass(slots=True)
class _Scan:
    authors: dict[str, str] = field(default_factory=dict)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)   # nicename -> (name, parent)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)            # post id -> attachment ids
    plans: dict[str, Plan] = field(default_factory=dict)
    page_sources: list[wp_pages.PageSource] = field(default_factory=list)
    pages: dict[str, wp_pages.PagePlan] = field(default_factory=dict)
    old_paths: dict[str, str] = field(default_factory=dict)                 # old path -> new URL
    hosts: tuple[str, ...] = ()


def run(export: Path, options: Options) -> Report:
    config = config_mod.load(options.site_dir)
    report = Report(source=str(export))
    scan = _scan(export, options, config, report)
    copier = _Copier(options, report)
    terms: dict[str, str] = {}          # old term path -> new URL
    for fields in _items(export):
        kind, item_id = fields.get("wp:post_type", ""), fields.get("wp:post_id", "")
        if kind == "post" and item_id in scan.plans:
            _write_post(fields, scan.plans[item_id], scan, copier, config, options, report, terms)
        elif kind == "page" and item_id in scan.pages:
            _write_page(fields, scan.pages[item_id], scan, copier, options, report)
    report.redirects += add_redirects(options.site_dir, {**terms, "/feed/": "/feed.xml"} if report.posts else terms)
    return report


def _items(export: Path) -> Iterator[dict]:
    """Each <item>'s fields, as a dict, in file order; the tree is cleared as it goes."""
    for element in _iterparse(export, ("{*}item",)):
        yield _fields(element)
        _forget(element)


def _iterparse(export: Path, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    try:
        for _, element in etree.iterparse(str(export), events=("end",), tag=tags, resolve_entities=False,
                                          no_network=True, load_dtd=False, remove_comments=True,
                                          remove_pis=True, huge_tree=True):
            yield element
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise HumasgenError.single(str(export), line, f"the export is not valid XML: {exc.msg}",
                                   "export again from WordPress (Tools > Export > All content); "
                                   "do not edit the file by hand") from None
    except OSError as exc:
        raise HumasgenError.single(str(export), None, f"cannot read the export: {exc}",
                                   "give the path of the .xml file WordPress exported") from None


def _forget(element: etree._Element) -> None:
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _prefix(namespace: str) -> str:
    if "excerpt" in namespace:
        return "excerpt:"
    if "purl.org/rss/1.0/modules/content" in namespace:
        return "content:"
    if "wordpress.org/export" in namespace:
        return "wp:"
    if "purl.org/dc" in namespace:
        return "dc:"
    return ""


def _fields(element: etree._Element) -> dict:
    fields: dict = {"categories": [], "meta": {}}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child)
        prefix = _prefix(name.namespace or "")
        local = name.localname
        if local == "category" and not prefix:
            fields["categories"].append((child.get("domain") or "", child.get("nicename") or "", child.text or ""))
        elif local == "postmeta" and prefix == "wp:":
            key = value = ""
            for part in child:
                if isinstance(part.tag, str) and etree.QName(part).localname == "meta_key":
                    key = part.text or ""
                elif isinstance(part.tag, str) and etree.QName(part).localname == "meta_value":
                    value = part.text or ""
            fields["meta"][key] = value
        elif local != "comment":
            fields[prefix + local] = (child.text or "").strip() if local != "encoded" else (child.text or "")
    return fields


def _scan(export: Path, options: Options, config: config_mod.Config, report: Report) -> _Scan:
    scan = _Scan()
    tz = config.tz
    taken: set[str] = set()
    for element in _iterparse(export, ("{*}item", "{*}author", "{*}category", "{*}base_blog_url",
                                       "{*}base_site_url", "{*}tag")):
        name = etree.QName(element)
        prefix = _prefix(name.namespace or "")
        if name.localname == "item":
            fields = _fields(element)
            _forget(element)
            _plan(fields, scan, options, tz, config.permalink, taken, report)
            continue
        if prefix != "wp:" or element.getparent() is None or etree.QName(element.getparent()).localname != "channel":
            continue        # an item's own <category>, read with the item
        if name.localname in ("base_blog_url", "base_site_url"):
            host = urlsplit((element.text or "").strip()).hostname
            if host:        # in the channel's head, before the items that need it
                scan.hosts = tuple(dict.fromkeys((*scan.hosts, host.lower())))
        elif name.localname == "author":
            values = {etree.QName(c).localname: (c.text or "").strip() for c in element if isinstance(c.tag, str)}
            scan.authors[values.get("author_login", "")] = values.get("author_display_name") or values.get("author_login", "")
        elif name.localname == "category":
            values = {etree.QName(c).localname: (c.text or "").strip() for c in element if isinstance(c.tag, str)}
            scan.categories[values.get("category_nicename", "")] = (html_lib.unescape(values.get("cat_name", "")),
                                                                   values.get("category_parent", ""))
        _forget(element)
    scan.pages = wp_pages.plan(scan.page_sources, {p.url for p in scan.plans.values()} | set(scan.old_paths))
    for source in scan.page_sources:
        page = scan.pages[source.id]
        if not page.draft:
            for old in source.old:
                scan.old_paths.setdefault(old, page.url)
    return scan


def _plan(fields: dict, scan: _Scan, options: Options, tz: ZoneInfo, pattern: str, taken: set[str],
          report: Report) -> None:
    kind, item_id, status = fields.get("wp:post_type", ""), fields.get("wp:post_id", ""), fields.get("wp:status", "")
    if kind == "attachment":
        meta = fields["meta"]
        rel = meta.get("_wp_attached_file", "") or _upload_rel(fields.get("wp:attachment_url", ""), ())
        scan.attachments[item_id] = Attachment(fields.get("wp:attachment_url", ""), rel, _title(fields.get("title", "")),
                                               meta.get("_wp_attachment_image_alt", "").strip(),
                                               _text(fields.get("excerpt:encoded", "")), fields.get("wp:post_parent", ""))
        scan.children.setdefault(fields.get("wp:post_parent", ""), []).append(item_id)
        return
    if kind == "page":
        _plan_page(fields, scan, report)
        return
    if kind != "post":
        report.skip(f"{kind or 'unknown'} items")
        return
    if _left_out(status, "posts", report):
        return
    when = _date(fields, tz)
    if when is None:
        report.warn(f"post {item_id}", "no readable date; skipped")
        report.skip("posts without a date")
        return
    if options.since and when.date() < options.since:
        report.skip("posts before --since")
        return
    draft = status in DRAFTS or bool(fields.get("wp:post_password"))
    content = fields.get("content:encoded", "")
    reasons = spam.reasons(content, scan.hosts) if spam.suspect(content) else ()
    title = _title(fields.get("title", ""))
    slug = _slug(fields.get("wp:post_name", ""), title)
    probe = Item(title=title, date=when, slug=slug, body="")
    chosen, path = unique_path(probe, taken, quarantined=bool(reasons))
    url = permalink(pattern, when, chosen.slug)
    scan.plans[item_id] = Plan(path, url, chosen.slug, when, draft or bool(reasons), reasons)
    if not (draft or reasons):
        for old in _old_paths(fields, scan.hosts):
            scan.old_paths.setdefault(old, url)


def _left_out(status: str, noun: str, report: Report) -> bool:
    """Trashed items and unknown statuses are not imported; the report counts them."""
    if status == "trash":
        report.skip(f"{noun} in the trash")
        return True
    if status not in PUBLISHED | DRAFTS:
        report.skip(f"{noun} with status {status or 'none'}")
        return True
    return False


def _plan_page(fields: dict, scan: _Scan, report: Report) -> None:
    """A page is imported whatever its date (--since is for the news archive, not for Profil)."""
    item_id, status = fields.get("wp:post_id", ""), fields.get("wp:status", "")
    if _left_out(status, "pages", report):
        return
    content = fields.get("content:encoded", "")
    reasons = spam.reasons(content, scan.hosts) if spam.suspect(content) else ()
    title = _title(fields.get("title", ""))
    scan.page_sources.append(wp_pages.PageSource(
        item_id, _slug(fields.get("wp:post_name", ""), title or f"halaman-{item_id}"),
        fields.get("wp:post_parent", "0") or "0", wp_pages.old_paths(fields.get("link", ""), item_id, scan.hosts),
        status in DRAFTS or bool(fields.get("wp:post_password")), reasons))


def _write_page(fields: dict, plan: wp_pages.PagePlan, scan: _Scan, copier: "_Copier", options: Options,
                report: Report) -> None:
    item_id = fields["wp:post_id"]
    where = f"page {item_id} ({plan.path})"
    converted, _ = _convert(fields, where, scan, copier, report)
    title = _title(fields.get("title", ""))
    if not title:
        title = f"Tanpa judul ({item_id})"
        report.warn(where, "the page has no title; it was given one, please write a real one")
    if fields["meta"].get("_thumbnail_id"):
        report.warn(where, "pages have no lead image: the featured image of the WordPress page is left out")
    for old in plan.dropped:
        report.warn(where, f"the old address {old} is now another page of this site; it is not redirected")
    order = fields.get("wp:menu_order", "0")
    parent = fields.get("wp:post_parent", "0")
    extra: dict = {"wordpress_id": int(item_id) if item_id.isdigit() else item_id}
    if parent not in ("", "0"):
        extra["wordpress_parent"] = int(parent) if parent.isdigit() else parent
    if order not in ("", "0"):
        extra["wordpress_menu_order"] = int(order) if order.lstrip("-").isdigit() else order
    if plan.quarantine:
        extra["quarantine"] = list(plan.quarantine)
    page = PageItem(title=title, slug=plan.slug, body=converted.markdown, draft=plan.draft,
                    summary=_text(fields.get("excerpt:encoded", "")), aliases=plan.aliases, extra=extra)
    if not write(options.site_dir, plan.path, page):
        report.existing += 1
        if not _imported_before(options.site_dir / plan.path, item_id):
            report.warn(where, f"{plan.path} is already there and is not this WordPress page; "
                               "the page was not imported (rename one of them and import again)")
        return
    report.redirects += len(plan.aliases)
    report.pages.append({"id": item_id, "title": title, "path": plan.path, "url": plan.url, "draft": plan.draft,
                         "aliases": list(plan.aliases)})
    if plan.quarantine:
        report.quarantined.append({"id": item_id, "title": title, "path": plan.path, "reasons": list(plan.quarantine)})


def _imported_before(path: Path, item_id: str) -> bool:
    """Whether the page file there came from this WordPress page (its extra.wordpress_id)."""
    try:
        front = read_front_matter(str(path), path.read_bytes(), [])
    except (OSError, limits.LimitExceeded):
        return False
    extra = front[0].get("extra") if front is not None else None
    return isinstance(extra, dict) and str(extra.get("wordpress_id")) == item_id


def _convert(fields: dict, where: str, scan: _Scan, copier: "_Copier",
             report: Report) -> tuple[Converted, list[tuple[str, str]]]:
    """The body as Markdown (uploads copied, old addresses made new), and the office files it links."""
    item_id = fields["wp:post_id"]
    files: list[tuple[str, str]] = []

    def rewrite(url: str) -> str:
        url = html_lib.unescape(url.strip())
        rel = _upload_rel(url, scan.hosts)
        if rel:
            local = copier.copy(rel, where)
            if local is None:
                return url
            if local.lower().endswith(FILE_SUFFIXES) and local not in (p for p, _ in files):
                files.append((local, PurePosixPath(local).name))
            return local
        parts = urlsplit(url)
        if (not parts.hostname or parts.hostname.lower() in scan.hosts) and not parts.fragment:
            old = parts.path + (f"?{parts.query}" if parts.query else "")
            return scan.old_paths.get(old) or scan.old_paths.get(parts.path, url) if old else url
        return url

    def gallery(attrs: dict[str, str]) -> list[tuple[str, str, str]]:
        ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()] or scan.children.get(item_id, [])
        images = []
        for attachment in (scan.attachments.get(i) for i in ids):
            if attachment and attachment.rel.lower().endswith(IMAGE_SUFFIXES):
                images.append((rewrite(attachment.url or attachment.rel), attachment.alt or attachment.caption,
                               attachment.caption))
        return images

    converted = to_markdown(fields.get("content:encoded", ""), rewrite, gallery)
    for name in converted.unknown_shortcodes:
        report.shortcodes[name] = report.shortcodes.get(name, 0) + 1
        report.warn(where, f"unknown shortcode [{name}] kept as text")
    return converted, files


def _write_post(fields: dict, plan: Plan, scan: _Scan, copier: "_Copier", config: config_mod.Config,
                options: Options, report: Report, terms: dict[str, str]) -> None:
    item_id = fields["wp:post_id"]
    where = f"post {item_id} ({plan.path})"
    converted, files = _convert(fields, where, scan, copier, report)
    units = {u.lower() for u in options.unit_categories}
    categories, tags, unit = [], [], ""
    for domain, nicename, name in fields["categories"]:
        name = html_lib.unescape(name).strip()
        if domain == "category":
            if not unit and (name.lower() in units or nicename.lower() in units):
                unit = name
                terms.setdefault(f"/category/{_category_path(nicename, scan)}/", f"/unit/{term_slug(name)}/")
            elif name:
                categories.append((nicename, name))
        elif domain == "post_tag" and name:
            tags.append(name)
            if not plan.draft:
                terms.setdefault(f"/tag/{nicename}/", f"/tag/{term_slug(name)}/")
    category = categories[0][1] if categories else ""
    if category and not plan.draft:
        old = _category_path(categories[0][0], scan)
        terms.setdefault(f"/category/{old}/", f"/kategori/{term_slug(category)}/")
        terms.setdefault(f"/category/{old}/feed/", f"/kategori/{term_slug(category)}/feed.xml")
    tags = [name for _, name in categories[1:]] + tags
    author = scan.authors.get(fields.get("dc:creator", ""), fields.get("dc:creator", ""))
    image = image_alt = image_caption = ""
    featured = scan.attachments.get(fields["meta"].get("_thumbnail_id", ""))
    if featured is not None and featured.rel:
        local = copier.copy(featured.rel, where)
        image = local or featured.url
        image_alt, image_caption = featured.alt or featured.caption, featured.caption
    title = _title(fields.get("title", ""))
    if not title:
        title = f"Tanpa judul ({item_id})"
        report.warn(where, "the post has no title; it was given one, please write a real one")
    aliases = () if plan.draft else tuple(p for p in _old_paths(fields, scan.hosts) if p != plan.url)
    item = Item(title=title, date=plan.when, slug=plan.slug, body=converted.markdown, draft=plan.draft,
                summary=_text(fields.get("excerpt:encoded", "")), category=category, tags=tuple(dict.fromkeys(tags)),
                unit=unit, author=author, image=image, image_alt=image_alt, image_caption=image_caption,
                attachments=tuple(files), aliases=aliases, guid=fields.get("guid", ""),
                extra={"wordpress_id": int(item_id) if item_id.isdigit() else item_id,
                       **({"quarantine": list(plan.quarantine)} if plan.quarantine else {})})
    if not write(options.site_dir, plan.path, item):
        report.existing += 1
        return
    report.posts += 1
    report.drafts += plan.draft
    report.redirects += len(aliases)
    report.written.append(plan.path)
    login = fields.get("dc:creator", "")
    if author and not plan.draft and _SLUG_RE.match(login):
        terms.setdefault(f"/author/{login}/", f"/penulis/{term_slug(author)}/")
    if plan.quarantine:
        report.quarantined.append({"id": item_id, "title": title, "path": plan.path, "reasons": list(plan.quarantine)})


def _category_path(nicename: str, scan: _Scan) -> str:
    """WordPress puts a child category below its parents: /category/parent/child/."""
    parts, seen = [nicename], {nicename}
    while (parent := scan.categories.get(parts[0], ("", ""))[1]) and parent not in seen:
        parts.insert(0, parent)
        seen.add(parent)
    return "/".join(parts)


def _old_paths(fields: dict, hosts: tuple[str, ...]) -> list[str]:
    """The addresses the post had: its permalink and /?p=ID."""
    paths = []
    link = urlsplit(fields.get("link", ""))
    if link.path and (not link.hostname or link.hostname.lower() in hosts):
        paths.append(link.path + (f"?{link.query}" if link.query else ""))
    if fields.get("wp:post_id", "").isdigit():
        paths.append(f"/?p={fields['wp:post_id']}")
    return paths


def _upload_rel(url: str, hosts: tuple[str, ...]) -> str:
    """Path below wp-content/uploads/ of an uploaded file's address; '' for anything else."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if UPLOADS_PREFIX in path:
        rel = path.split(UPLOADS_PREFIX, 1)[1]
    elif (parts.hostname or "").endswith(".files.wordpress.com") and re.match(r"^/\d{4}/\d{2}/", path):
        rel = path.lstrip("/")      # WordPress.com keeps uploads on a files. host
    else:
        return ""
    return "" if ".." in rel.split("/") or not rel else rel


class _Copier:
    """Copies uploads into static/wp-content/uploads/ (same paths, so old image addresses keep working)."""

    def __init__(self, options: Options, report: Report) -> None:
        self.uploads, self.static = options.uploads, options.site_dir / "static"
        self.report = report
        self.done: dict[str, str | None] = {}
        self.warned: set[tuple[str, str]] = set()

    def copy(self, rel: str, where: str) -> str | None:
        if rel not in self.done:
            self.done[rel] = self._copy(rel)
        if self.done[rel] is None and (where, rel) not in self.warned:
            self.warned.add((where, rel))
            self.report.warn(where, f"file {rel} is not in {self.uploads or 'the uploads (use --uploads)'}; "
                                    "its old address is kept")
        return self.done[rel]

    def _copy(self, rel: str) -> str | None:
        if self.uploads is None:
            return None
        for candidate in dict.fromkeys((rel, _SIZE_SUFFIX.sub("", rel))):
            source = self.uploads / candidate
            if source.is_file():
                target = self.static / "wp-content" / "uploads" / candidate
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target)
                    if candidate.lower().endswith(IMAGE_SUFFIXES):
                        self.report.images_copied += 1
                    else:
                        self.report.files_copied += 1
                return UPLOADS_PREFIX + candidate
        return None


def _date(fields: dict, tz: ZoneInfo) -> datetime | None:
    for key, zone in (("wp:post_date_gmt", timezone.utc), ("wp:post_date", tz)):
        value = fields.get(key, "")
        if value and not value.startswith("0000"):
            try:
                return datetime.fromisoformat(value).replace(tzinfo=zone).astimezone(tz)
            except ValueError:
                continue
    try:
        return parsedate_to_datetime(fields.get("pubDate", "")).astimezone(tz)
    except (TypeError, ValueError, IndexError):
        return None


def _title(text: str) -> str:
    return " ".join(html_lib.unescape(_TAGS.sub("", text)).split())


def _text(html: str) -> str:
    return " ".join(html_lib.unescape(_TAGS.sub(" ", html)).split())


def _slug(post_name: str, title: str) -> str:
    name = unquote(post_name).strip().lower()
    return name if _SLUG_RE.match(name) else make_slug(name or title)
