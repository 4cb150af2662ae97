"""Absolute URLs, stable ids and clean text for everything that leaves the site.

Feeds, sitemaps and structured data are read out of context (a feed reader, a
crawler), so every link in them must be absolute and every id must survive a
change of title or permalink.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

from .config import Config
from .content import Release

# XML 1.0 forbids C0 controls except tab/newline/carriage return; C1 controls and
# the non-characters are allowed but break feed readers, so they go too.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Case-sensitive on purpose (re.I would make every search 4x slower); raw HTML in upper case is covered.
_URL_ATTR = re.compile(r"""(?<=\s)((?:href|src|poster|HREF|SRC|POSTER)\s*=\s*)(["'])(.*?)\2""", re.S)
_SRCSET = re.compile(r"""(?<=\s)((?:srcset|SRCSET)\s*=\s*)(["'])(.*?)\2""", re.S)
_KEEP = ("mailto:", "tel:", "data:", "javascript:", "sms:")


def clean(text: str) -> str:
    """Text without the control characters that make an XML document invalid."""
    return _CONTROL.sub("", text)


_URI_SAFE = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*")


def iri_to_uri(url: str) -> str:
    """Percent-encode what is not allowed in a URI (spaces, non-ASCII), keep the rest."""
    # Most URLs need nothing: skip quote(), which is slow for the 20,000 URLs of a big sitemap.
    return url if _URI_SAFE.fullmatch(url) else quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def absolute_url(config: Config, value: str) -> str:
    """A site path ('/images/a.jpg', 'images/a.jpg') or an absolute URL, as an absolute URI."""
    if ":" in value and urlsplit(value).scheme in ("http", "https"):
        return iri_to_uri(value)
    return iri_to_uri(config.url("/" + value.lstrip("/")))


def absolutize_html(html: str, page_url: str, config: Config) -> str:
    """Every relative href/src/srcset in `html` made absolute.

    Paths starting with '/' are site paths (below base_url); others, including
    '#footnote' fragments, are relative to the page they appear on.
    """
    def resolve(value: str) -> str:
        raw = value.strip()
        if not raw or raw.lower().startswith(_KEEP) or urlsplit(raw).scheme:
            return value
        if raw.startswith("/") and not raw.startswith("//"):
            return config.url(raw)
        return urljoin(page_url, raw)

    def attr(match: re.Match) -> str:
        return f"{match.group(1)}{match.group(2)}{resolve(match.group(3))}{match.group(2)}"

    def srcset(match: re.Match) -> str:
        parts = []
        for candidate in match.group(3).split(","):
            bits = candidate.strip().split(None, 1)
            if bits:
                parts.append(" ".join([resolve(bits[0]), *bits[1:]]))
        return f"{match.group(1)}{match.group(2)}{', '.join(parts)}{match.group(2)}"

    return _SRCSET.sub(srcset, _URL_ATTR.sub(attr, html))


def host(config: Config) -> str:
    return (urlsplit(config.base_url).hostname or "localhost").lower()


def release_id_uri(config: Config, release: Release) -> str:
    """A tag: URI (RFC 4151) from the site's host and the release's file identity.

    Stable across title and permalink changes, so readers never show an edited
    release twice. The year is the release's own, which an edit rarely changes.
    """
    if release.guid:    # kept from the system the release was imported from
        return release.guid
    return f"tag:{host(config)},{release.date.year:04d}:{quote(release.id, safe='/-._~')}"
