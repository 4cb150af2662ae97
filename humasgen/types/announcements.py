"""Pengumuman (content/pengumuman/*.md): announcements with a deadline (`expires`).

Until it expires an announcement is on the home page, on /pengumuman/ and in its
feed; afterwards it leaves them but keeps its page, marked as expired. The build
time decides, so a scheduled build after the deadline removes it on time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from ..errors import Diagnostic
from .fields import Item, Key, common, validate

FOLDER = "pengumuman"
LIST_URL = "/pengumuman/"
KEYS = (Key("title", required=True), Key("date", "datetime", True), Key("expires", "datetime"),
        Key("slug", "slug"), Key("summary"), Key("unit"), Key("lang", "lang"), Key("updated", "datetime"),
        Key("draft", "bool"), Key("extra", "mapping"))


@dataclass(frozen=True, slots=True)
class Announcement(Item):
    date: datetime
    expires: datetime | None = None
    unit: str = ""
    updated: datetime | None = None
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def modified(self) -> datetime:
        return self.updated or self.date

    def expired(self, now: datetime) -> bool:
        return self.expires is not None and self.expires <= now


def parse(source: str, item_id: str, meta: dict, key_lines: dict[str, int], body: str, data: bytes,
          tz: ZoneInfo, language: str, problems: list[Diagnostic]) -> Announcement | None:
    def fail(line: int | None, message: str, hint: str) -> None:
        problems.append(Diagnostic(source, line, message, hint))

    before = len(problems)
    values = validate(meta, key_lines, KEYS, tz, fail, "an announcement")
    if "expires" in values and "date" in values and values["expires"] <= values["date"]:
        fail(key_lines.get("expires"), "the announcement expires before it is published",
             "'expires' must be later than 'date'")
    if len(problems) > before:
        return None
    shared = common(item_id, source, values, key_lines, body, data, language)
    when = values["date"]
    return Announcement(
        **shared, url=f"{LIST_URL}{when.year:04d}/{shared['slug']}/", date=when,
        expires=values.get("expires"), unit=values.get("unit", ""))
