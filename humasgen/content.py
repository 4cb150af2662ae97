"""content/**/*.md -> Release: front matter validated, body rendered.

Every problem in every file is collected (never skip-and-continue); parsed
releases are cached by content hash so a warm build re-parses only what changed.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import zlib
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date, datetime, time
from pathlib import Path
from stat import S_ISLNK
from types import MappingProxyType
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

import yaml
from slugify import slugify

from . import dates, markup
from .bodies import Body, Store, open_store
from .errors import Diagnostic, did_you_mean
from .safety import rawhtml, release as limits, urls
from .safety.text import strip_controls

CONTENT_DIR = "content"
# Folders of content/ holding other content types (humasgen/types/), not releases.
TYPE_FOLDERS = ("halaman", "agenda", "pengumuman", "dokumen", "galeri")
SUMMARY_LIMIT = 300
CACHE_FORMAT = 8      # bump when the cached JSON's shape changes, or parsing gives a different Release


@dataclass(frozen=True, slots=True)
class Contact:
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    path: str
    title: str
    size: int | None = None     # bytes, when the file is in the site


@dataclass(frozen=True, slots=True)
class Correction:
    """A `corrections:` entry: when, what changed, and whether it changes the meaning (major)."""
    time: datetime
    note: str
    major: bool = False


@dataclass(frozen=True, slots=True)
class Release:
    id: str                     # stable identity: path below content/ without .md
    source: str                 # path for diagnostics, relative to the site folder
    title: str
    date: datetime              # aware, in the site timezone
    slug: str
    url: str                    # site path, e.g. /2026/11/judul/
    summary: str
    body: Body = field(compare=False, repr=False)   # the HTML, held or read when used: see body_html
    content_hash: str           # sha256 of the source bytes
    updated: datetime | None = None
    category: str = ""
    tags: tuple[str, ...] = ()
    unit: str = ""
    author: str = ""
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    draft: bool = False
    republish: bool = False     # `humasgen publish` posts the corrected release again
    lang: str = "id"
    number: str = ""
    dateline: str = ""
    contact: Contact | None = None
    attachments: tuple[Attachment, ...] = ()
    aliases: tuple[str, ...] = ()   # older site paths of this release that must keep working (redirects)
    guid: str = ""                  # feed item id kept from another system (e.g. WordPress's GUID)
    imported: bool = False          # brought in by `humasgen import`: never announced as new
    translation_key: str = ""   # releases and pages sharing it are translations of each other
    corrections: tuple[Correction, ...] = ()    # oldest first
    embargo: bool = False       # before `date`: built only at a secret preview URL
    video: bool = True          # false: no social video and carousel when it is announced
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # key -> line
    body_line: int = 1          # first line of the Markdown body in the file
    body_images: tuple[str, ...] = ()   # site paths of the body's images: whole-site checks read no body
    # Last change: `updated` or the latest correction, whichever is later (else the date). Set from
    # those fields, once: sitemaps and feeds read it for every list a release is in.
    modified: datetime = field(init=False, compare=False)

    def __post_init__(self) -> None:
        latest = self.updated if self.updated and self.updated > self.date else self.date
        for correction in self.corrections:
            latest = correction.time if correction.time > latest else latest
        object.__setattr__(self, "modified", latest)

    @property
    def body_html(self) -> str:
        """The body as safe HTML (a warm build reads it from the body store only when used)."""
        return self.body.html


KEYS = ("title", "date", "slug", "summary", "category", "tags", "unit", "author", "image",
        "image_alt", "image_caption", "image_credit", "draft", "republish", "updated", "lang", "number",
        "dateline", "contact", "attachments", "aliases", "guid", "imported", "translation_key", "corrections",
        "embargo", "video", "extra")
_TEXT_KEYS = ("summary", "category", "unit", "author", "image", "image_alt", "image_caption",
              "image_credit", "number", "dateline")
# libyaml's parser when PyYAML has it: pure-Python YAML costs more than Markdown itself.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ALIAS_RE = re.compile(r"^/[^\s#]*$")
_YES = ("ya", "iya", "y", "benar", "betul")
_NO = ("tidak", "tdk", "bukan", "t", "n")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Settings:
    """What parsing needs from the config; part of the cache key."""
    timezone: str
    language: str
    permalink: str

    @property
    def key(self) -> str:
        from . import __version__
        return (f"{CACHE_FORMAT}|{__version__}|{markup.SETTINGS}|{rawhtml.VERSION}|{self.timezone}|"
                f"{self.language}|{self.permalink}")


def read_aliases(value: Any) -> tuple[tuple[str, ...], str]:
    """`aliases:` (one path or a list) -> (the paths, once each; '') or ((), repr of the first bad value).

    An alias is an older site path that must keep working: it starts with '/', has no
    spaces or '#', and no '..' segment."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        return (), repr(value)
    for alias in values:
        if not isinstance(alias, str) or not _ALIAS_RE.match(alias) or "/../" in alias + "/":
            return (), repr(alias)
    return tuple(dict.fromkeys(values)), ""


def make_slug(title: str) -> str:
    return slugify(title, max_length=80, word_boundary=True, save_order=True) or "rilis"


