"""Agenda (content/agenda/*.md): the leader's and the agency's events, with start, end, place, organiser.

Each event has a page (/agenda/{year}/{slug}/) with schema.org Event JSON-LD;
/agenda/ lists upcoming and past events; agenda.ics (humasgen/types/ical.py) is
the calendar a phone subscribes to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from ..errors import Diagnostic, did_you_mean
from .fields import Item, Key, common, validate

FOLDER = "agenda"
LIST_URL = "/agenda/"
STATUSES = ("terjadwal", "ditunda", "dibatalkan", "dijadwalkan-ulang")
# status -> schema.org eventStatus
SCHEMA_STATUS = MappingProxyType({
    "terjadwal": "https://schema.org/EventScheduled", "ditunda": "https://schema.org/EventPostponed",
    "dibatalkan": "https://schema.org/EventCancelled", "dijadwalkan-ulang": "https://schema.org/EventRescheduled"})
KEYS = (Key("title", required=True), Key("start", "datetime", True), Key("end", "datetime"),
        Key("place", required=True), Key("address"), Key("organizer"), Key("status"), Key("slug", "slug"),
        Key("summary"), Key("lang", "lang"), Key("updated", "datetime"), Key("draft", "bool"),
        Key("extra", "mapping"))


@dataclass(frozen=True, slots=True)
class Event(Item):
    start: datetime
    place: str
    end: datetime | None = None
    address: str = ""
    organizer: str = ""
    status: str = "terjadwal"
    updated: datetime | None = None
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def modified(self) -> datetime | None:
        return self.updated

    @property
    def finish(self) -> datetime:
        return self.end or self.start

    def upcoming(self, now: datetime) -> bool:
        """Not over yet (an event under way is still upcoming)."""
        return self.finish >= now


def parse(source: str, item_id: str, meta: dict, key_lines: dict[str, int], body: str, data: bytes,
          tz: ZoneInfo, language: str, problems: list[Diagnostic]) -> Event | None:
    def fail(line: int | None, message: str, hint: str) -> None:
        problems.append(Diagnostic(source, line, message, hint))

    before = len(problems)
    values = validate(meta, key_lines, KEYS, tz, fail, "an agenda item")
    status = values.get("status", "terjadwal")
    if status not in STATUSES:
        fail(key_lines.get("status"), f"unknown status '{status}'",
             f"{did_you_mean(status, STATUSES)}; leave it out for a scheduled event")
    if "end" in values and "start" in values and values["end"] < values["start"]:
        fail(key_lines.get("end"), "the event ends before it starts", "check the date and time of 'end'")
    if len(problems) > before:
        return None
    shared = common(item_id, source, values, key_lines, body, data, language)
    start = values["start"]
    return Event(
        **shared, url=f"{LIST_URL}{start.year:04d}/{shared['slug']}/", start=start, place=values["place"],
        end=values.get("end"), address=values.get("address", ""), organizer=values.get("organizer", ""),
        status=status)
