"""humasgen.toml: defaults, unknown keys, wrong types, bad values, --base-url."""
from __future__ import annotations

import pytest

from conftest import release
from humasgen import config as config_mod
from humasgen.errors import HumasgenError


def load_error(site) -> HumasgenError:
    with pytest.raises(HumasgenError) as caught:
        config_mod.load(site)
    return caught.value


def test_folder_with_only_content_builds_with_defaults(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Pertama")}, config=None)
    result = build_site(site)
    config = result.site.config
    assert (config.title, config.language, config.timezone, config.per_page) == ("Siaran Pers", "id", "Asia/Makassar", 10)
    assert config.permalink == "/{year}/{month}/{slug}/"
    assert (site / "output" / "index.html").is_file()
    assert (site / "output" / "2026" / "11" / "rilis-pertama" / "index.html").is_file()


def test_every_documented_key_is_read(make_site):
    site = make_site(config='''
title = "Diskominfo Uji"
agency = "Dinas Komunikasi dan Informatika Provinsi Uji"
tagline = "Informasi Terbuka"
base_url = "https://uji.example.go.id/"
language = "en"
timezone = "Asia/Jayapura"
permalink = "/berita/{slug}/"
per_page = 7
theme = "default"
logo = "/images/logo.png"
address = "Jalan Merdeka 1"
phone = "(0541) 123"
email = "humas@uji.example.go.id"
related = 3
[feeds]
items = 20
''')
    config = config_mod.load(site)
    assert config.title == "Diskominfo Uji"
    assert config.agency_name == "Dinas Komunikasi dan Informatika Provinsi Uji"
    assert config.base_url == "https://uji.example.go.id"      # trailing slash dropped
    assert (config.language, config.timezone, config.per_page, config.related) == ("en", "Asia/Jayapura", 7, 3)
    assert config.permalink == "/berita/{slug}/"
    assert (config.logo, config.address, config.phone, config.email) == (
        "/images/logo.png", "Jalan Merdeka 1", "(0541) 123", "humas@uji.example.go.id")
    assert config.feeds.items == 20
    with pytest.raises(Exception):
        config.title = "changed"     # frozen


def test_unknown_key_names_key_file_line_and_nearest(make_site):
    site = make_site(config='title = "Uji"\n\ntimezon = "Asia/Jakarta"\n')
    error = load_error(site)
    (d,) = error.diagnostics
    assert (d.path, d.line) == ("humasgen.toml", 3)
    assert "timezon" in d.message
    assert "timezone" in d.hint


def test_unknown_key_in_table_is_reported_with_its_table(make_site):
    site = make_site(config='title = "Uji"\n[feeds]\nitem = 5\n')
    (d,) = load_error(site).diagnostics
    assert d.line == 3 and "feeds.item" in d.message and "'items'" in d.hint


def test_unknown_key_via_cli(make_site, cli):
    site = make_site({"content/a.md": release("A")}, config='titel = "Uji"\n')
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml:1: error: kunci 'titel' tidak dikenal" in result.output
    assert "maksud Anda 'title'?" in result.output
    assert "Traceback" not in result.output
    assert not (site / "output").exists()


@pytest.mark.parametrize("line, expected", [
    ('per_page = "sepuluh"', "'per_page' must be a whole number"),
    ("title = 12", "'title' must be a string"),
    ("per_page = true", "'per_page' must be a whole number"),
    ('feeds = "ya"', "'feeds' must be a table"),
])
def test_wrong_type_names_key_and_line(make_site, line, expected):
    site = make_site(config=f'# site\n{line}\n')
    (d,) = load_error(site).diagnostics
    assert d.line == 2
    assert expected in d.message


def test_all_config_problems_in_one_run(make_site):
    site = make_site(config='titel = "x"\nper_page = "x"\ntimezone = "Mars/Olympus"\n')
    lines = sorted(d.line for d in load_error(site).diagnostics)
    assert lines == [1, 2, 3]


@pytest.mark.parametrize("value", ["Mars/Olympus", "WITE", ""])
def test_bad_timezone(make_site, value):
    site = make_site(config=f'title = "Uji"\ntimezone = "{value}"\n')
    (d,) = load_error(site).diagnostics
    assert d.line == 2 and "timezone" in d.message and "Asia/Jakarta" in d.hint


@pytest.mark.parametrize("value", ["diskominfo.example.go.id", "ftp://example.go.id", "https://", "/berita"])
def test_bad_base_url(make_site, value):
    site = make_site(config=f'title = "Uji"\nbase_url = "{value}"\n')
    (d,) = load_error(site).diagnostics
    assert d.line == 2 and "base_url" in d.message


def test_bad_permalink_and_per_page(make_site):
    site = make_site(config='permalink = "/{year}/{judul}/"\nper_page = 0\n')
    messages = " ".join(d.message for d in load_error(site).diagnostics)
    assert "permalink" in messages and "per_page" in messages


def test_bad_toml_names_line(make_site, cli):
    site = make_site({"content/a.md": release("A")}, config='title = "Uji"\nbase_url = \n')
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml:2: error: TOML tidak sah" in result.output
    assert "Traceback" not in result.output


def test_base_url_option_overrides_config(make_site, cli):
    site = make_site({"content/a.md": release("Rilis Pertama")})
    result = cli("build", "--site", str(site), "--base-url", "https://pratinjau.example.org/")
    assert result.exit_code == 0, result.output
    page = (site / "output" / "2026" / "11" / "rilis-pertama" / "index.html").read_text()
    assert 'href="https://pratinjau.example.org/2026/11/rilis-pertama/"' in page
    assert "uji.example.go.id" not in page
    manifest = (site / "output" / "manifest.json").read_text()
    assert '"base_url": "https://pratinjau.example.org"' in manifest


def test_base_url_with_path_prefixes_internal_links(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Pertama", body="Lihat [arsip](/arsip/).")})
    build_site(site, base_url="https://example.go.id/humas/")
    page = (site / "output" / "2026" / "11" / "rilis-pertama" / "index.html").read_text()
    assert 'href="/humas/css/style.css"' in page
    assert 'href="/humas/arsip/"' in page
    assert 'href="https://example.go.id/humas/2026/11/rilis-pertama/"' in page


def test_bad_base_url_option_is_an_error(make_site, cli):
    site = make_site({"content/a.md": release("A")})
    result = cli("build", "--site", str(site), "--base-url", "example.go.id")
    assert result.exit_code == 1
    assert "base_url harus URL http(s) lengkap" in result.output


def test_non_utf8_config(make_site, cli):
    site = make_site({"content/a.md": release("A")}, config=None)
    (site / "humasgen.toml").write_bytes(b'title = "Dinas \xff"\n')
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml:1: error:" in result.output and "UTF-8" in result.output
    assert "Traceback" not in result.output