def permalink(pattern: str, when: datetime, slug: str) -> str:
    return pattern.format(year=f"{when.year:04d}", month=f"{when.month:02d}",
                          day=f"{when.day:02d}", slug=slug)


def parse(source: str, release_id: str, data: bytes, settings: Settings) -> tuple[Release | None, list[Diagnostic]]:
    """Parse one release file's bytes. Returns the release or the problems found.

    Whatever the bytes, this returns: a file beyond the limits of `safety.release`, or
    one the Markdown converter fails on, is a diagnostic naming the file.
    """
    try:
        return _parse(source, release_id, data, settings)
    except limits.LimitExceeded as exc:
        return None, [Diagnostic(source, exc.line, exc.message, exc.hint)]
    except (Exception, RecursionError) as exc:      # e.g. a converter extension failing on odd options
        return None, [Diagnostic(source, 1, f"the release cannot be read: {type(exc).__name__}: {exc}",
                                 "look for unusual syntax; if the file looks right, report this as a bug")]


def _parse(source: str, release_id: str, data: bytes, settings: Settings) -> tuple[Release | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    limits.check_size(data)

    def fail(line: int | None, message: str, hint: str = "") -> None:
        problems.append(Diagnostic(source, line, message, hint))

    front_matter = read_front_matter(source, data, problems, raw_dates=True)
    if front_matter is None:
        return None, problems
    meta, key_lines, body, end = front_matter
    fields_ = _validate(meta, key_lines, settings, fail)
    if problems:
        return None, problems

    plain_html = convert_body(body, fields_["lang"], end + 2)
    body_html = markup.with_dateline(plain_html, fields_.get("dateline", ""))
    title = fields_["title"]
    slug = fields_.get("slug") or make_slug(title)
    when = fields_["date"]
    summary = fields_.get("summary") or markup.truncate(markup.first_paragraph(plain_html), SUMMARY_LIMIT)
    release = Release(
        id=release_id, source=source, title=title, date=when, slug=slug,
        url=permalink(settings.permalink, when, slug), summary=summary, body=Body(body_html),
        content_hash=hashlib.sha256(data).hexdigest(),
        lines=MappingProxyType(key_lines), body_line=end + 2, body_images=markup.site_images(body_html),
        **{k: v for k, v in fields_.items() if k not in ("title", "slug", "date", "summary")},
    )
    return release, problems


def convert_body(body: str, lang: str, first_line: int) -> str:
    """The body as safe HTML, within the limits on depth and time (see safety/release.py); every
    content type's body goes through here."""
    limits.check_depth(body, first_line)
    try:
        with limits.time_limit():
            return rawhtml.sanitize(markup.to_html(body, lang))
    except limits.LimitExceeded as exc:
        raise limits.LimitExceeded(exc.line or first_line, exc.message, exc.hint) from None
    except RecursionError:
        raise limits.LimitExceeded(first_line, "the text is nested too deeply to convert",
                                   "indent less: lists or quotes inside each other") from None
    except Exception as exc:
        raise limits.LimitExceeded(first_line, f"the text cannot be converted: {type(exc).__name__}: {exc}",
                                   "look for unusual syntax, e.g. options after ``` or in {: ...}; "
                                   "write option values in quotes") from None


def read_front_matter(source: str, data: bytes, problems: list[Diagnostic], raw_dates: bool = False
                      ) -> tuple[dict, dict[str, int], str, int] | None:
    """(front matter, key -> line, Markdown body, index of the closing '---' line), or None with problems.

    raw_dates: `date` and `updated` as written in the file (dates.py reads 21.50 as a time; YAML
    would have made it a number)."""
    def fail(line: int | None, message: str, hint: str = "") -> None:
        problems.append(Diagnostic(source, line, message, hint))

    if not data.strip():
        fail(1, "the file is empty", "start it with front matter: ---, title: ..., date: ..., ---, then the text")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        fail(line, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
             "save the file with UTF-8 encoding")
        return None
    # Control characters pasted from office documents make pages invalid HTML (`check` reports them).
    text = strip_controls(text.removeprefix("\ufeff"))
    lines = text.split("\n")
    if lines[0].strip() != "---":
        fail(1, "missing front matter", "the file must start with a line '---', then title: and date:, then '---'")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        fail(1, "front matter is not closed", "did you forget the closing '---' line after the front matter?")
        return None
    front = "\n".join(lines[1:end])
    limits.check_yaml(front)
    meta, key_lines, raw = _load_yaml(front, source, problems)
    if meta is None:
        return None
    return {**meta, **raw} if raw_dates else meta, key_lines, "\n".join(lines[end + 1:]), end


class _Loader(_FastLoader):
    """Safe YAML, except that an impossible timestamp (2026-02-30) stays text for the date check to report."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        if _LEADING_ZERO.match(text):   # 073, 0541736: release numbers and phone numbers, not octal
            return text
        return super().construct_yaml_int(node)


_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


_RAW_KEYS = ("date", "updated")    # read from the scalar as written: YAML would make 21.50 a float


def _load_yaml(front: str, source: str,
               problems: list[Diagnostic]) -> tuple[dict | None, dict[str, int], dict[str, str]]:
    """(values, line of each key, raw text of the date keys) of the front matter; None on errors."""
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except (ValueError, TypeError) as exc:    # e.g. '!!int abc': a constructor failed
        problems.append(Diagnostic(source, 2, f"front matter has a value YAML cannot read: {exc}",
                                   "remove explicit '!!' tags and quote the value"))
        return None, {}, {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2   # +1 for 1-based, +1 for the opening '---'
        written = front.split("\n")
        problems.append(_yaml_problem(source, line, written[line - 2] if 0 <= line - 2 < len(written) else "", exc))
        return None, {}, {}
    except yaml.YAMLError as exc:
        problems.append(Diagnostic(source, 2, f"front matter is not valid YAML: {exc}"))
        return None, {}, {}
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.append(Diagnostic(source, 2, "front matter must be a mapping of keys to values",
                                   "write one 'key: value' per line, e.g. 'title: Judul Rilis'"))
        return None, {}, {}
    key_lines: dict[str, int] = {}
    raw: dict[str, str] = {}
    for key, value in node.value:
        if str(key.value) in _RAW_KEYS and isinstance(value, yaml.ScalarNode) and value.tag != "tag:yaml.org,2002:null":
            raw[str(key.value)] = value.value
        line = key.start_mark.line + 2
        if str(key.value) in key_lines:
            problems.append(Diagnostic(source, line, f"duplicate key '{key.value}' (first on line "
                                                     f"{key_lines[str(key.value)]})", "keep only one of them"))
            continue
        key_lines[str(key.value)] = line
    if problems:
        return None, {}, {}
    return data, key_lines, raw


_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(.*?)\s*$")
_NOUNS = {"title": "title", "summary": "summary", "image_alt": "alt text", "image_caption": "caption"}


def _yaml_problem(source: str, line: int, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """The two YAML mistakes officers make most, in plain words with the fix; others as YAML says them."""
    problem = str(exc.problem or exc)
    if "\t" in text or "tab" in problem:
        return Diagnostic(source, line, f"there is a tab character on line {line}",
                          "indent with spaces, not tabs")
    pair = _KEY_VALUE.match(text)
    if "mapping values are not allowed" in problem and pair and ": " in pair.group(2) + " ":
        key, value = pair.groups()
        quoted = '"' + value + '"' if '"' not in value else "'" + value.replace("'", "''") + "'"
        return Diagnostic(source, line, f"the text of '{key}' contains ': '",
                          f"put the {_NOUNS.get(key, 'text')} in quotes: {key}: {quoted}")
    return Diagnostic(source, line, f"front matter is not valid YAML: {problem}",
                      "check indentation, and put text containing ': ' or '#' in quotes")


def _validate(meta: dict, key_lines: dict[str, int], settings: Settings, fail) -> dict[str, Any]:
    tz = ZoneInfo(settings.timezone)
    out: dict[str, Any] = {}
    for key in meta:
        if key not in KEYS:
            fail(key_lines.get(str(key)), f"unknown front matter key '{key}'",
                 f"{did_you_mean(str(key), KEYS)}; keys of your own go under 'extra:'")

    def line(key: str) -> int | None:
        return key_lines.get(key, 2)

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        fail(line("title") if "title" in meta else 2, "the release has no title", "add a line 'title: Judul Rilis'")
    elif not isinstance(title, str):
        fail(line("title"), f"'title' must be text, not {type(title).__name__}", "put the title in quotes")
    else:
        out["title"] = " ".join(title.split())

    if "date" not in meta or meta["date"] is None:
        fail(line("date") if "date" in meta else 2, "the release has no date",
             "add a line such as 'date: 2026-11-20 09:30' (site timezone) or with an offset '+08:00'")
    else:
        when = dates.as_datetime(meta["date"], tz)
        if isinstance(when, dates.DateProblem):
            fail(line("date"), when.message, when.hint)
        else:
            out["date"] = when
    if meta.get("updated") is not None:
        when = dates.as_datetime(meta["updated"], tz)
        if isinstance(when, dates.DateProblem):
            fail(line("updated"), f"'updated': {when.message}", when.hint)
        else:
            out["updated"] = when

    for key in _TEXT_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("number",):
            value = str(value)
        if not isinstance(value, str):
            fail(line(key), f"'{key}' must be text, not {type(value).__name__}", f"write it as '{key}: \"...\"'")
            continue
        out[key] = value.strip()

    if out.get("image") and (why := urls.problem(out["image"])):
        fail(line("image"), f"invalid image {out['image']!r}: {why}",
             "give the image's path in the site, e.g. /images/foto.jpg, or an https:// URL")
        del out["image"]

    if meta.get("slug"):    # empty: derived from the title
        slug = meta["slug"]
        if not isinstance(slug, str) or not _SLUG_RE.match(slug):
            fail(line("slug"), f"invalid slug {slug!r}",
                 f"use lowercase ASCII letters, digits and hyphens, e.g. '{make_slug(str(slug))}'")
        else:
            out["slug"] = slug

    tags = meta.get("tags")
    if tags is not None:
        if isinstance(tags, str) and "," in tags:     # never guess: 'a, b' may be one name or two
            words = ", ".join(" ".join(t.split()) for t in tags.split(",") if t.strip())
            fail(line("tags"), f"'tags' is one text with commas: {tags.strip()!r}",
                 f"write the tags as a list in brackets: 'tags: [{words}]'")
            tags = []
        elif isinstance(tags, str):                  # one plain word or phrase: one tag
            tags = [tags]
        if not isinstance(tags, list) or not all(isinstance(t, (str, int)) for t in tags):
            fail(line("tags"), "'tags' must be a list of words", "write it as 'tags: [banjir, bantuan sosial]'")
        else:
            # One tag per URL: 'Banjir' and 'banjir' are the same term page; the first spelling wins.
            by_slug: dict[str, str] = {}
            for tag in (" ".join(str(t).split()) for t in tags if str(t).strip()):
                by_slug.setdefault(make_slug(tag), tag)
            out["tags"] = tuple(by_slug.values())

    for flag, example in (("draft", "draft: true"), ("republish", "republish: true"), ("imported", "imported: true"),
                          ("video", "video: false")):
        if meta.get(flag) is not None:
            if not isinstance(meta[flag], bool):
                word = str(meta[flag]).strip().lower()
                if word in _YES + _NO:      # Indonesian yes/no: say which of the two to write, never guess
                    fix = f"write '{flag}: true'" if word in _YES else f"write '{flag}: false'"
                    fail(line(flag), f"'{flag}' must be true or false, not '{meta[flag]}'",
                         f"{fix}, or remove the line" if flag != "draft" else
                         ("write 'draft: true' to keep it a draft" if word in _YES
                          else "write 'draft: false' to publish it, or remove the line"))
                else:
                    fail(line(flag), f"'{flag}' must be true or false", f"write '{example}' or remove the line")
            else:
                out[flag] = meta[flag]

    if meta.get("guid") is not None:
        if not isinstance(meta["guid"], (str, int)) or isinstance(meta["guid"], bool) or not str(meta["guid"]).strip():
            fail(line("guid"), "'guid' must be text", "write it as 'guid: \"https://...?p=123\"', or remove the line")
        else:
            out["guid"] = str(meta["guid"]).strip()

    if meta.get("aliases") is not None:
        aliases, bad = read_aliases(meta["aliases"])
        if bad:
            fail(line("aliases"), f"invalid alias {bad}: aliases are site paths that start with '/'",
                 "write them as a list, e.g. aliases: [/2023/05/judul-lama/, /?p=123]")
        else:
            out["aliases"] = aliases

    lang = meta.get("lang")
    if lang is None:
        out["lang"] = settings.language
    elif not isinstance(lang, str) or not _LANG_RE.match(lang):
        fail(line("lang"), f"invalid language {lang!r}", "use a language code such as 'id' or 'en'")
    else:
        out["lang"] = lang

    if meta.get("contact") is not None:
        contact = _contact(meta["contact"])
        if contact == Contact():
            pass    # all blank, as `humasgen new` writes it: no contact box
        elif contact is None:
            fail(line("contact"), "'contact' must be a name or a mapping with name, role, phone, email",
                 "e.g. contact: {name: Rina, role: Humas, phone: '0812...', email: humas@example.go.id}")
        else:
            out["contact"] = contact

    if meta.get("attachments") is not None:
        attachments = _attachments(meta["attachments"])
        if attachments is None:
            fail(line("attachments"), "'attachments' must be a list of files",
                 "write each as '- path: /files/rilis.pdf' with an optional 'title:'")
        else:
            for item in attachments:
                if why := urls.problem(item.path):
                    fail(line("attachments"), f"invalid attachment {item.path!r}: {why}",
                         "give the file's path in the site, e.g. /files/rilis.pdf, or an https:// URL")
            out["attachments"] = attachments

    translation_key = meta.get("translation_key")
    if translation_key is not None:
        if not isinstance(translation_key, str) or not _SLUG_RE.match(translation_key):
            fail(line("translation_key"), f"invalid translation_key {translation_key!r}",
                 "use the same short word in both languages, lowercase with hyphens, e.g. 'hari-jadi-2026'")
        else:
            out["translation_key"] = translation_key

    if meta.get("corrections") is not None:
        corrections = corrections_of(meta["corrections"], tz, line("corrections"), fail)
        if corrections is not None:
            out["corrections"] = corrections

    if meta.get("embargo") is not None:
        if not isinstance(meta["embargo"], bool):
            fail(line("embargo"), "'embargo' must be true or false", "write 'embargo: true' or remove the line")
        else:
            out["embargo"] = meta["embargo"]

    if meta.get("extra") is not None:
        if not isinstance(meta["extra"], dict):
            fail(line("extra"), "'extra' must be a mapping", "write keys of your own indented below 'extra:'")
        else:
            out["extra"] = MappingProxyType(_jsonable(meta["extra"]))
    return out


CORRECTION_KEYS = ("time", "note", "major")


def corrections_of(value: Any, tz: ZoneInfo, line: int | None, fail) -> tuple[Correction, ...] | None:
    """`corrections:` as Corrections, oldest first; None (and a diagnostic) when unreadable."""
    hint = ("write each as '- time: 2026-11-20 14:00', 'note: what changed', and 'major: true' when it "
            "changes the meaning")
    if not isinstance(value, list):
        fail(line, "'corrections' must be a list", hint)
        return None
    items = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict):
            fail(line, f"correction {number} must be a mapping with time, note and major", hint)
            return None
        unknown = [k for k in item if k not in CORRECTION_KEYS]
        if unknown:
            fail(line, f"unknown key '{unknown[0]}' in correction {number}",
                 did_you_mean(str(unknown[0]), CORRECTION_KEYS))
            return None
        when = to_datetime(item.get("time"), tz)
        note = item.get("note")
        if when is None:
            fail(line, f"correction {number} has no readable 'time' ({item.get('time')!r})",
                 "write it as ISO 8601, e.g. 'time: 2026-11-20 14:00'")
            return None
        if not isinstance(note, str) or not note.strip():
            fail(line, f"correction {number} has no 'note'", "say what changed, e.g. 'note: Angka korban diperbaiki'")
            return None
        if not isinstance(item.get("major", False), bool):
            fail(line, f"'major' of correction {number} must be true or false", hint)
            return None
        items.append(Correction(when, " ".join(note.split()), bool(item.get("major", False))))
    return tuple(sorted(items, key=lambda c: c.time))


def to_datetime(value: Any, tz: ZoneInfo) -> datetime | None:
    """A front matter date as an aware datetime in the site timezone."""
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        when = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=tz)
    return when.astimezone(tz)


def _contact(value: Any) -> Contact | None:
    if isinstance(value, str):
        return Contact(name=value.strip())
    if isinstance(value, dict) and set(value) <= {"name", "role", "phone", "email"} \
            and all(isinstance(v, (str, int)) or v is None for v in value.values()):
        return Contact(**{k: str(v).strip() for k, v in value.items() if v is not None})
    return None


def _attachments(value: Any) -> tuple[Attachment, ...] | None:
    if not isinstance(value, list):
        return None
    items = []
    for item in value:
        if isinstance(item, str):
            items.append(Attachment(path=item, title=item.rsplit("/", 1)[-1]))
        elif isinstance(item, dict) and isinstance(item.get("path"), str) and set(item) <= {"path", "title"}:
            items.append(Attachment(path=item["path"], title=str(item.get("title") or item["path"].rsplit("/", 1)[-1])))
        else:
            return None
    return tuple(items)


def _jsonable(value: Any) -> Any:
    """Front matter extras as JSON-safe values (dates as ISO strings), for caching and templates."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def find_sources(site_dir: Path) -> list[tuple[str, str, str]]:
    """(source, id, file path) of every release file, sorted for determinism (paths as text:
    100,000 Path objects cost more than the walk)."""
    root = site_dir / CONTENT_DIR
    found = []
    for folder, subdirs, names in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        subdirs[:] = [d for d in subdirs if not d.startswith(".") and not (rel_folder == "." and d in TYPE_FOLDERS)]
        prefix = "" if rel_folder == "." else rel_folder + "/"
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                rel = prefix + name
                found.append((f"{CONTENT_DIR}/{rel}", rel[:-3], os.path.join(folder, name)))
    found.sort()
    return found


def release_to_json(release: Release) -> dict[str, Any]:
    """The release as JSON data, with `body_html` when the body is held (else the body store has it).
    A value equal to its field's default is left out: most releases leave half the fields empty,
    and a smaller cache is read faster (release_from_json gives the default back)."""
    out: dict[str, Any] = {}
    for f in fields(Release):
        value = getattr(release, f.name)
        if f.name == "body":
            if value.held is not None:
                out["body_html"] = value.held
            continue
        if not f.init or (f.name in _DEFAULTS and value == _DEFAULTS[f.name]):
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Contact):
            value = {g.name: getattr(value, g.name) for g in fields(Contact)}
        elif f.name == "attachments":
            value = [[a.path, a.title] for a in value]
        elif f.name == "corrections":
            value = [[c.time.isoformat(), c.note, c.major] for c in value]
        elif isinstance(value, (MappingProxyType, dict)):
            value = dict(value)
        out[f.name] = value
    return out


