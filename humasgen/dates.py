"""Dates and times in front matter, read as an Indonesian press officer writes them.

`2026-12-05 21:50`, `2026-12-05 21.50`, `2026-12-05 21.50 WIB`, `5 Desember 2026 21.50`,
`Sabtu, 5 Des 2026` and ISO 8601 with an offset are all read exactly. Anything that
could mean two things (`05/12/2026`), or that no officer means (fractional seconds),
is an error whose hint says exactly what to write. Nothing is guessed.

The text read is the raw YAML scalar (see `content._load_yaml`): YAML's own timestamp
and float rules never see it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

# Indonesia's three time zones, as written after a time and as `timezone` in humasgen.toml.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}



def zone_label(name: str) -> str:
    """'WITA (Asia/Makassar)': the site's zone as an officer knows it."""
    short = next((abbr for abbr, full in ZONES.items() if full == name), "")
    return f"{short} ({name})" if short else name


MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12,
}
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember")
DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")

EXAMPLES = "2026-12-05, 2026-12-05 21:50, 2026-12-05 21.50 WITA or 5 Desember 2026 21.50"

_TIME = r"(?P<hour>\d{1,2})(?P<sep>[:.])(?P<minute>\d{1,2})(?:(?P=sep)(?P<second>\d{1,2})(?P<fraction>[.,]\d+)?)?"
_ZONE = r"(?:\s*(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)|\s+(?P<zone>[A-Za-z]{2,5}))?"
_ISO = re.compile(rf"^(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?:(?:[Tt]|\s+){_TIME})?{_ZONE}$")
_WORDS = re.compile(rf"^(?:(?P<weekday>[A-Za-z']+),?\s+)?(?P<day>\d{{1,2}})\s+(?P<monthname>[A-Za-z]+)\.?\s+"
                    rf"(?P<year>\d{{4}})(?:,?\s+(?:pukul\s+)?{_TIME})?{_ZONE}$", re.I)
_SLASHED = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4})\b")


@dataclass(frozen=True, slots=True)
class DateProblem:
    message: str
    hint: str


def parse(text: str, tz: tzinfo) -> datetime | DateProblem:
    """A front matter date or datetime as an aware datetime in `tz` (naive times are in `tz`)."""
    raw = " ".join(str(text).split())
    if not raw:
        return DateProblem("the date is empty", f"write it as {EXAMPLES}")
    match = _ISO.match(raw) or _WORDS.match(raw)
    if match is None:
        return _unreadable(raw)
    parts = match.groupdict()
    if "monthname" in parts:
        month = MONTHS.get(parts["monthname"].lower())
        if month is None:
            return DateProblem(f"unknown month '{parts['monthname']}' in the date '{raw}'",
                               "write the month in Indonesian (Desember or Des) or as 2026-12-05")
    else:
        month = int(parts["month"])
    try:
        day = date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return DateProblem(f"the date '{raw}' does not exist", "check the day and the month")
    weekday = (parts.get("weekday") or "").lower().replace("'", "")
    if weekday and weekday != DAYS[day.weekday()]:
        if weekday in DAYS:
            return DateProblem(f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year} is a "
                               f"{DAYS[day.weekday()].capitalize()}, not a {weekday.capitalize()}",
                               "check the date, or leave the day's name out")
        return DateProblem(f"cannot read '{parts['weekday']}' in the date '{raw}'", f"write it as {EXAMPLES}")
    clock = time()
    if parts["hour"] is not None:
        made = _clock(raw, parts)
        if isinstance(made, DateProblem):
            return made
        clock = made
    zone = _zone(raw, parts)
    if isinstance(zone, DateProblem):
        return zone
    when = datetime.combine(day, clock)
    if zone is None:
        return when.replace(tzinfo=tz)
    return when.replace(tzinfo=zone).astimezone(tz)


def _clock(raw: str, parts: dict) -> time | DateProblem:
    hour, minute = int(parts["hour"]), int(parts["minute"])
    second = int(parts["second"]) if parts["second"] is not None else 0
    shown = f"{hour:02d}{parts['sep']}{minute:02d}"
    if parts["fraction"] is not None:
        return DateProblem(f"the time in '{raw}' has fractional seconds",
                           f"write hours and minutes only, e.g. {shown}" + (f", or {shown}:{second:02d}"
                                                                            if parts["sep"] == ":" else ""))
    if len(parts["minute"]) != 2:
        return DateProblem(f"the minutes in '{raw}' need two digits",
                           f"write {hour:02d}{parts['sep']}0{minute} or {hour:02d}{parts['sep']}{minute}0")
    if hour > 23 or minute > 59 or second > 59:
        return DateProblem(f"the time in '{raw}' does not exist",
                           "hours go from 00 to 23 and minutes from 00 to 59 (midnight is 00.00 of the next day)")
    return time(hour, minute, second)


def _zone(raw: str, parts: dict) -> tzinfo | None | DateProblem:
    if parts["zone"]:
        name = ZONES.get(parts["zone"].upper())
        if name is None:
            return DateProblem(f"unknown time zone '{parts['zone']}' in the date '{raw}'",
                               "write WIB, WITA or WIT after the time, or an offset such as +07:00")
        if parts["hour"] is None:
            return DateProblem(f"the date '{raw}' has a time zone but no time",
                               f"write the time before the zone, e.g. {raw.rsplit(' ', 1)[0]} 09.00 {parts['zone']}")
        return ZoneInfo(name)
    offset = parts["offset"]
    if not offset:
        return None
    if offset in ("Z", "z"):
        return timezone.utc
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        return DateProblem(f"the offset {offset} in the date '{raw}' does not exist", "write e.g. +07:00 (WIB)")
    sign = 1 if offset[0] == "+" else -1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _unreadable(raw: str) -> DateProblem:
    slashed = _SLASHED.match(raw)
    if slashed:
        a, b, year = int(slashed["a"]), int(slashed["b"]), slashed["year"]
        options = []
        if 1 <= b <= 12 and 1 <= a <= 31:
            options.append(f"{year}-{b:02d}-{a:02d} for {a} {MONTH_NAMES[b - 1]}")
        if 1 <= a <= 12 and 1 <= b <= 31 and a != b:
            options.append(f"{year}-{a:02d}-{b:02d} for {b} {MONTH_NAMES[a - 1]}")
        if len(options) != 1:
            return DateProblem(f"the date '{raw}' can be read two ways (day/month or month/day)",
                               "write " + " or ".join(options) if options else f"write it as {EXAMPLES}")
        return DateProblem(f"cannot read the date '{raw}'", f"write {options[0]}, then the time")
    return DateProblem(f"cannot read the date '{raw}'", f"write it as {EXAMPLES}")


def as_datetime(value: object, tz: tzinfo) -> datetime | DateProblem:
    """A value already made by a YAML loader or a program (date, datetime or text)."""
    if isinstance(value, datetime):
        if value.microsecond:
            return DateProblem(f"the time {value.isoformat()} has fractional seconds",
                               "write hours and minutes only, e.g. 21:50")
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    if isinstance(value, str):
        return parse(value, tz)
    return DateProblem(f"cannot read the date {value!r}", f"write it as {EXAMPLES}")
