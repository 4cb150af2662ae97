"""Raw HTML in release bodies: a safe subset, kept by nh3 (the Ammonia sanitizer).

Releases come from several writers and from imported WordPress archives, and the
site is an official one: no release may run a script on it, load a frame from
elsewhere or send readers to a `javascript:` link. So a body's HTML (what Markdown
makes, and HTML written in the text) keeps only the tags and attributes below;
everything else is removed, the text inside kept. Links and images may use http(s),
site paths, `mailto:` and `tel:`. README.md ("Security") lists what is kept.
"""
from __future__ import annotations

import nh3

VERSION = "nh3-1"       # part of the parse-cache key: change it whenever the lists below change

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp", "small",
    "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "tabindex", "style"},
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"}, "colgroup": {"span"}, "ol": {"start", "reversed", "type"}, "li": {"value"},
    "time": {"datetime"}, "q": {"cite"}, "blockquote": {"cite"}, "del": {"datetime"}, "ins": {"datetime"},
    "details": {"open"}, "abbr": {"title"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Python-Markdown writes `style="text-align: ..."` in tables; nothing else a style may do is needed.
STYLE_PROPERTIES = frozenset({"text-align"})
DROPPED_WITH_CONTENT = frozenset({"script", "style"})


def sanitize(html: str) -> str:
    """The body's HTML with only the safe subset (see the module's docstring)."""
    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
                     clean_content_tags=set(DROPPED_WITH_CONTENT),
                     filter_style_properties=set(STYLE_PROPERTIES))
