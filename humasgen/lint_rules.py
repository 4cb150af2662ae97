"""The rules of `humasgen check`: each reads the lint Context and yields Diagnostics.

A rule only reads what the build already computed (releases, the output paths, the
ids of rendered pages) plus the scanned bodies of `lint_source`. Its id is what
`[check] disable = [...]` in humasgen.toml switches off.
"""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping
from urllib.parse import unquote, urljoin, urlsplit

from .config import CONFIG_NAME, CheckConfig, Config, key_line
from .content import Release
from .errors import Diagnostic
from .lint_source import Body, Ref, read_body

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff", ".bmp")
RESIZE_HINT = ("resize it to 1600 px on the long side and save it as JPEG quality 80, a few hundred KB; "
               "any photo editor does it, or `convert IN -resize '1600x1600>' -quality 80 OUT.jpg`")


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the rules look at, computed once by `check.run`."""
    site_dir: Path
    config: Config
    now: datetime                               # in the site timezone
    releases: tuple[Release, ...]               # every release: drafts and scheduled ones too
    live: frozenset[str]                        # ids of the releases a build now would publish
    outputs_now: frozenset[str]                 # what a build now would write
    outputs_all: frozenset[str]                 # ... with drafts and scheduled releases
    page_release: Mapping[str, Release]         # output path of a release page -> release
    page_ids: Mapping[str, frozenset[str]]      # output path of an HTML page -> its element ids
    static: Mapping[str, Path]                  # output path -> source file
    bodies: Mapping[str, Body]                  # release id -> scanned body

    @property
    def limits(self) -> CheckConfig:
        return self.config.check

    def resolve(self, release: Release, value: str) -> tuple[str, str] | None:
        """(output path, fragment) a link of `release` points at; None when it leaves the site."""
        parts = urlsplit(value)
        if parts.scheme.lower() in ("http", "https") or (not parts.scheme and parts.netloc):
            base = urlsplit(self.config.base_url)
            base_path = self.config.base_path
            if parts.netloc.lower() != base.netloc.lower():
                return None
            if base_path and not (parts.path + "/").startswith(base_path + "/"):
                return None
            path = parts.path[len(base_path):] or "/"
        elif parts.scheme:
            return None                         # mailto:, tel:, data:, ...
        else:
            path = parts.path
        page = "/" + _page_path(release.url)
        target = unquote(urlsplit(urljoin(page, path)).path) if path else page
        out = target.lstrip("/")
        if out == "" or out.endswith("/"):
            out += "index.html"
        if out not in self.outputs_all and out + "/index.html" in self.outputs_all:
            out += "/index.html"                # /x -> /x/: every static host redirects
        return out, unquote(parts.fragment)


def _plain_site_path(value: str) -> bool:
    """A path from the site root that resolves to itself (no host, query, escape or dot segment)."""
    return value.startswith("/") and not value.startswith("//") and "/." not in value \
        and not any(c in value for c in "?#%\\")


def _page_path(url: str) -> str:
    return url.lstrip("/") + "index.html"


def _diag(release: Release, line: int | None, message: str, hint: str, severity: str, rule: str) -> Diagnostic:
    return Diagnostic(release.source, line, message, hint, severity, rule)


def image_alt(ctx: Context) -> Iterator[Diagnostic]:
    for r in ctx.releases:
        if r.image and not r.image_alt.strip():
            yield _diag(r, r.lines.get("image"), "the lead image has no alt text",
                        'add image_alt: "what the photo shows", for readers who cannot see it', "error", "image-alt")
        body = ctx.bodies.get(r.id)
        for ref, alt in body.images if body else ():
            if not alt.strip():
                # An imported archive (thousands of old posts) must not stop publishing: a warning there.
                yield _diag(r, ref.line, f"image {ref.value} has no alt text",
                            f"describe what it shows: ![Gubernur meninjau ...]({ref.value})",
                            "warning" if r.imported else "error", "image-alt")


def image_credit(ctx: Context) -> Iterator[Diagnostic]:
    for r in ctx.releases:
        if not r.image:
            continue
        missing = [name for name, value in (("caption", r.image_caption), ("credit", r.image_credit))
                   if not value.strip()]
        if missing:
            hints = {"caption": 'image_caption: "who, what, where, when"',
                     "credit": 'image_credit: "Foto: Diskominfo/Nama Fotografer"'}
            yield _diag(r, r.lines.get("image"), f"the lead image has no {' and no '.join(missing)}",
                        "add " + " and ".join(hints[m] for m in missing), "warning", "image-credit")


def broken_link(ctx: Context) -> Iterator[Diagnostic]:
    by_source = {r.source: r for r in ctx.releases}
    for r in ctx.releases:
        for ref in ctx.bodies[r.id].refs:
            target = ctx.resolve(r, ref.value)
            if target is None:
                continue
            found = _target_problem(ctx, r, target[0], ref.value)
            if found is not None:
                severity, message = found
                yield _diag(r, ref.line, message, _link_hint(ctx, r, ref, target[0], by_source),
                            "warning" if r.imported else severity, "broken-link")   # an old archive: see image_alt
    yield from broken_logo(ctx)


def broken_logo(ctx: Context) -> Iterator[Diagnostic]:
    """The logo in humasgen.toml is on every page: a wrong path breaks them all."""
    logo = ctx.config.logo
    if not logo or urlsplit(logo).scheme or logo.startswith("//"):
        return
    if logo.lstrip("/") not in ctx.outputs_all:
        text = (ctx.site_dir / CONFIG_NAME).read_text(encoding="utf-8")
        yield Diagnostic(CONFIG_NAME, key_line(text, (), "logo"), f"the logo {logo} does not exist on the site",
                         "fix the path, or put it in static/: static/images/logo.png is /images/logo.png",
                         "error", "broken-link")


def _target_problem(ctx: Context, source: Release, path: str, link: str) -> tuple[str, str] | None:
    """(severity, message) when `link` from `source` does not lead to a published page or file."""
    if path not in ctx.outputs_all:
        return "error", f"{link} does not exist on the site"
    target = ctx.page_release.get(path)
    if target is not None:
        if target.draft and not source.draft:
            return "error", f"{link} is a draft ({target.source}); the link will not work"
        if not target.draft and not source.draft and target.date > max(source.date, ctx.now):
            return "warning", (f"{link} is not published until {target.date.isoformat(' ', 'minutes')}; "
                               "until then the link leads nowhere")
        return None
    if source.id in ctx.live and path not in ctx.outputs_now:
        return "warning", f"{link} exists only once draft or scheduled releases are published"
    return None


def _link_hint(ctx: Context, release: Release, ref: Ref, path: str, by_source: Mapping[str, Release]) -> str:
    if path.endswith(".md"):
        written = unquote(urlsplit(ref.value).path)
        beside = posixpath.normpath(posixpath.join(posixpath.dirname(release.source), written))
        other = by_source.get(beside) or next(
            (r for source, r in sorted(by_source.items()) if source.endswith("/" + posixpath.basename(written))), None)
        if other is not None:
            return f"link to the page, not the file: {other.url}"
    base_path = ctx.config.base_path
    if base_path and ref.value.startswith(base_path + "/"):
        return (f"write links from the site root, without {base_path}: the build adds it "
                f"and expects {ref.value[len(base_path):]}")
    beside = ctx.site_dir / posixpath.dirname(release.source) / unquote(urlsplit(ref.value).path)
    if not ref.value.startswith("/") and urlsplit(ref.value).path and beside.is_file():
        folder = "images" if ref.tag == "img" or ref.key == "image" else "files"
        return (f"files in content/ are not published: move it to static/{folder}/ "
                f"and write /{folder}/{beside.name}")
    if not ref.value.startswith(("/", "#", "http:", "https:")) and ref.value[:1].isalnum():
        return f"write site paths from the root, e.g. /{ref.value.lstrip('./')}"
    if ref.key == "image" or ref.tag == "img":
        return "fix the path, or put the image in static/: static/images/x.jpg is /images/x.jpg"
    if ref.key == "attachments":
        return "fix the path, or put the file in static/: static/files/x.pdf is /files/x.pdf"
    return "check the address; a renamed release keeps its old URL only with a 'slug:' line"


def broken_anchor(ctx: Context) -> Iterator[Diagnostic]:
    for r in ctx.releases:
        for ref in ctx.bodies[r.id].refs:
            target = ctx.resolve(r, ref.value)
            if target is None or target[1] in ("", "top") or target[0] not in ctx.outputs_all:
                continue
            path, fragment = target
            own = path == _page_path(r.url)
            ids = ctx.bodies[r.id].ids | ctx.page_ids.get(path, frozenset()) if own else ctx.page_ids.get(path)
            if ids is None or fragment in ids:
                continue
            where = "this page" if own else "/" + path.removesuffix("index.html")
            yield _diag(r, ref.line, f"anchor #{fragment} does not exist on {where}",
                        _anchor_hint(fragment, ids), "warning", "broken-anchor")


def _anchor_hint(fragment: str, ids: frozenset[str]) -> str:
    from difflib import get_close_matches
    close = get_close_matches(fragment, sorted(ids), n=1, cutoff=0.6)
    if close:
        return f"did you mean #{close[0]}?"
    return "headings get ids from their text, e.g. '## Jadwal Layanan' is #jadwal-layanan"


def insecure_link(ctx: Context) -> Iterator[Diagnostic]:
    if urlsplit(ctx.config.base_url).scheme != "https":
        return
    for r in ctx.releases:
        for ref in ctx.bodies[r.id].refs:
            if not ref.value.lower().startswith("http://"):
                continue
            if ref.tag in ("img", "source", "video", "audio", "iframe", "script") or ref.key == "image":
                message = f"{ref.value} is loaded over http:// on an https site; browsers block it (mixed content)"
            else:
                message = f"link {ref.value} uses http:// on an https site"
            yield _diag(r, ref.line, message, "use https://; almost every site supports it", "warning", "insecure-link")


def title_length(ctx: Context) -> Iterator[Diagnostic]:
    low, high = ctx.limits.title_min, ctx.limits.title_max
    for r in ctx.releases:
        size = len(r.title)
        line = r.lines.get("title")
        if size > high:
            keep = "" if "slug" in r.lines else f"; add 'slug: {r.slug}' first if it is published, to keep its URL"
            yield _diag(r, line, f"the title is {size} characters; Google News and search results cut "
                        f"headlines longer than about {high}",
                        f"shorten it to at most {high} characters{keep}", "warning", "title-length")
        elif size < low:
            yield _diag(r, line, f"the title is only {size} characters",
                        f"write a headline of at least {low} characters that says who did what",
                        "warning", "title-length")


def summary_length(ctx: Context) -> Iterator[Diagnostic]:
    high = ctx.limits.summary_max
    for r in ctx.releases:
        if "summary" in r.lines and len(r.summary) > high:
            yield _diag(r, r.lines["summary"], f"the summary is {len(r.summary)} characters; search engines "
                        f"cut meta descriptions at about {high}",
                        f"shorten it to at most {high} characters: one sentence with the news",
                        "warning", "summary-length")


def duplicate_title(ctx: Context) -> Iterator[Diagnostic]:
    window = timedelta(days=ctx.limits.duplicate_days)
    groups: dict[str, list[Release]] = defaultdict(list)
    for r in ctx.releases:
        groups[" ".join(r.title.casefold().split())].append(r)
    for same in groups.values():
        same.sort(key=lambda r: (r.date, r.source))
        for older, newer in zip(same, same[1:]):
            if newer.date - older.date <= window:
                yield _diag(newer, newer.lines.get("title"),
                            f"the same title as {older.source} ({older.date.date().isoformat()})",
                            "give each release its own headline; to correct a release, edit it and set 'updated:'",
                            "warning", "duplicate-title")


def image_size(ctx: Context) -> Iterator[Diagnostic]:
    from PIL import Image, UnidentifiedImageError

    used: dict[str, set[str]] = defaultdict(set)
    for r in ctx.releases:
        for ref in ctx.bodies[r.id].refs:
            target = ctx.resolve(r, ref.value)
            if target is not None:
                used[target[0]].add(r.source)
    site = ctx.site_dir.resolve()
    max_bytes, max_px = ctx.limits.image_max_kb * 1000, ctx.limits.image_max_px
    for out, source in ctx.static.items():
        if not out.lower().endswith(IMAGE_SUFFIXES) or not source.resolve().is_relative_to(site):
            continue
        size = source.stat().st_size
        try:
            with Image.open(source) as image:
                width, height = image.size
        except (OSError, UnidentifiedImageError):
            width = height = 0
        problems = []
        if size > max_bytes:
            problems.append(f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size // 1000} KB")
        if max(width, height) > max_px:
            problems.append(f"{width}×{height} px")
        if not problems:
            continue
        users = sorted(used.get(out, ()))
        where = f" (used by {', '.join(users[:3])}{' and more' if len(users) > 3 else ''})" if users else ""
        yield Diagnostic(source.resolve().relative_to(site).as_posix(), None,
                         f"image is too large: {' and '.join(problems)}{where}; readers on mobile data pay for it",
                         RESIZE_HINT, "warning", "image-size")


def heading_order(ctx: Context) -> Iterator[Diagnostic]:
    for r in ctx.releases:
        previous = 1                            # the page title is the h1
        for heading in ctx.bodies[r.id].headings:
            if heading.level == 1:
                yield _diag(r, heading.line, f"heading '{heading.text}' is level 1, like the page title",
                            "start sections in the text at ## (level 2)", "warning", "heading-order")
            elif heading.level > previous + 1:
                yield _diag(r, heading.line, f"heading '{heading.text}' jumps from level {previous} "
                            f"to level {heading.level}",
                            f"use {'#' * (previous + 1)} here: levels go down one at a time, starting at ##",
                            "warning", "heading-order")
            previous = heading.level


def future_date(ctx: Context) -> Iterator[Diagnostic]:
    horizon = ctx.now + timedelta(days=ctx.limits.future_days)
    for r in ctx.releases:
        for key, when in (("date", r.date), ("updated", r.updated)):
            if when is not None and when > horizon:
                yield _diag(r, r.lines.get(key), f"'{key}' {when.date().isoformat()} is more than "
                            f"{ctx.limits.future_days} days ahead", f"is the year right? It is {ctx.now.year} now",
                            "warning", "future-date")


def control_characters(ctx: Context) -> Iterator[Diagnostic]:
    """Characters pasted from office documents (U+000B, U+000C...): the build drops them, the source keeps them."""
    from .safety.text import control_lines
    for release in ctx.releases:
        try:
            text = (ctx.site_dir / release.source).read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        for line, chars in control_lines(text):
            yield _diag(release, line, f"invisible control characters ({chars}) in this line",
                        "the build leaves them out of the pages; delete them here (retype the line, or paste "
                        "the text as plain text)", "warning", "control-characters")


def embargo_past(ctx: Context) -> Iterator[Diagnostic]:
    for r in ctx.releases:
        if r.embargo and r.date <= ctx.now:
            yield _diag(r, r.lines.get("embargo"), "the release is embargoed but its date has passed: it is "
                        "published normally", "remove 'embargo: true', or correct the date", "warning",
                        "embargo-past")


def lone_translation(ctx: Context) -> Iterator[Diagnostic]:
    count: dict[str, int] = defaultdict(int)
    for r in ctx.releases:
        count[r.translation_key] += bool(r.translation_key)
    for r in ctx.releases:
        if r.translation_key and count[r.translation_key] == 1:
            yield _diag(r, r.lines.get("translation_key"), f"no other release has translation_key "
                        f"'{r.translation_key}'", "write the same key in the other language's file "
                        "(pages in content/halaman/ link only to pages)", "warning", "lone-translation")


def _placeholder_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Text nobody publishes on purpose: filler, notes to self, and the sample text of `humasgen new`."""
    return ((re.compile(r"(?i:lorem ipsum)"), "'Lorem ipsum'"),
            (re.compile(r"\b(?:TODO|TBD|XXX)\b"), "a TODO note"),
            (re.compile(r"(?i:^\W*judul(?: rilis)?\W*$|\bjudul rilis\b)"), "'Judul rilis'"),
            *((re.compile(f"(?i:{re.escape(s)})"), "the sample text of a new release") for s in _sample_starts()))


