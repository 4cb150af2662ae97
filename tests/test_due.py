"""`humasgen due`: a cheap answer for scheduled CI runs (exit 0: build, 3: nothing due)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from humasgen.due import NOT_DUE
from conftest import NOW, release


def due(cli, previous: str):
    return cli("due", "--previous", previous)


def test_due_reads_the_manifest_a_build_wrote(cli, make_site, build_site):
    site = make_site({"content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan"),
                      "content/b.md": release("Bupati Buka Pekan Raya Daerah 2026", "2026-11-21 09:00")})
    build_site(site)
    manifest = str(site / "output" / "manifest.json")
    waiting = due(cli, manifest)                             # NOW: 20 Nov 20:00 WITA; next is 21 Nov 09:00
    assert waiting.exit_code == NOT_DUE == 3
    assert "not due" in waiting.output and "2026-11-21T09:00:00+08:00" in waiting.output


@pytest.mark.parametrize("next_scheduled, hours, expected", [
    ("2026-11-20T13:00:00+00:00", 0, NOT_DUE),      # an hour ahead
    ("2026-11-20T13:00:00+00:00", 1, 0),            # its time has come
    ("2026-11-20T11:00:00+00:00", 0, 0),            # overdue (a run was missed)
    (None, 0, NOT_DUE),                             # nothing scheduled
])
def test_due_compares_next_scheduled_with_now(tmp_path, next_scheduled, hours, expected):
    from click.testing import CliRunner
    from humasgen.cli import main
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"version": 1, "next_scheduled": next_scheduled, "releases": []}))
    epoch = int((NOW + timedelta(hours=hours)).timestamp())
    result = CliRunner().invoke(main, ["due", "--previous", str(path)], env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert result.exit_code == expected, result.output


@pytest.mark.parametrize("content", [None, b"{not json", b'{"pending": true, "version": 1}',
                                     b'{"next_scheduled": "besok pagi"}'])
def test_due_builds_whenever_it_cannot_be_sure(cli, tmp_path, content):
    path = tmp_path / "manifest.json"
    if content is not None:
        path.write_bytes(content)
    result = due(cli, str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("due: ")


def test_due_needs_previous(cli):
    assert cli("due").exit_code == 2