def release_from_json(data: dict[str, Any], tz: ZoneInfo, store: Store | None = None,
                      shared: dict | None = None) -> Release:
    """A release from `release_to_json` data; a body left out there is read from `store` when used.

    Empty values are not converted (100,000 of these are made on every warm build). With
    `shared` (one dict for a whole load), values that repeat from release to release (a unit,
    a tag, a contact, the line numbers of a front matter laid out the same way) are kept once:
    at 100,000 releases that is a quarter of the model's memory."""
    # The keys as the field names themselves: Python matches a keyword argument by identity
    # first, then compares it with every parameter name (Release(**values) took twice as long).
    values = dict(zip(map(_NAMES.get, data, data), data.values()))
    values["body"] = Body(values.pop("body_html", None), store, values["content_hash"])
    values["date"] = datetime.fromisoformat(values["date"]).astimezone(tz)
    get = values.get
    if shared is None:
        shared = {}
    keep = shared.setdefault
    if get("updated"):
        values["updated"] = datetime.fromisoformat(values["updated"]).astimezone(tz)
    tags = get("tags")
    if tags:
        tags = tuple(tags)
        values["tags"] = shared.get(tags) or keep(tags, tuple(map(keep, tags, tags)))
    else:
        values["tags"] = ()
    for name in ("aliases", "body_images"):
        values[name] = tuple(values[name]) if get(name) else ()
    if get("attachments"):
        values["attachments"] = tuple(Attachment(path, title) for path, title in values["attachments"])
    else:
        values["attachments"] = ()
    if get("corrections"):
        values["corrections"] = tuple(Correction(datetime.fromisoformat(t).astimezone(tz), note, major)
                                      for t, note, major in values["corrections"])
    else:
        values["corrections"] = ()
    values["extra"] = MappingProxyType(values["extra"]) if get("extra") else _NOTHING
    for name in _REPEATED:
        value = get(name)
        if value.__class__ is str:
            values[name] = keep(value, value)
    lines = get("lines")
    if lines:       # a tuple of pairs: no tags tuple (all text) can be the same key
        key = tuple(lines.items())
        values["lines"] = shared.get(key) or keep(key, MappingProxyType(lines))
    else:
        values["lines"] = _NOTHING
    contact = get("contact")
    if contact:     # a tuple of pairs, led by a marker: never the key of a line map
        key = (Contact, *contact.items())
        values["contact"] = shared.get(key) or keep(key, Contact(**contact))
    return Release(**values)