# The only letters that IGNORECASE matches with ASCII ones besides their own case (re's own table).
_CASE_ALIKE = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_ALIKE_LETTERS = tuple(map(chr, _CASE_ALIKE))


def _placeholder_clues() -> tuple[str, ...] | None:
    """Lower-case text without which no case-insensitive placeholder pattern can match; None
    when a clue is not ASCII (the look below would not be exact: every body is then searched)."""
    clues = ("lorem ipsum", "judul", *(s.lower() for s in _sample_starts()))
    return clues if all(map(str.isascii, clues)) else None


def _sample_starts() -> list[str]:
    """The first 40 characters of each sentence of the sample text `humasgen new` writes."""
    from .scaffold import RELEASE_TEMPLATE
    sample = RELEASE_TEMPLATE.split("\n---\n", 1)[1]
    return [s.strip()[:40] for s in re.split(r"(?<=[.:])\s+", sample) if len(s.strip()) > 25]


def could_hold_placeholder(text: str, clues: tuple[str, ...] | None) -> bool:
    """False only when no placeholder pattern can match `text`: a look for plain substrings, ten
    times cheaper than the patterns, which then run only on the few bodies that pass."""
    if clues is None or "TODO" in text or "TBD" in text or "XXX" in text:
        return True
    if not text.isascii() and any(letter in text for letter in _ALIKE_LETTERS):     # rare: translate() is slow
        text = text.translate(_CASE_ALIKE)
    folded = text.lower()
    return any(clue in folded for clue in clues)


