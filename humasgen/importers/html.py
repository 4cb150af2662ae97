"""Old HTML bodies -> Markdown, with markdownify doing the conversion.

What WordPress adds on top of HTML is handled first: Gutenberg block comments are removed,
`wpautop` paragraphs (blank lines in classic-editor posts) become <p>, `[caption]` becomes a
<figure> with its caption, `[gallery]` a list of images, `[embed]`/`[youtube]`/`[video]`/`[audio]`
and lone video URLs become links. Any other shortcode is left in the text, visibly, and returned
so the report can list it. Addresses go through `rewrite` (uploads -> static/, old posts -> new URLs).
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from markdownify import MarkdownConverter

Rewrite = Callable[[str], str]                  # an old address -> the address to write
Gallery = Callable[[dict[str, str]], Sequence[tuple[str, str, str]]]   # attributes -> (src, alt, caption)

_GUTENBERG = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.S)
_SHORTCODE = re.compile(r"\[(/?)([A-Za-z_][\w-]*)((?:\s[^\[\]]*)?|=[^\[\]]*)\]")
_CAPTION = re.compile(r"\[(?:wp_)?caption([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.S | re.I)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_ATTR = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\']+))')
_BLOCK = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|table|blockquote|pre|figure|hr|dl|form|address|section|"
                    r"iframe|img|!--)", re.I)
_LONE_URL = re.compile(r"^\s*(https?://\S+)\s*$", re.M)
KNOWN = {"caption", "wp_caption", "gallery", "embed", "youtube", "video", "audio", "playlist"}


@dataclass(frozen=True, slots=True)
class Converted:
    markdown: str
    unknown_shortcodes: tuple[str, ...] = ()


def attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(text)}


def to_markdown(body: str, rewrite: Rewrite = lambda url: url, gallery: Gallery = lambda attrs: ()) -> Converted:
    text = body.replace("\r\n", "\n")
    blocks = bool(_GUTENBERG.search(text))      # block-editor posts are HTML already: no wpautop
    text = _GUTENBERG.sub("", text)
    text = _CAPTION.sub(lambda m: _figure(m.group(1), m.group(2)), text)
    text = _EMBED.sub(lambda m: _link(m.group(1).strip()), text)
    unknown: list[str] = []

    def shortcode(match: re.Match) -> str:
        closing, name, rest = match.groups()
        lower = name.lower()
        if lower == "gallery" and not closing:
            return _gallery(gallery(attributes(rest)))
        if lower in ("youtube", "video", "audio", "playlist") and not closing:
            attrs = attributes(rest)
            url = rest.lstrip("= ").strip() if lower == "youtube" else next(
                (v for k, v in attrs.items() if k in ("src", "mp4", "mp3", "m4a", "ogg", "webm", "wav", "url")), "")
            return _link(url) if url.startswith("http") or url.startswith("/") else ""
        if lower in KNOWN:
            return ""               # a closing [/video] and the like
        if not closing and name not in unknown:
            unknown.append(name)
        return match.group(0)

    text = _SHORTCODE.sub(shortcode, text)
    text = _LONE_URL.sub(lambda m: _link(m.group(1)), text) if blocks else _autop(text)
    markdown = _Converter(rewrite=rewrite).convert(text)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return Converted(markdown, tuple(unknown))


def _figure(attrs_text: str, inner: str) -> str:
    attrs = attributes(attrs_text)
    image = re.search(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", inner, re.S | re.I)
    caption = attrs.get("caption", "")
    rest = inner[image.end():] if image else inner
    caption = (caption or rest).strip()
    if not image:
        return inner
    return f"<figure>{image.group(0)}<figcaption>{caption}</figcaption></figure>"


def _gallery(images: Sequence[tuple[str, str, str]]) -> str:
    if not images:
        return ""
    items = "".join(f'<li><img src="{html_lib.escape(src)}" alt="{html_lib.escape(alt)}"></li>'
                    for src, alt, _ in images)
    return f"\n\n<ul>{items}</ul>\n\n"


def _link(url: str) -> str:
    url = html_lib.unescape(url)
    return f'\n\n<p><a href="{html_lib.escape(url)}">{html_lib.escape(url)}</a></p>\n\n' if url else ""


def _autop(text: str) -> str:
    """WordPress's wpautop for classic-editor posts: blank lines part paragraphs, single newlines break lines."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        lone = _LONE_URL.fullmatch(block)
        if lone:
            blocks.append(_link(lone.group(1)))
        elif _BLOCK.match(block):
            blocks.append(block)
        else:
            blocks.append("<p>" + block.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(blocks)


class _Converter(MarkdownConverter):
    """markdownify, plus: figures kept as HTML, iframes as links, scripts dropped, addresses rewritten."""

    def __init__(self, rewrite: Rewrite, **options):
        super().__init__(heading_style="atx", bullets="-", strip_document="strip", escape_misc=False,
                         bs4_options="lxml", **options)     # lxml: several times faster than html.parser
        self.rewrite = rewrite

    def convert_figure(self, el, text, parent_tags):
        img = el.find("img")
        caption = el.find("figcaption")
        if img is None:
            return text
        src = html_lib.escape(self.rewrite(img.get("src", "")))
        alt = html_lib.escape(img.get("alt") or (caption.get_text(" ", strip=True) if caption else ""))
        words = html_lib.escape(caption.get_text(" ", strip=True)) if caption else ""
        figcaption = f"<figcaption>{words}</figcaption>" if words else ""
        return f'\n\n<figure><img src="{src}" alt="{alt}">{figcaption}</figure>\n\n'

    def convert_img(self, el, text, parent_tags):
        el["src"] = self.rewrite(el.get("src", ""))
        if el.get("title") is not None:
            del el["title"]
        return super().convert_img(el, text, parent_tags)

    def convert_a(self, el, text, parent_tags):
        if el.get("href"):
            el["href"] = self.rewrite(el["href"])
        return super().convert_a(el, text, parent_tags)

    def convert_iframe(self, el, text, parent_tags):
        src = el.get("src", "")
        src = "https:" + src if src.startswith("//") else src
        return f"\n\n<{src}>\n\n" if src.startswith(("http://", "https://")) else ""

    def convert_script(self, el, text, parent_tags):
        return ""

    convert_style = convert_script