_REPEATED = ("category", "unit", "author", "image", "image_alt", "image_caption", "image_credit", "dateline",
             "lang")
_NOTHING: Mapping[str, Any] = MappingProxyType({})
_NAMES = {sys.intern(f.name): sys.intern(f.name) for f in fields(Release)} | {"body_html": "body_html"}
_DEFAULTS = {f.name: f.default if f.default is not MISSING else f.default_factory()
             for f in fields(Release) if f.init and (f.default is not MISSING or f.default_factory is not MISSING)}


def _cached_release(hit: Any, tz: ZoneInfo, store: Store | None, held: set[str],
                    shared: dict | None = None) -> Release | None:
    """The release of a parse-cache entry; None when there is none, its body is not in the store,
    or it fails validation (never an error)."""
    if not (isinstance(hit, dict) and isinstance(hit.get("release"), dict)):
        return None
    digest = hit["release"].get("content_hash")
    if not (isinstance(digest, str) and digest in held or "body_html" in hit["release"]):
        return None
    try:
        release = release_from_json(hit["release"], tz, store, shared)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    ok = (type(release.id) is str and type(release.source) is str and type(release.title) is str
          and type(release.slug) is str and type(release.url) is str and type(release.summary) is str
          and type(release.content_hash) is str)
    return release if ok else None


