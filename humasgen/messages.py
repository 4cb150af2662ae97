"""What the command line tells an officer, in the site's language.

Library code writes its diagnostics in English (the language of the code) and stays free of
any language setting: diagnostics are made in worker processes, cached, and read by tools.
The command line translates them at the last moment, with humasgen's own catalogue
`humasgen/locale/<lang>.po`, read by the same Babel loader as the theme's catalogues
(`i18n.translations`). It is a catalogue of its own because it goes the other way (English
source, Indonesian translation; the theme's source strings are Indonesian), and because a
site's theme must not be able to change what an error message says.

A diagnostic's message is matched against the catalogue's entries written with `{name}`
placeholders (`cannot read the date '{value}'`); the captured values are put into the
translation; those named `..._text` are themselves translated (`{noun_text}`: `title` -> `judul`).
A message without an entry stays in English. `error:` and `warning:` stay as they are:
CI problem matchers and editors read them.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

from babel.support import NullTranslations

from . import i18n
from .errors import Diagnostic

LOCALE_DIR = Path(__file__).parent / "locale"
_FIELD = re.compile(r"\{(\w+)\}")


def site_language(site_dir: Path) -> str:
    """The `language` of the site's humasgen.toml ("id", the default, when it cannot be read)."""
    try:
        table = tomllib.loads((site_dir / "humasgen.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "id"
    language = table.get("language", "id")
    return language if language in ("id", "en") else "id"


@lru_cache(maxsize=8)
def catalogue(language: str) -> NullTranslations:
    return i18n.translations(language, [LOCALE_DIR])


def gettext(language: str) -> Callable[[str], str]:
    return catalogue(language).gettext


def ngettext(language: str) -> Callable[[str, str, int], str]:
    return catalogue(language).ngettext


@lru_cache(maxsize=8)
def _patterns(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(regex of an English message with placeholders, its translation), longest first."""
    translations = catalogue(language)
    catalog = getattr(translations, "_catalog", {})
    found = []
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or "{" not in msgid or not msgstr:
            continue
        parts = _FIELD.split(msgid)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        try:
            found.append((re.compile(regex + r"\Z", re.S), msgstr))
        except re.error:        # a placeholder used twice: not matchable this way
            continue
    found.sort(key=lambda item: -len(item[0].pattern))
    return tuple(found)


def translate(text: str, language: str) -> str:
    """One English message or hint in `language` (unchanged when the catalogue lacks it)."""
    if not text or language == "en":
        return text
    plain = catalogue(language).gettext(text)
    if plain != text:
        return plain
    for pattern, translation in _patterns(language):
        match = pattern.match(text)
        if match:
            values = {name: translate(value, language) if name.endswith("_text") else value
                      for name, value in match.groupdict().items()}
            return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), translation)
    # A message joined with '; ' from two (e.g. '...; this is a draft: fix it before publishing').
    if "; " in text:
        head, _, tail = text.rpartition("; ")
        joined = f"{translate(head, language)}; {translate(tail, language)}"
        if joined != text:
            return joined
    return text


def diagnostic(d: Diagnostic, language: str) -> Diagnostic:
    return replace(d, message=translate(d.message, language), hint=translate(d.hint, language))


def show(d: Diagnostic, language: str) -> str:
    return diagnostic(d, language).format()
