"""UI language: message catalogues for the theme, and dates written the Indonesian way.

Templates are written with Indonesian source strings; `locale/<lang>.po` in a
theme translates them (read with Babel, no compile step). Dates go through
Babel, never `locale.setlocale`.
"""
from __future__ import annotations

import io
import json
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2.ext import Extension

# Indonesia's three time zones have names every reader knows.
ZONE_NAMES = {7 * 3600: "WIB", 8 * 3600: "WITA", 9 * 3600: "WIT"}
DATE_FORMATS = {
    "id": ("EEEE, d MMMM y", "HH.mm"),
    "en": ("EEEE, d MMMM y", "HH:mm"),
}


def translations(language: str, locale_dirs: Iterable[Path]) -> NullTranslations:
    """Merged catalogues for `language`; earlier directories win (site theme before default)."""
    merged: NullTranslations = NullTranslations()
    for directory in reversed(list(locale_dirs)):
        po = directory / f"{language}.po"
        if not po.is_file():
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        layer = Translations(fp=buffer)
        if isinstance(merged, Translations):
            layer.add_fallback(merged)
        merged = layer
    return merged


# `{{ _("literal") }}` as a whole output tag (a {% raw %} block is matched first, to be left alone).
_OUTPUT_GETTEXT = re.compile(r"""(\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})"""
                             r"""|\{\{(-?)\s*_\(\s*("[^"\\\n]*"|'[^'\\\n]*')\s*\)\s*(-?)\}\}""", re.S)


class StaticGettext(Extension):
    """Translates `{{ _("...") }}` once, when a template is compiled, instead of on every render.

    A page holds dozens of such strings and a site tens of thousands of pages; the i18n
    extension's call per string was a tenth of the render time. The output is the same:
    newstyle gettext outputs the translation unescaped (Markup) where autoescape is on, which
    `|safe` reproduces. Calls with arguments, '%' or backslashes stay with the i18n extension.
    Needs `environment.static_translations` set before the first template is compiled.
    """

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(static_translations=None)

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        translations = self.environment.static_translations
        if translations is None or "_(" not in source:
            return source
        autoescape = self.environment.autoescape
        safe = "|safe" if (autoescape(name) if callable(autoescape) else autoescape) else ""

        def fold(match: re.Match[str]) -> str:
            if match.group(1) is not None:
                return match.group(1)
            text = translations.gettext(match.group(3)[1:-1])
            if "%" in match.group(3) or "%" in text:
                return match.group(0)
            return "{{%s %s%s %s}}" % (match.group(2), json.dumps(text, ensure_ascii=False), safe, match.group(4))
        return _OUTPUT_GETTEXT.sub(fold, source)


def zone_name(when: datetime) -> str:
    offset = when.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    if seconds in ZONE_NAMES:
        return ZONE_NAMES[seconds]
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def long_date(when: datetime, language: str, with_time: bool = True) -> str:
    """'Selasa, 15 November 2022 14.30 WITA'."""
    day_format, time_format = DATE_FORMATS.get(language, DATE_FORMATS["en"])
    if not with_time:
        return format_datetime(when, day_format, tzinfo=when.tzinfo, locale=language)
    text = format_datetime(when, f"{day_format} {time_format}", tzinfo=when.tzinfo, locale=language)
    return f"{text} {zone_name(when)}"


def short_date(when: datetime, language: str) -> str:
    """'15 Nov 2022', for lists."""
    return format_datetime(when, "d MMM y", tzinfo=when.tzinfo, locale=language)


@lru_cache(maxsize=4096)
def month_name(year: int, month: int, language: str) -> str:
    """'November 2026', for archive headings."""
    return format_datetime(datetime(year, month, 1), "MMMM y", locale=language)


def human_size(size: int | None, language: str) -> str:
    if size is None:
        return ""
    decimal = "," if language == "id" else "."
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            text = f"{size:.0f}" if unit == "B" else f"{size:.1f}".replace(".", decimal)
            return f"{text} {unit}"
        size /= 1024
    return ""