PARALLEL_MIN = 64   # below this many files a process pool costs more than it saves


@dataclass(slots=True)
class Memo:
    """Parse results kept in memory between loads by `serve` (the one long-lived caller).

    Unchanged files skip both parsing and the JSON cache. When the file watcher says
    which files changed (`changed`, after a first complete load), the other files are
    not even listed or stat'ed: at 10,000 releases that costs more than the rest of an
    update. Not thread-safe: one thread loads.
    """
    key: str = ""                                       # Settings.key the entries were parsed with
    entries: dict[str, "_Entry"] = field(default_factory=dict)
    complete: bool = False                              # entries cover every release file on disk
    changed: set[str] = field(default_factory=set)      # sources written or removed since the last load

    def mark(self, sources: Iterable[str] | None) -> None:
        """Note changed files (site-relative 'content/...md'); None: unknown, look at everything again."""
        if sources is None:
            self.complete = False
        else:
            self.changed.update(sources)


_Entry = tuple[list[int], Release | None, tuple[Diagnostic, ...]]     # stat, release, problems


def load(site_dir: Path, settings: Settings, jobs: int = 1, cache_dir: Path | None = None,
         memo: Memo | None = None) -> tuple[tuple[Release, ...], tuple[Diagnostic, ...]]:
    """Every release of the site, re-parsing only files whose bytes changed."""
    if memo is not None and memo.key != settings.key:
        memo.key, memo.entries, memo.complete = settings.key, {}, False
    known = memo.entries if memo is not None else {}
    if memo is not None and memo.complete:      # only the files the watcher named are looked at
        found = {source: entry for source, entry in known.items() if source not in memo.changed}
        listing = _listing(site_dir, memo.changed)
    else:
        found, listing = {}, find_sources(site_dir)
    changed = memo.changed if memo is not None else set()
    found.update(_scan(site_dir, settings, listing, known, changed, jobs, cache_dir, everything=found))
    if memo is not None:
        memo.entries, memo.complete, memo.changed = found, True, set()
    static = site_dir / "static"
    releases: list[Release] = []
    problems: list[Diagnostic] = []
    for source in sorted(found):
        _, release, trouble = found[source]
        problems.extend(trouble)
        if release is not None:
            releases.append(_with_sizes(release, static) if release.attachments else release)
    return tuple(releases), tuple(problems)


