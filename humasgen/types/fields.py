"""Front matter of the content types, checked against a table of keys: one walker, every line number.

Each type lists its keys as `Key(name, kind, required)`; `validate` turns the YAML
mapping into plain values or reports `path:line: error: ...` with the fix.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable
from zoneinfo import ZoneInfo

from .. import markup
from ..content import _LANG_RE, _SLUG_RE, SUMMARY_LIMIT, convert_body, make_slug, read_aliases, to_datetime
from ..errors import did_you_mean

Fail = Callable[[int | None, str, str], None]
_HINTS = {
    "text": "write it as text, in quotes if it contains ': ' or '#'",
    "datetime": "write it as ISO 8601: 2026-11-20, 2026-11-20 09:30 or 2026-11-20T09:30:00+08:00",
    "bool": "write true or false",
    "slug": "use lowercase ASCII letters, digits and hyphens, e.g. 'profil-dinas'",
    "lang": "use a language code such as 'id' or 'en'",
    "int": "write a whole number, e.g. 2026",
    "mapping": "write its keys indented below it",
    "list": "write one '- item' per line below it",
    "aliases": "aliases are older site paths that start with '/'; write them as a list, "
               "e.g. aliases: [/tentang-kami/, /?page_id=2]",
}


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    kind: str = "text"          # text, datetime, bool, slug, lang, int, mapping, list, aliases
    required: bool = False


def validate(meta: dict, key_lines: dict[str, int], keys: tuple[Key, ...], tz: ZoneInfo, fail: Fail,
             what: str) -> dict[str, Any]:
    """Values of the known keys (absent ones left out); unknown keys and bad values reported."""
    names = tuple(k.name for k in keys)
    for key in meta:
        if key not in names:
            fail(key_lines.get(str(key)), f"unknown front matter key '{key}' for {what}",
                 f"{did_you_mean(str(key), names)}; keys of your own go under 'extra:'")
    out: dict[str, Any] = {}
    for key in keys:
        value = meta.get(key.name)
        line = key_lines.get(key.name, 2)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key.required:
                fail(line, f"{what} has no '{key.name}'", f"add a line '{key.name}: ...'; {_HINTS[key.kind]}")
            continue
        parsed = _parse(value, key.kind, tz)
        if parsed is None:
            fail(line, f"cannot read '{key.name}': {value!r}", _hints(key, value))
        else:
            out[key.name] = parsed
    return out


def _hints(key: Key, value: Any) -> str:
    if key.kind == "slug":
        return f"use lowercase ASCII letters, digits and hyphens, e.g. '{make_slug(str(value))}'"
    return _HINTS[key.kind]


def _parse(value: Any, kind: str, tz: ZoneInfo) -> Any:
    if kind == "text":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        return " ".join(value.split()) if isinstance(value, str) else None
    if kind == "datetime":
        return to_datetime(value, tz)
    if kind == "bool":
        return value if isinstance(value, bool) else None
    if kind == "slug":
        return value if isinstance(value, str) and _SLUG_RE.match(value) else None
    if kind == "lang":
        return value if isinstance(value, str) and _LANG_RE.match(value) else None
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "mapping":
        return value if isinstance(value, dict) else None
    if kind == "list":
        return value if isinstance(value, list) else None
    if kind == "aliases":
        aliases, bad = read_aliases(value)
        return None if bad else aliases
    raise ValueError(kind)




@dataclass(frozen=True, slots=True)
class Item:
    """What an item of every content type but documents has first (`common` fills it, with the
    trailing updated, draft, extra and lines each type declares after its own fields)."""
    id: str                     # path below content/ without .md, e.g. 'halaman/profil'
    source: str
    title: str
    slug: str
    url: str
    summary: str
    body_html: str
    content_hash: str
    lang: str


def common(item_id: str, source: str, values: dict, key_lines: dict[str, int], body: str, data: bytes,
           language: str, default_slug: str = "") -> dict[str, Any]:
    """The fields every content type shares, from its validated values and its body (converted
    within the releases' limits): id, source, title, slug, summary, body_html, content_hash,
    lang, updated, draft, extra, lines."""
    lang = values.get("lang", language)
    html = convert_body(body, lang, 1)
    return dict(
        id=item_id, source=source, title=values["title"],
        slug=values.get("slug") or default_slug or make_slug(values["title"]),
        summary=values.get("summary") or markup.truncate(markup.first_paragraph(html), SUMMARY_LIMIT),
        body_html=html, content_hash=hashlib.sha256(data).hexdigest(), lang=lang,
        updated=values.get("updated"), draft=values.get("draft", False),
        extra=MappingProxyType(values.get("extra", {})), lines=MappingProxyType(key_lines))
