"""Links and image sources written in front matter: only what is safe where they end up.

A lead image or an attachment becomes an `href`/`src` on the page, in feeds and in
structured data: a `javascript:` or `data:` URL there would run in, or pose as, the
official site. Allowed: http(s) URLs and site paths ('/files/x.pdf', 'images/x.jpg')
that do not climb out with '..'.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# What browsers ignore in a URL: leading C0 controls and spaces, tabs and newlines anywhere.
_IGNORED = re.compile(r"[\t\n\r]")


def problem(value: str, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """Why `value` may not be used as a link or image source here, or None when it may."""
    seen = _IGNORED.sub("", value).lstrip("".join(map(chr, range(33))))
    scheme = _SCHEME.match(seen)
    if scheme and scheme.group(1).lower() not in schemes:
        return (f"'{scheme.group(1)}:' URLs are not allowed here "
                f"(only {', '.join(s + ':' for s in schemes)} URLs and paths in the site)")
    if not scheme and ".." in unquote(seen.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/").split("/"):
        return "a path in the site may not contain '..'"
    return None