Change = tuple["Release | None", "Release | None"]     # (before, after); None: no release there


def load_changes(site_dir: Path, settings: Settings, memo: Memo, jobs: int = 1
                 ) -> tuple[dict[str, Change], tuple[Diagnostic, ...]] | None:
    """What the files the watcher named did since the last load, without looking at any other
    file: {source: (release before, release after)}, and those files' problems. None when
    there is no complete load to start from (then load() everything). The preview's path."""
    if memo.key != settings.key or not memo.complete:
        return None
    changed = memo.changed
    looked = _scan(site_dir, settings, _listing(site_dir, changed), memo.entries, changed, jobs, None)
    static = site_dir / "static"
    changes: dict[str, Change] = {}
    problems: list[Diagnostic] = []
    for source in sorted(changed):
        before = memo.entries.pop(source, None)
        entry = looked.get(source)
        if entry is not None:
            memo.entries[source] = entry
            problems.extend(entry[2])
        old, new = before[1] if before else None, entry[1] if entry else None
        if old is not new:
            changes[source] = (old and (_with_sizes(old, static) if old.attachments else old),
                               new and (_with_sizes(new, static) if new.attachments else new))
    memo.changed = set()
    return changes, tuple(problems)


def _scan(site_dir: Path, settings: Settings, listing: list[tuple[str, str, str]], known: Mapping[str, "_Entry"],
          changed: set[str], jobs: int, cache_dir: Path | None,
          everything: Mapping[str, "_Entry"] | None = None) -> dict[str, "_Entry"]:
    """The entries of the listed files: kept from `known` (same size and time, not `changed`),
    from the parse cache, or parsed. With a cache, `everything` (the other entries with these)
    is what the cache keeps."""
    tz = ZoneInfo(settings.timezone)
    shards = _CacheShards(cache_dir / PARSE_CACHE if cache_dir else None, settings.key)
    store = open_store(cache_dir, settings.key) if cache_dir else None
    held = store.keys() if store else set()
    content_link = (site_dir / CONTENT_DIR).is_symlink()
    todo: list[tuple[str, str, str | bytes]] = []      # bytes already read, or the file for a worker to read
    fresh: dict[str, dict] = {}
    stats: dict[str, list[int]] = {}
    found: dict[str, _Entry] = {}
    shared: dict = {}       # values repeated from release to release, kept once (see release_from_json)
    site_root = site_dir.resolve()
    for source, release_id, path in listing:
        try:
            stat = os.lstat(path)     # one call for most files: a link is followed below
            linked = S_ISLNK(stat.st_mode)
            if (linked or content_link) and not Path(path).resolve().is_relative_to(site_root):
                found[source] = (None, None, (Diagnostic(source, None, "this file is a link to a file outside the "
                                                         "site folder", "copy the file into content/ instead"),))
                continue
            if linked or content_link:
                stat = os.stat(path)
        except OSError as exc:   # a broken symbolic link, a file removed meanwhile
            found[source] = (None, None, _unreadable(source, exc))
            continue
        stats[source] = [stat.st_size, stat.st_mtime_ns]
        mine = known.get(source)
        if mine is not None and mine[0] == stats[source] and source not in changed:
            found[source] = mine
            continue
        hit = shards.get(source)
        cached = _cached_release(hit, tz, store, held, shared)      # None: not cached, or of the wrong shape
        if cached is None:
            hit = None
        if hit and hit.get("stat") == stats[source]:      # unchanged since cached: no need to read it
            found[source] = (stats[source], cached, ())
            fresh[source] = hit
            continue
        if not hit:     # new to the cache: read by the worker that parses it
            todo.append((source, release_id, path))
            continue
        data, trouble = _read(source, path)
        if data is not None and hit["release"].get("content_hash") == hashlib.sha256(data).hexdigest():
            found[source] = (stats[source], cached, ())
            fresh[source] = {"stat": stats[source], "release": hit["release"]}
            shards.touch(source)
        elif data is None:
            found[source] = (stats[source], None, trouble)
        else:
            todo.append((source, release_id, data))
    for source, as_json, problems in _parse_all(todo, settings, jobs, store):
        release = None
        if as_json is not None:
            release = release_from_json(as_json, tz, store, shared)
            fresh[source] = {"stat": stats[source], "release": as_json}
            shards.touch(source)
        found[source] = (stats[source], release, tuple(problems))
    if cache_dir is not None:
        kept = {**(everything or {}), **found}
        if store is not None:
            store.prune({entry[1].content_hash for entry in kept.values() if entry[1] is not None})
        shards.save(fresh, kept, from_shards=not known)
    return found