def placeholder(ctx: Context) -> Iterator[Diagnostic]:
    patterns = _placeholder_patterns()
    anywhere = re.compile("|".join(pattern.pattern for pattern, _ in patterns), re.M)
    clues = _placeholder_clues()
    for r in ctx.releases:
        found: list[tuple[int | None, str]] = []
        for key in ("title", "summary"):
            value = getattr(r, key)
            what = next((name for pattern, name in patterns if pattern.search(value)), None)
            if what and (key != "summary" or "summary" in r.lines):
                found.append((r.lines.get(key), what))
        text, first = read_body(ctx.site_dir, r)
        suspect = could_hold_placeholder(text, clues) and anywhere.search(text)
        for number, line in enumerate(text.split("\n") if suspect else (), first):
            what = next((name for pattern, name in patterns if pattern.search(line)), None)
            if what:
                found.append((number, what))
        for line, what in found:
            if r.draft or r.imported:       # an imported archive was published as it is: shown, not blocking
                yield _diag(r, line, f"placeholder text: {what}", "replace it before the release is published",
                            "warning", "placeholder")
            else:
                yield _diag(r, line, f"placeholder text in a release that is not a draft: {what}",
                            "replace it with the real text, or set 'draft: true' until it is ready",
                            "error", "placeholder")


