"""Markdown body -> HTML, with the extensions a press release needs.

Markdown instances are kept per process (one per language and set of extensions in use)
and reset between documents: building one costs more than converting a typical release.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import lru_cache
from typing import Any

import markdown
from markdown import inlinepatterns, treeprocessors, util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ("tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists")
# Part of the parse-cache key: change it whenever the HTML produced would change.
SETTINGS = "md:" + markdown.__version__ + ":" + ",".join(EXTENSIONS) + ":lazyimg1:fnlang1:tablescroll1"
# The footnote back-link's tooltip, in the release's language (Python-Markdown's default is English).
BACKLINK_TITLES = {"id": "Kembali ke catatan kaki %d di teks", "en": "Jump back to footnote %d in the text"}


class _LazyImages(Treeprocessor):
    def run(self, root):
        for img in root.iter("img"):
            img.set("loading", "lazy")
            img.set("decoding", "async")
            img.set("alt", img.get("alt") or "")
        return None


class _ScrollableTables(Treeprocessor):
    """Wide tables scroll sideways inside a box that keyboard users can focus (WCAG 2.1.1)."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    box = etree.Element("div", {"class": "table-scroll", "tabindex": "0"})
                    box.tail, child.tail = child.tail, None
                    parent.remove(child)
                    box.append(child)
                    parent.insert(index, box)
        return None


