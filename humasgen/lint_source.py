"""What the content rules read from one release: its rendered body, scanned, and its lines.

The body is the build's own HTML (no second Markdown parser); the Markdown file is
read again only to point a finding at the line where the writer can fix it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .content import Release

_HEADING = re.compile(r"h([1-6])")


@dataclass(frozen=True, slots=True)
class Ref:
    """One link or image source, and the line it was written on."""
    value: str
    line: int
    tag: str            # 'a', 'img', ... or 'front matter'
    key: str = ""       # front matter key, for front matter references


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Body:
    refs: tuple[Ref, ...]                       # front matter image and attachments, then the body's
    images: tuple[tuple[Ref, str], ...]         # body <img>: (reference to src, alt text)
    headings: tuple[Heading, ...]
    ids: frozenset[str]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []        # (tag, value)
        self.images: list[tuple[str, str]] = []      # (src, alt)
        self.headings: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self._level = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for name in ("href", "src"):
            if values.get(name, "").strip():
                self.refs.append((tag, values[name].strip()))
        if tag == "img":
            self.images.append((values.get("src", "").strip(), values.get("alt", "")))
        match = _HEADING.fullmatch(tag)
        if match:
            self._level, self._text = int(match.group(1)), []

    def handle_endtag(self, tag: str) -> None:
        if self._level and tag == f"h{self._level}":
            self.headings.append((self._level, " ".join("".join(self._text).split())))
            self._level = 0

    def handle_data(self, data: str) -> None:
        if self._level:
            self._text.append(data)


class _Lines:
    """The body as written, to find the line a link or heading came from."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.lines = text.split("\n")
        self.seen: Counter[str] = Counter()

    def of(self, needle: str) -> int:
        """Line of the next occurrence of `needle` (the n-th call finds the n-th one).

        An occurrence must stand alone, as Markdown writes a link: `(/a/)`, `<a>`, `[x]: /a`,
        `src="/a"`; so `/a/` is not found inside `https://host/a/`. Else any occurrence.
        """
        nth = self.seen[needle]
        self.seen[needle] += 1
        bounded = re.compile(r"(?:^|(?<=[(<\s\"'=]))" + re.escape(needle) + r"(?=[)>\s\"']|$)", re.M)
        starts = [m.start() for m in bounded.finditer(self.text)]
        if not starts:
            at = self.text.find(needle)
            starts = [at] if at >= 0 else []
        if not starts:
            return self.first_line
        return self.first_line + self.text.count("\n", 0, starts[min(nth, len(starts) - 1)])

    def heading(self, text: str, after: int) -> int:
        """Line of the first heading from `after` on that reads `text` (else any line that does)."""
        wanted = _normal(text)
        start = max(0, after - self.first_line)
        for looks_like_heading in (True, False):
            for index in range(start, len(self.lines)):
                line = self.lines[index]
                if looks_like_heading and not (_ATX.match(line) or "<h" in line.lower() or (
                        index + 1 < len(self.lines) and _SETEXT.match(self.lines[index + 1]) and line.strip())):
                    continue
                if wanted and wanted in _normal(line):
                    return self.first_line + index
        return max(after, self.first_line)


_ATX = re.compile(r" {0,3}#{1,6}(\s|$)")
_SETEXT = re.compile(r" {0,3}(=+|-+)\s*$")
_MARKUP = re.compile(r"\]\([^)]*\)|[*_`#\[\]<>{}]|</?h[1-6][^>]*>")


def _normal(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", text).casefold().split())


def read_body(site_dir: Path, release: Release) -> tuple[str, int]:
    """The Markdown body of a release file as written, and its first line."""
    try:
        text = (site_dir / release.source).read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
    except OSError:
        return "", release.body_line
    lines = text.split("\n")
    return "\n".join(lines[release.body_line - 1:]), release.body_line


def scan(release: Release, source_text: str, first_line: int) -> Body:
    """Links, images, headings and ids of a release, each with its line in the file."""
    scanner = _Scanner()
    scanner.feed(release.body_html)
    scanner.close()
    lines = _Lines(source_text, first_line)
    refs: list[Ref] = []
    if release.image:
        refs.append(Ref(release.image, release.lines.get("image", 1), "front matter", "image"))
    for attachment in release.attachments:
        refs.append(Ref(attachment.path, release.lines.get("attachments", 1), "front matter", "attachments"))
    body_refs = [Ref(value, lines.of(value), tag) for tag, value in scanner.refs]
    refs.extend(body_refs)
    image_lines = {ref.value: [] for ref in body_refs}
    for ref in body_refs:
        if ref.tag == "img":
            image_lines[ref.value].append(ref)
    images = []
    for src, alt in scanner.images:
        found = image_lines.get(src)
        ref = found.pop(0) if found else Ref(src, first_line, "img")
        images.append((ref, alt))
    headings = []
    cursor = first_line
    for level, text in scanner.headings:
        cursor = lines.heading(text, cursor)
        headings.append(Heading(level, text, cursor))
        cursor += 1
    return Body(tuple(refs), tuple(images), tuple(headings), frozenset(scanner.ids))