def highlights(ctx: Context) -> Iterator[Diagnostic]:
    from .social.highlights import check_override
    for r in ctx.releases:
        problem = check_override(r)
        if problem is not None:
            yield replace(problem, severity="error", rule="highlights")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    summary: str
    run: Callable[[Context], Iterable[Diagnostic]]
    metadata: bool = False      # reads front matter only: cheap enough to run in every build
    by_release: bool = False    # looks at each release alone (and reads its file): run on parts of them at once


RULES: tuple[Rule, ...] = (
    Rule("image-alt", "lead or body image without alt text (error)", image_alt, metadata=True),
    Rule("image-credit", "lead image without caption or credit", image_credit, metadata=True),
    Rule("broken-link", "link or image to a page or file the build does not write (error)", broken_link),
    Rule("broken-anchor", "link to an #anchor that is not on the target page", broken_anchor),
    Rule("insecure-link", "http:// link or image on an https site", insecure_link),
    Rule("title-length", "title longer than Google News shows well, or very short", title_length, metadata=True),
    Rule("summary-length", "summary longer than a meta description", summary_length, metadata=True),
    Rule("duplicate-title", "the same title twice within a short time", duplicate_title, metadata=True),
    Rule("image-size", "image in static/ far too large in bytes or pixels", image_size),
    Rule("heading-order", "heading levels in the text that skip, or a second h1", heading_order),
    Rule("placeholder", "placeholder text (Lorem ipsum, TODO, the sample text of a new release) (error)",
         placeholder, by_release=True),
    Rule("future-date", "date far in the future, likely a typo in the year", future_date, metadata=True),
    Rule("control-characters", "invisible control characters (pasted from office documents)", control_characters,
         by_release=True),
    Rule("embargo-past", "embargo on a release whose date has passed", embargo_past, metadata=True),
    Rule("lone-translation", "translation_key that links to no other release", lone_translation, metadata=True),
    Rule("highlights", "extra.highlights that the social video cannot use (error)", highlights, metadata=True),
)