# A text a pattern's regular expression cannot match without (each pattern's *_RE in
# markdown.inlinepatterns and extensions/footnotes.py). Patterns not named here always run.
_TRIGGERS = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[",), "reference": ("[",), "link": ("[",),
    "image_link": ("[",), "image_reference": ("[",), "short_reference": ("[",), "short_image_ref": ("[",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",), "linebreak": ("  \n",),
}


class _SkippingInline(treeprocessors.InlineProcessor):
    """Python-Markdown's inline pass, minus the patterns that cannot match a piece of text.

    Stock Python-Markdown tries all ~16 inline patterns on every text node, and most nodes of
    a release (plain sentences) contain none of the characters those patterns start with;
    that was half the time of a conversion. Skipping a pattern that cannot match is what its
    own failed search would have done, so the HTML is the same (tests/test_markup.py checks
    it against the stock converter).
    """

    _plan: list | None = None

    def run(self, tree, ancestors=None):
        if self._plan is None:          # the patterns are fixed once the converter is built
            self._make_plan()
        return super().run(tree, ancestors)

    def _make_plan(self) -> None:
        patterns = self.inlinePatterns
        self._plan = [(pattern, tuple(pattern.tokens) if isinstance(pattern, inlinepatterns.DelimiterProcessor)
                       else None) for pattern in patterns]
        for name, triggers in _TRIGGERS.items():
            if name in patterns:
                self._plan[patterns.get_index_for_name(name)] = (patterns[name], triggers)
        # One search tells whether any pattern can match a text at all (None: some pattern always runs).
        known = [triggers for _, triggers in self._plan]
        self._any = None if None in known else re.compile("|".join(
            re.escape(text) for text in sorted({text for triggers in known for text in triggers})))

    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if isinstance(data, util.AtomicString) or (self._any is not None and not self._any.search(data)):
            return data
        plan, start = self._plan, 0
        apply = self._InlineProcessor__applyPattern
        while patternIndex < len(plan):
            pattern, triggers = plan[patternIndex]
            if triggers is not None and not any(text in data for text in triggers):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


# A text a block processor's test cannot pass without (each processor's RE in markdown.blockprocessors
# and the extensions). "reference" and "footnote" always pass their test and give up in run()
# when their RE finds nothing. Processors not named here are always tried.
_BLOCK_TRIGGERS = {
    "hashheader": ("#",), "setextheader": ("\n=", "\n-"), "quote": (">",), "table": ("|",),
    "hr": tuple(mark + gap + mark for mark in "-_*" for gap in ("", " ", "  ")),   # 3 marks, <= 2 spaces apart
    "reference": ("]:",), "footnote": ("[^",),
}


def _skipping_block_parser(md: markdown.Markdown) -> None:
    """Python-Markdown's block loop, minus the processors that cannot accept a block.

    A plain paragraph used to go through a dozen regular-expression searches before the
    paragraph processor took it. A skipped processor is one whose own test would have said
    no, so the tree is the same.
    """
    processors = md.parser.blockprocessors
    plan = [(processor, None) for processor in processors]
    for name, triggers in _BLOCK_TRIGGERS.items():
        if name in processors:
            search = re.compile("|".join(map(re.escape, triggers))).search
            plan[processors.get_index_for_name(name)] = (processors[name], search)

    def parse_blocks(parent, blocks: list[str]) -> None:
        while blocks:
            for processor, can_match in plan:
                if can_match is not None and can_match(blocks[0]) is None:
                    continue
                if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                    break
    md.parser.parseBlocks = parse_blocks


def _fast_is_block_level(md: markdown.Markdown) -> None:
    """The same answer, remembered per tag: the stock method searches a list of 60 names, for every element."""
    names = frozenset(md.block_level_elements)
    known: dict[Any, bool] = {}

    def is_block_level(tag: Any) -> bool:
        try:
            return known[tag]
        except KeyError:
            known[tag] = answer = isinstance(tag, str) and tag.lower().rstrip("/") in names
            return answer
    md.is_block_level = is_block_level


class _SkippingUnescape(treeprocessors.UnescapeTreeprocessor):
    """Backslash escapes are restored only in texts that hold one (most hold none)."""

    def unescape(self, text: str) -> str:
        return super().unescape(text) if util.STX in text else text


class LazyImagesExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_LazyImages(md), "lazy_images", 0)
        md.treeprocessors.register(_ScrollableTables(md), "scrollable_tables", 1)


def _speed_up(md: markdown.Markdown) -> markdown.Markdown:
    """Python-Markdown with the shortcuts above; the HTML stays that of the stock converter."""
    if hasattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern"):
        md.treeprocessors.register(_SkippingInline(md), "inline", 20)
    md.treeprocessors.register(_SkippingUnescape(md), "unescape", 0)
    _skipping_block_parser(md)
    _fast_is_block_level(md)
    return md


# Extensions that do nothing unless the source holds one of these texts. A release that holds
# none of them is converted without the extension: same HTML, fewer passes over the tree.
# fenced_code reads a fence's options differently when attr_list is loaded, so a fence brings
# attr_list along: what a block renders to never depends on a brace elsewhere in the release.
_OPTIONAL = {"tables": ("|",), "footnotes": ("[^",), "attr_list": ("{", "```", "~~~"),
             "fenced_code": ("```", "~~~")}
_TOC_MARKER = "[TOC]"


@lru_cache(maxsize=64)
def _converter(language: str, extensions: tuple[str, ...], toc_marker: bool) -> markdown.Markdown:
    title = BACKLINK_TITLES.get(language.split("-")[0], BACKLINK_TITLES["en"])
    return _speed_up(markdown.Markdown(extensions=[*extensions, LazyImagesExtension()], output_format="html",
                                       extension_configs={"footnotes": {"BACKLINK_TITLE": title},
                                                          "toc": {"marker": _TOC_MARKER if toc_marker else ""}}))


def to_html(text: str, language: str = "id") -> str:
    extensions = tuple(name for name in EXTENSIONS
                       if name not in _OPTIONAL or any(mark in text for mark in _OPTIONAL[name]))
    md = _converter(language, extensions, _TOC_MARKER in text)
    md.reset()
    return md.convert(text)


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


_SITE_IMG = re.compile(r'<img\b[^>]*?\ssrc="(/[^"/][^"]*)"')


def site_images(body_html: str) -> tuple[str, ...]:
    """Site paths of the images a body shows (`<img src="/...">`, query and fragment cut), sorted."""
    return tuple(sorted({p.split("?", 1)[0].split("#", 1)[0] for p in _SITE_IMG.findall(body_html)}))


def first_paragraph(body_html: str) -> str:
    """Plain text of the first paragraph, for summaries and meta descriptions."""
    match = _PARAGRAPH.search(body_html)
    return plain_text(match.group(1)) if match else ""


def paragraphs(body_html: str) -> list[str]:
    """Plain text of every non-empty paragraph, in order."""
    return [text for text in map(plain_text, _PARAGRAPH.findall(body_html)) if text]


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def with_dateline(body_html: str, city: str) -> str:
    """Put 'CITY –' in front of the first paragraph, as press releases are set."""
    if not city:
        return body_html
    mark = f'<p><span class="dateline">{html.escape(city.upper())} –</span> '
    if body_html.startswith("<p>"):
        return mark + body_html[3:]
    return mark + "</p>\n" + body_html


def truncate(text: str, limit: int) -> str:
    """Cut plain text at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-") + "…"
