"""Exactly once: what a build announces, across rebuilds, drafts, schedules and --previous."""
from __future__ import annotations

import http.server
import json
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, release
from humasgen.errors import HumasgenError

PLATFORM_FILES = {f"{p}.txt" for p in ("facebook", "instagram", "tiktok", "x", "threads", "bluesky",
                                       "linkedin", "whatsapp", "telegram")}


def social_folders(site: Path) -> list[str]:
    root = site / "social"
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) if root.is_dir() else []


def ids(releases) -> list[str]:
    return sorted(r.id for r in releases)


@pytest.fixture
def site(make_site):
    return make_site({"content/a.md": release("Rilis Pertama", date="2026-11-18 09:00", tags="[uji]"),
                      "content/b.md": release("Rilis Kedua", date="2026-11-19 09:00")})


def test_exactly_once_across_rebuilds(site, build_site):
    first = build_site(site)
    assert first.announcements.new == () and not first.announcements.baseline
    assert social_folders(site) == []
    assert first.announcements.recorded

    (site / "content/c.md").write_text(release("Rilis Ketiga", date="2026-11-20 08:00"))
    second = build_site(site)
    assert ids(second.announcements.new) == ["c"]
    assert social_folders(site) == ["2026-11-20-rilis-ketiga"]
    folder = site / "social/2026-11-20-rilis-ketiga"
    files = {p.name for p in folder.iterdir()}
    assert PLATFORM_FILES | {"snippets.json", "card.jpg", "portrait.jpg", "story.jpg"} == files
    index = json.loads((folder / "snippets.json").read_text())
    assert index["release"]["id"] == "c" and set(index["platforms"]) == {f[:-4] for f in PLATFORM_FILES}
    assert second.announcements.outputs_of("c") == ["social/2026-11-20-rilis-ketiga"]

    third = build_site(site)
    assert third.announcements.new == () and third.announcements.updated == ()
    assert social_folders(site) == ["2026-11-20-rilis-ketiga"]


def test_draft_made_public_is_announced_then(site, build_site):
    build_site(site)
    draft = site / "content/d.md"
    draft.write_text(release("Rilis Draf", date="2026-11-20 07:00", draft="true"))
    assert build_site(site).announcements.new == ()
    assert build_site(site, drafts=True).announcements.new == ()      # a preview build announces nothing
    draft.write_text(release("Rilis Draf", date="2026-11-20 07:00"))
    assert ids(build_site(site).announcements.new) == ["d"]
    assert build_site(site).announcements.new == ()


def test_scheduled_release_is_new_when_its_time_comes(site, build_site):
    build_site(site)
    (site / "content/e.md").write_text(release("Rilis Terjadwal", date="2026-11-21 09:00"))
    assert build_site(site).announcements.new == ()
    assert build_site(site, future=True).announcements.new == ()
    later = NOW + timedelta(days=2)
    assert ids(build_site(site, now=later).announcements.new) == ["e"]
    assert build_site(site, now=later).announcements.new == ()


def test_updated_release_is_reported_as_updated(site, build_site):
    build_site(site)
    (site / "content/a.md").write_text(release("Rilis Pertama", date="2026-11-18 09:00", body="Isi diperbaiki."))
    result = build_site(site)
    assert result.announcements.new == ()
    assert ids(result.announcements.updated) == ["a"]
    assert social_folders(site) == []


def test_removed_and_moved_releases(site, build_site):
    build_site(site)
    shutil.move(site / "content/a.md", site / "content/arsip-a.md")      # same title and date: same URL
    (site / "content/b.md").unlink()
    result = build_site(site)
    assert result.announcements.new == ()
    assert [e.id for e in result.announcements.removed] == ["b"]


def test_first_build_with_announce_all(site, build_site):
    result = build_site(site, announce_all=True)
    assert ids(result.announcements.new) == ["a", "b"]
    assert social_folders(site) == ["2026-11-18-rilis-pertama", "2026-11-19-rilis-kedua"]
    assert build_site(site, announce_all=True).announcements.new == ()   # only without a previous manifest