PARSE_CACHE = "releases"
SHARDS = 64


class _CacheShards:
    """The parse cache, cut into 64 JSON files by source path, read as needed.

    One file for 10,000 releases (85 MB) meant rewriting all of it when one release changed;
    now an edit rewrites one shard.
    """

    def __init__(self, folder: Path | None, key: str):
        self.folder, self.key = folder, key
        self.loaded: dict[int, dict[str, dict]] = {}
        self.dirty: set[int] = set()

    @staticmethod
    def shard(source: str) -> int:
        return zlib.crc32(source.encode()) % SHARDS

    def _entries(self, number: int) -> dict[str, dict]:
        if number not in self.loaded:
            from .cache import read_json
            data = read_json(self.folder / f"{number:02d}.json") if self.folder else None
            ok = isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("entries"), dict)
            self.loaded[number] = data["entries"] if ok else {}
        return self.loaded[number]

    def get(self, source: str) -> Any:
        return self._entries(self.shard(source)).get(source)

    def touch(self, source: str) -> None:
        self.dirty.add(self.shard(source))

    def save(self, fresh: dict[str, dict], found: Mapping[str, "_Entry"], from_shards: bool = False) -> None:
        """Rewrite the shards that changed (a release parsed anew, or a source gone); drop empty ones.
        `from_shards`: every release in `found` was read from these shards or parsed (none from memory)."""
        if self.folder is None:
            return
        from .cache import write_json
        releases = sum(1 for entry in found.values() if entry[1] is not None)
        if from_shards and not self.dirty and sum(map(len, self.loaded.values())) == releases:
            # Nothing parsed: every release came from a distinct entry of the shards read, and they
            # hold no other (a warm build of 100,000 releases need not group them again to see that).
            self._clean({number for number, entries in self.loaded.items() if entries})
            return
        sources: dict[int, list[str]] = {}
        for source, (_, release, _) in found.items():
            if release is not None:
                sources.setdefault(self.shard(source), []).append(source)
        for number, entries in self.loaded.items():
            if entries.keys() != set(sources.get(number, ())):
                self.dirty.add(number)
        for number in sorted(self.dirty & sources.keys()):
            entries = {source: fresh.get(source) or
                       {"stat": found[source][0], "release": release_to_json(found[source][1])}
                       for source in sources[number]}
            write_json(self.folder / f"{number:02d}.json", {"key": self.key, "entries": entries})
        self._clean(set(sources))

    def _clean(self, numbers: set[int]) -> None:
        """Remove the shards that hold no release now, and the unsharded cache of 0.1."""
        (self.folder.parent / "releases.json").unlink(missing_ok=True)
        if self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.stem.isdigit() and int(path.stem) not in numbers:
                    path.unlink(missing_ok=True)