def build_warnings(site_dir: Path, config: Config, releases: tuple[Release, ...],
                   now: datetime) -> tuple[Diagnostic, ...]:
    """The front-matter rules, as warnings of a build (so `build --strict` means something).

    They cost next to nothing; the rules that scan bodies, render pages or open images
    stay in `humasgen check`, which is the gate a CI pipeline runs before building.
    """
    context = Context(site_dir=site_dir, config=config, now=now, releases=releases, live=frozenset(),
                      outputs_now=frozenset(), outputs_all=frozenset(), page_release={}, page_ids={},
                      static={}, bodies={})
    disabled = set(config.check.disable)
    found = [replace(d, severity="warning") for rule in RULES if rule.metadata and rule.id not in disabled
             for d in rule.run(context)]
    return tuple(sorted(found, key=lambda d: (*d.sort_key(), d.rule)))


def missing_lead_images(site_dir: Path, config: Config, releases: Iterable[Release],
                        static: Mapping[str, Path]) -> tuple[Diagnostic, ...]:
    """Lead images of the releases a build publishes that are not among the site's files: errors of
    the build itself (a page, a feed entry and a share preview would all point at nothing)."""
    context = Context(site_dir=site_dir, config=config, now=datetime.min, releases=(), live=frozenset(),
                      outputs_now=frozenset(), outputs_all=frozenset(static), page_release={}, page_ids={},
                      static=static, bodies={})
    found = []
    for r in releases:
        if _plain_site_path(r.image) and r.image[1:] in static:
            continue
        target = context.resolve(r, r.image) if r.image else None
        if target is not None and target[0] not in static:
            beside = site_dir / posixpath.dirname(r.source) / unquote(urlsplit(r.image).path)
            hint = (f"files in content/ are not published: move it to static/images/ and write "
                    f"image: /images/{beside.name}") if beside.is_file() and not r.image.startswith("/") else \
                "fix the path, or put the image in static/: static/images/x.jpg is /images/x.jpg"
            found.append(_diag(r, r.lines.get("image"), f"the lead image {r.image} does not exist", hint,
                               "error", "broken-link"))
    return tuple(found)