def test_previous_manifest_from_a_file(site, build_site, tmp_path):
    build_site(site)
    deployed = tmp_path / "deployed-manifest.json"
    shutil.copy(site / "output/manifest.json", deployed)
    (site / "content/c.md").write_text(release("Rilis Ketiga", date="2026-11-20 08:00"))
    fresh = tmp_path / "ci-output"                  # a CI job on a fresh checkout: no output, no cache
    shutil.rmtree(site / ".humasgen")
    result = build_site(site, output_dir=fresh, previous=str(deployed))
    assert ids(result.announcements.new) == ["c"]
    recorded = json.loads((fresh / "manifest.json").read_text())
    assert sorted(r["id"] for r in recorded["releases"]) == ["a", "b", "c"]


class _Manifests(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        if self.path == "/manifest.json":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(self.body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Manifests)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_previous_manifest_from_a_url(site, build_site, tmp_path, server):
    build_site(site)
    _Manifests.body = (site / "output/manifest.json").read_bytes()
    (site / "content/c.md").write_text(release("Rilis Ketiga", date="2026-11-20 08:00"))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    result = build_site(site, output_dir=tmp_path / "ci", previous=f"{base}/manifest.json")
    assert ids(result.announcements.new) == ["c"]
    with pytest.raises(HumasgenError, match="not found"):
        build_site(site, output_dir=tmp_path / "ci2", previous=f"{base}/tidak-ada.json")
    assert not (tmp_path / "ci2").exists()


def test_bad_previous_is_an_error_and_nothing_is_written(site, build_site, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("<html>")
    with pytest.raises(HumasgenError, match="not valid JSON"):
        build_site(site, previous=str(junk))
    with pytest.raises(HumasgenError, match="cannot read"):
        build_site(site, previous=str(tmp_path / "missing.json"))
    assert not (site / "output").exists()


def test_a_crash_after_the_swap_announces_again(site, build_site):
    """At least once: the new manifest is recorded only after announcing."""
    build_site(site)
    before = (site / "output/manifest.json").read_bytes()
    (site / "content/c.md").write_text(release("Rilis Ketiga", date="2026-11-20 08:00"))
    (site / "hooks.py").write_text(
        "import humasgen\n"
        "class PowerCut(BaseException):\n    pass\n"
        "@humasgen.hookimpl\n"
        "def release_published(release):\n    raise PowerCut()\n")
    with pytest.raises(BaseException) as caught:
        build_site(site)
    assert type(caught.value).__name__ == "PowerCut"
    assert (site / "output/2026/11/rilis-ketiga/index.html").is_file()     # the new site is live
    assert (site / "output/manifest.json").read_bytes() == before           # the old record is kept
    (site / "hooks.py").unlink()
    assert ids(build_site(site).announcements.new) == ["c"]
    assert build_site(site).announcements.new == ()


def test_first_build_crash_keeps_a_pending_record(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Pertama"),
                      "hooks.py": "import humasgen\n@humasgen.hookimpl\n"
                                  "def release_published():\n    raise KeyboardInterrupt\n"})
    with pytest.raises(KeyboardInterrupt):
        build_site(site, announce_all=True)
    assert json.loads((site / "output/manifest.json").read_text()) == {"pending": True, "version": 1}
    (site / "hooks.py").unlink()
    assert ids(build_site(site, announce_all=True).announcements.new) == ["a"]


def test_cli_prints_announcements(site, cli):
    first = cli("build", "--site", str(site))
    assert first.exit_code == 0 and "tidak ada yang diumumkan" in first.output
    (site / "content/c.md").write_text(release("Rilis Ketiga", date="2026-11-20 08:00"))
    result = cli("build", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "Diumumkan 1 rilis baru:" in result.output
    assert "c: Rilis Ketiga -> social/2026-11-20-rilis-ketiga" in result.output
    assert "Diumumkan" not in cli("build", "--site", str(site)).output


def test_social_command_regenerates_one_release(site, cli):
    result = cli("social", "rilis-kedua", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "social/2026-11-19-rilis-kedua" in result.output
    assert social_folders(site) == ["2026-11-19-rilis-kedua"]
    x = site / "social/2026-11-19-rilis-kedua/x.txt"
    x.write_text("diubah tangan")
    assert cli("social", "b", "--site", str(site)).exit_code == 0          # by id too
    assert x.read_text().startswith("Rilis Kedua")
    assert not (site / "output").exists()
    missing = cli("social", "rilis-kedu", "--site", str(site))
    assert missing.exit_code == 1 and "maksud Anda 'rilis-kedua'?" in missing.output