def _listing(site_dir: Path, sources: set[str]) -> list[tuple[str, str, str]]:
    """find_sources() restricted to the given sources (those still on disk), without a directory walk."""
    found = []
    for source in sorted(sources):
        path = site_dir / source
        if release_source(source) and path.is_file():
            found.append((source, source.removeprefix(f"{CONTENT_DIR}/")[:-3], str(path)))
    return found


def release_source(source: str) -> bool:
    """Whether a site-relative path names a release file (not a page or another type's file)."""
    rel = source.removeprefix(f"{CONTENT_DIR}/")
    return (source.startswith(f"{CONTENT_DIR}/") and source.endswith(".md")
            and not any(part.startswith(".") for part in rel.split("/"))
            and rel.split("/", 1)[0] not in TYPE_FOLDERS)


def _read(source: str, path: str) -> tuple[bytes | None, tuple[Diagnostic, ...]]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), ()
    except OSError as exc:
        return None, _unreadable(source, exc)


def _unreadable(source: str, exc: OSError) -> tuple[Diagnostic, ...]:
    return (Diagnostic(source, None, f"cannot read the file: {exc.strerror}",
                       "check that it exists, that it is a plain file and that you may read it"),)


def _parse_all(todo: list[tuple[str, str, str | bytes]], settings: Settings, jobs: int, store: Store | None):
    """(source, release as JSON or None, problems) of each file to parse. The workers put the
    bodies into `store` themselves (the JSON then has none), so bodies never travel to the parent."""
    from .parallel import chunks, fork_map

    def work(indices: range) -> list[tuple[str, dict | None, list[Diagnostic]]]:
        out = []
        for i in indices:
            source, release_id, data = todo[i]
            if isinstance(data, str):       # read here, in parallel: from a cold disk cache it took seconds
                data, trouble = _read(source, data)
                if data is None:
                    out.append((source, None, list(trouble)))
                    continue
            release, found = parse(source, release_id, data, settings)
            out.append((source, release_to_json(release) if release else None, found))
        if store is not None:
            parsed = [as_json for _, as_json, _ in out if as_json is not None]
            if store.put_many([(as_json["content_hash"], as_json["body_html"]) for as_json in parsed]):
                for as_json in parsed:
                    del as_json["body_html"]    # kept in the store, read from there when used
        return out

    # Small chunks: the parent turns each into Releases while the workers go on, and no worker
    # is left alone with a big last chunk at the end.
    parts = chunks(len(todo), jobs, per_job=32) if len(todo) >= PARALLEL_MIN else [range(len(todo))]
    return (item for part in fork_map(work, parts, jobs) for item in part)


def _with_sizes(release: Release, static: Path) -> Release:
    """Attachments with their sizes, for files that really lie in static/ (a link out tells nothing)."""
    from .safety.paths import inside
    sized = []
    for item in release.attachments:
        path = static / item.path.lstrip("/")
        sized.append(replace(item, size=path.stat().st_size) if path.is_file() and inside(path, static) else item)
    return replace(release, attachments=tuple(sized))
