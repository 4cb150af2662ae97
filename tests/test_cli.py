"""The command line: init, new, build's messages and exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import NOW, release
from humasgen import __version__, content


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_version_and_help(cli):
    assert __version__ in cli("--version").output
    result = cli("build", "--help")
    assert result.exit_code == 0
    for option in ("--site", "--output", "--base-url", "--drafts", "--future", "--strict", "--jobs",
                   "--previous", "--announce-all"):
        assert option in result.output


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli("build", "--jobs", "0").exit_code == 2
    assert cli("build", "--no-such-option").exit_code == 2
    assert cli("new").exit_code == 2


def test_missing_site_folder_is_a_usage_error(cli, tmp_path):
    result = cli("build", "--site", str(tmp_path / "salah-ketik"))
    assert result.exit_code == 2
    assert "salah-ketik" in result.output
    assert not (tmp_path / "salah-ketik").exists()


def test_build_summary(make_site, cli):
    site = make_site({"content/a.md": release("A"), "content/b.md": release("B", "2026-12-01 09:00")})
    result = cli("build", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "Selesai: 1 rilis, " in result.output and str(site / "output") in result.output
    assert ("Rilis terjadwal berikutnya: Selasa, 1 Desember 2026 09.00 WITA (2026-12-01T09:00:00+08:00)"
            in result.output)
    assert "loading content" in result.output                 # plain progress lines off a terminal


def test_init_then_build(cli, tmp_path):
    target = tmp_path / "situs"
    result = cli("init", str(target), "--title", "Diskominfo Kabupaten Contoh", "--timezone", "WITA")
    assert result.exit_code == 0, result.output
    assert (target / "humasgen.toml").is_file() and (target / ".gitignore").is_file()
    assert "output" in (target / ".gitignore").read_text().split()
    (first,) = (target / "content").rglob("*.md")
    assert front_matter(first)["draft"] is True             # placeholder text never goes out by itself
    assert f"created {first}" in result.output
    first.write_text(first.read_text().replace("draft: true", "draft: false"))
    built = cli("build", "--site", str(target))
    assert built.exit_code == 0, built.output
    assert "Selesai: 1 rilis" in built.output
    home = (target / "output" / "index.html").read_text()
    assert "Diskominfo Kabupaten Contoh" in home and front_matter(first)["title"] in home
    (page,) = (target / "output").glob(f"*/*/{first.stem}/index.html")
    assert "Narahubung" not in page.read_text()          # the scaffold's blank contact shows no box


def test_init_refuses_an_existing_site(cli, make_site):
    site = make_site({})
    before = (site / "humasgen.toml").read_text()
    result = cli("init", str(site), "--timezone", "WITA")
    assert result.exit_code == 1 and "already exists" in result.output
    assert (site / "humasgen.toml").read_text() == before


def test_init_title_with_quotes_and_backslash(cli, tmp_path):
    result = cli("init", str(tmp_path / "s"), "--title", 'Dinas "Kominfo" C:\\Kota', "--timezone", "WIT")
    assert result.exit_code == 0
    from humasgen import config as config_mod
    assert config_mod.load(tmp_path / "s").title == 'Dinas "Kominfo" C:\\Kota'
    assert cli("build", "--site", str(tmp_path / "s")).exit_code == 0


def test_new_release(make_site, cli):
    site = make_site({}, config='title = "Uji"\ntimezone = "Asia/Jayapura"\n')
    result = cli("new", "Pekan Raya Kaltim 2026 — Gubernur Buka Expo", "--site", str(site))
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    # NOW is 2026-11-20 12:00 UTC, 21:00 in Jayapura
    assert path == site / "content" / "2026" / "11" / "pekan-raya-kaltim-2026-gubernur-buka-expo.md"
    meta = front_matter(path)
    assert meta["title"] == "Pekan Raya Kaltim 2026 — Gubernur Buka Expo"
    assert str(meta["date"]) == "2026-11-20 21:00"
    assert meta["draft"] is True
    assert meta["slug"] == "pekan-raya-kaltim-2026-gubernur-buka-expo"   # a fixed headline keeps the URL
    # republish: only for a correction that should be posted to the channels again
    assert set(content.KEYS) - set(meta) <= {"updated", "lang", "attachments", "extra", "republish",
                                             "aliases", "guid", "imported", "translation_key", "corrections", "embargo", "video"}
    item, problems = content.parse("x.md", "x", path.read_bytes(), content.Settings("Asia/Jayapura", "id", "/{slug}/"))
    assert problems == [] and item.date.isoformat() == "2026-11-20T21:00:00+09:00"

    assert cli("build", "--site", str(site)).exit_code == 0
    manifest = json.loads((site / "output" / "manifest.json").read_text())
    assert manifest["releases"] == []                              # a draft until the writer says so
    assert cli("build", "--site", str(site), "--drafts").exit_code == 0
    manifest = json.loads((site / "output" / "manifest.json").read_text())
    assert [r["title"] for r in manifest["releases"]] == ["Pekan Raya Kaltim 2026 — Gubernur Buka Expo"]


def test_new_title_with_quotes(make_site, cli):
    site = make_site({})
    title = 'Gubernur: "Kita Siap" \\ Tuntas'
    path = Path(cli("new", title, "--site", str(site)).output.strip())
    assert front_matter(path)["title"] == title


def test_new_twice_is_an_error(make_site, cli):
    site = make_site({})
    assert cli("new", "Judul Sama", "--site", str(site)).exit_code == 0
    result = cli("new", "Judul Sama", "--site", str(site))
    assert result.exit_code == 1 and "already exists" in result.output


def test_new_empty_title(make_site, cli):
    result = cli("new", "  ", "--site", str(make_site({})))
    assert result.exit_code == 1 and "judulnya kosong" in result.output     # an Indonesian site


def test_now_comes_from_source_date_epoch(make_site, cli):
    site = make_site({"content/a.md": release("Kemarin", "2026-11-20 19:59"),
                      "content/b.md": release("Nanti", "2026-11-20 20:01")})
    cli("build", "--site", str(site))
    manifest = json.loads((site / "output" / "manifest.json").read_text())
    assert [r["title"] for r in manifest["releases"]] == ["Kemarin"]
    assert NOW.isoformat() == "2026-11-20T12:00:00+00:00"


def test_drafts_and_future_flags(make_site, cli):
    site = make_site({"content/a.md": release("Terbit"), "content/b.md": release("Draf", draft="true"),
                      "content/c.md": release("Nanti", "2026-12-01 09:00")})

    def titles(*flags: str) -> list[str]:
        assert cli("build", "--site", str(site), *flags).exit_code == 0
        return sorted(r["title"] for r in json.loads((site / "output" / "manifest.json").read_text())["releases"])

    assert titles() == ["Terbit"]
    assert titles("--drafts") == ["Draf", "Terbit"]
    assert titles("--future") == ["Nanti", "Terbit"]
    assert titles("--drafts", "--future") == ["Draf", "Nanti", "Terbit"]
