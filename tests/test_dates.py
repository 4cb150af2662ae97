"""Dates and times written the Indonesian way: read exactly, or an error saying what to write."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from conftest import release
from humasgen.content import Settings, parse

MAKASSAR = Settings("Asia/Makassar", "id", "/{year}/{month}/{slug}/")


def parsed(text: str, settings: Settings = MAKASSAR):
    return parse("content/a.md", "a", text.encode("utf-8"), settings)


@pytest.mark.parametrize("written, expected", [
    ("2026-12-05 21.50", "2026-12-05T21:50:00+08:00"),          # was 21:00:00.5: 50 minutes early
    ("2026-12-05 10.30", "2026-12-05T10:30:00+08:00"),          # was 10:00:00.3
    ("2026-12-05 9.05", "2026-12-05T09:05:00+08:00"),
    ("'2026-12-05 21.50'", "2026-12-05T21:50:00+08:00"),
    ("2026-12-05 21.50 WITA", "2026-12-05T21:50:00+08:00"),
    ("2026-12-05 21.50 WIB", "2026-12-05T22:50:00+08:00"),      # 21.50 in Jakarta is 22.50 in Makassar
    ("2026-12-05 21.50 WIT", "2026-12-05T20:50:00+08:00"),
    ("2026-12-05 21:50 wib", "2026-12-05T22:50:00+08:00"),
    ("5 Desember 2026 21.50", "2026-12-05T21:50:00+08:00"),
    ("5 Des 2026", "2026-12-05T00:00:00+08:00"),
    ("Sabtu, 5 Desember 2026 pukul 09.00 WIB", "2026-12-05T10:00:00+08:00"),
    ("2026-12-05 21:50:30", "2026-12-05T21:50:30+08:00"),
    ("2026-12-05T21:50:00+07:00", "2026-12-05T22:50:00+08:00"),
])
def test_indonesian_times_are_read_as_meant(written, expected):
    item, problems = parsed(release("Rilis", date=written))
    assert problems == [] and item.date.isoformat() == expected


@pytest.mark.parametrize("written, message, hint", [
    ("2026-12-05 21:50:00.5", "fractional seconds", "21:50"),
    ("2026-12-05T21:50:00.250+08:00", "fractional seconds", "21:50"),
    ("2026-12-05 21.5", "two digits", "21.05 or 21.50"),
    ("05/12/2026 09.00", "can be read two ways", "2026-12-05 for 5 Desember or 2026-05-12 for 12 Mei"),
    ("5 Dec 2026", "unknown month 'Dec'", "Desember or Des"),
    ("Jumat, 5 Desember 2026", "is a Sabtu, not a Jumat", "leave the day's name out"),
    ("2026-12-05 WIB", "time zone but no time", "2026-12-05 09.00 WIB"),
    ("2026-12-05 21.50 WITE", "unknown time zone 'WITE'", "WIB, WITA or WIT"),
    ("2026-12-05 24.00", "does not exist", "00 to 23"),
])
def test_ambiguous_or_odd_times_are_errors_that_say_what_to_write(written, message, hint):
    item, problems = parsed(release("Rilis", date=written))
    assert item is None and len(problems) == 1
    assert problems[0].line == 3 and message in problems[0].message and hint in problems[0].hint


def test_updated_is_read_the_same_way():
    item, problems = parsed(release("Rilis", date="2026-12-05 21.50", updated="2026-12-06 08.15 WIB"))
    assert problems == [] and item.updated.isoformat() == "2026-12-06T09:15:00+08:00"
    item, problems = parsed(release("Rilis", date="2026-12-05", updated="2026-12-06 08:15:00.5"))
    assert item is None and problems[0].line == 4 and "'updated'" in problems[0].message


def test_embargo_holds_and_the_page_shows_the_time_written(make_site, build_site):
    """21.50 is 21:50: not published at 21:45, published at 21:50, and shown as '21.50 WITA'."""
    site = make_site({"content/rilis.md": release("Embargo Rilis Jembatan Baru", date="2026-12-05 21.50")})
    before = datetime(2026, 12, 5, 13, 45, tzinfo=timezone.utc)     # 21.45 WITA
    assert build_site(site, now=before).site.releases == ()
    result = build_site(site, now=datetime(2026, 12, 5, 13, 50, tzinfo=timezone.utc))
    (only,) = result.site.releases
    page = (site / "output" / only.url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Sabtu, 5 Desember 2026 21.50 WITA" in page


def test_check_reports_the_fractional_seconds(make_site, cli):
    site = make_site({"content/rilis.md": release("Rilis Dengan Detik Pecahan di Jam", date="2026-11-19 09:30:00.5")})
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/rilis.md:3:" in result.output and "09:30" in result.output
