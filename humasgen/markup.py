"""Markdown body -> HTML, with the extensions a press release needs.

One Markdown instance per process, reset between documents: building it costs
more than converting a typical release.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
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


class LazyImagesExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_LazyImages(md), "lazy_images", 0)
        md.treeprocessors.register(_ScrollableTables(md), "scrollable_tables", 1)


@lru_cache(maxsize=4)
def _converter(language: str) -> markdown.Markdown:
    title = BACKLINK_TITLES.get(language.split("-")[0], BACKLINK_TITLES["en"])
    return markdown.Markdown(extensions=[*EXTENSIONS, LazyImagesExtension()], output_format="html",
                             extension_configs={"footnotes": {"BACKLINK_TITLE": title}})


def to_html(text: str, language: str = "id") -> str:
    md = _converter(language)
    md.reset()
    return md.convert(text)


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


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
