"""Old addresses keep working: aliases, [redirects], and releases whose URL changed (issue 14.3)."""
from __future__ import annotations

import re

from conftest import BASIC_CONFIG, release


def test_aliases_make_html_stand_ins_and_host_redirect_files(make_site, build_site):
    site = make_site({"content/a.md": release("Gubernur Meresmikan Jembatan Baru", slug="jembatan-baru",
                                              aliases="[/2023/05/jembatan-lama/, /berita/jembatan.html, '/?p=77']")},
                     config=BASIC_CONFIG + '\n[redirects]\n"/category/berita/" = "/kategori/umum/"\n')
    build_site(site)
    out = site / "output"
    stand_in = (out / "2023/05/jembatan-lama/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://uji.example.go.id/2026/11/jembatan-baru/">' in stand_in
    assert 'http-equiv="refresh" content="0; url=https://uji.example.go.id/2026/11/jembatan-baru/"' in stand_in
    assert (out / "berita/jembatan.html").is_file()
    netlify = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    assert "/2023/05/jembatan-lama/  /2026/11/jembatan-baru/  301" in netlify
    assert "/  p=77  /2026/11/jembatan-baru/  301!" in netlify
    assert "/category/berita/  /kategori/umum/  301" in netlify
    nginx = (out / "redirects.nginx.conf").read_text(encoding="utf-8")
    assert '"/?p=77" "https://uji.example.go.id/2026/11/jembatan-baru/";' in nginx
    assert nginx.count("{") == nginx.count("}")
    htaccess = (out / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteRule ^2023/05/jembatan\\-lama/$ /2026/11/jembatan-baru/ [R=301,L,QSD]" in htaccess
    assert "RewriteCond %{QUERY_STRING} ^p=77$" in htaccess


def test_an_alias_that_is_a_real_page_is_an_error_and_output_is_kept(make_site, build_site, cli):
    site = make_site({"content/a.md": release("Gubernur Meresmikan Jembatan Baru", slug="jembatan-baru")})
    build_site(site)
    before = (site / "output/index.html").read_bytes()
    (site / "content/b.md").write_text(release("Bupati Meninjau Panen Raya Padi", slug="panen",
                                               aliases="[/2026/11/jembatan-baru/]"), encoding="utf-8")
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert re.search(r"content/b\.md:\d+: error: alamat lama /2026/11/jembatan-baru/ adalah alamat sebuah "
                     r"halaman situs ini", result.output)                 # an Indonesian site
    assert (site / "output/index.html").read_bytes() == before


def test_bad_alias_and_redirect_entries_are_errors(make_site, cli):
    site = make_site({"content/a.md": release("Gubernur Meresmikan Jembatan Baru", aliases="[lama/jembatan]")},
                     config=BASIC_CONFIG + '\n[redirects]\n"kategori-lama" = "/kategori/umum/"\n')
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "content/a.md:4: error: alias 'lama/jembatan' tidak sah" in result.output
    assert "humasgen.toml:6: error: invalid redirect 'kategori-lama'" in result.output


def test_a_fixed_headline_keeps_the_published_url_working(make_site, cli):
    site = make_site({"content/jembatan.md": release("Gubernur Resmikan Jembatan Baru di Sukamaju")})
    assert cli("build", "--site", str(site)).exit_code == 0
    old = site / "output/2026/11/gubernur-resmikan-jembatan-baru-di-sukamaju/index.html"
    assert old.is_file()
    (site / "content/jembatan.md").write_text(release("Gubernur Meresmikan Jembatan Baru di Sukamaju"),
                                              encoding="utf-8")
    result = cli("build", "--site", str(site))
    assert result.exit_code == 0
    assert ("URL berubah: /2026/11/gubernur-resmikan-jembatan-baru-di-sukamaju/ -> "
            "/2026/11/gubernur-meresmikan-jembatan-baru-di-sukamaju/") in result.output     # an Indonesian site
    new_url = "https://uji.example.go.id/2026/11/gubernur-meresmikan-jembatan-baru-di-sukamaju/"
    assert f'<link rel="canonical" href="{new_url}">' in old.read_text(encoding="utf-8")
    # Later builds remember it (the manifest carries it), and say nothing more about it.
    again = cli("build", "--site", str(site))
    assert "URL berubah" not in again.output
    assert f'<link rel="canonical" href="{new_url}">' in old.read_text(encoding="utf-8")
    assert "/2026/11/gubernur-resmikan-jembatan-baru-di-sukamaju/" in (site / "output/_redirects").read_text()


def test_new_writes_the_slug(make_site, cli):
    site = make_site({})
    result = cli("new", "Bupati Meninjau Panen Raya di Desa Makmur", "--site", str(site))
    path = result.output.strip().splitlines()[-1]
    assert "slug: bupati-meninjau-panen-raya-di-desa-makmur\n" in open(path, encoding="utf-8").read()


def test_imported_archive_problems_are_warnings_not_errors(make_site, cli):
    body = "Lihat [halaman lama](/profil/) dan ![](/wp-content/uploads/2020/01/x.jpg)"
    site = make_site({"static/wp-content/uploads/2020/01/x.jpg": b"\xff\xd8\xff",
                      "content/a.md": release("Rilis Lama dari Arsip WordPress Dinas", body=body, imported="true"),
                      "content/b.md": release("Rilis Baru Ditulis Langsung di Humasgen", body=body)})
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error:" in line]
    assert errors and all(line.startswith("content/b.md") for line in errors)
    assert any(line.startswith("content/a.md") and ": warning:" in line and "alt" in line
               for line in result.output.splitlines())
