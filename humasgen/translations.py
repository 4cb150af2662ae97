"""Translations: releases and pages sharing a `translation_key` link each other.

Each member of a group gets the group's alternates (its own URL too, as Google
asks), ordered by language, with `x-default` on the site-language version
(`hreflang` in <head> and `xhtml:link` in sitemap.xml).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .errors import Diagnostic


@dataclass(frozen=True, slots=True)
class Alternate:
    lang: str           # hreflang: a language code, or 'x-default'
    url: str            # site path
    title: str


def alternates(items: Iterable[Any], default_language: str) -> Mapping[str, tuple[Alternate, ...]]:
    """{url: alternates} for every published item that has at least one translation."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        if item.translation_key:
            groups[item.translation_key].append(item)
    out: dict[str, tuple[Alternate, ...]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (m.lang != default_language, m.lang, m.url))
        links = [Alternate(m.lang, m.url, m.title) for m in members]
        if members[0].lang == default_language:
            links.append(Alternate("x-default", members[0].url, members[0].title))
        for member in members:
            out[member.url] = tuple(links)
    return MappingProxyType(out)


def problems(items: Iterable[Any]) -> list[Diagnostic]:
    """Two items of one language with the same translation_key: which one is the translation?"""
    seen: dict[tuple[str, str], Any] = {}
    found = []
    for item in sorted(items, key=lambda i: i.source):
        if not item.translation_key or getattr(item, "draft", False):
            continue
        other = seen.setdefault((item.translation_key, item.lang), item)
        if other is not item:
            found.append(Diagnostic(item.source, item.lines.get("translation_key"),
                                    f"translation_key '{item.translation_key}' in language '{item.lang}' is "
                                    f"also used by {other.source}",
                                    "one version per language: give this one another 'lang:' or another key"))
    return found
