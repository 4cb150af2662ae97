"""End to end: built pages, links, escaping, dates, bad input, determinism, atomicity."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from conftest import NOW, REPO, release, tree
from humasgen import write
from humasgen.errors import HumasgenError

BASE = "https://uji.example.go.id"
# Feed files are written by the feeds stage; until it exists, links to them cannot resolve.
FEED_FILES = ("feed.xml", "atom.xml", "feed.json")
HAVE_FEEDS = importlib.util.find_spec("humasgen.feeds") is not None


def rich_site(make_site, count: int = 14):
    """A site using every part of a release: images, attachments, taxonomies, several months."""
    files: dict[str, str | bytes] = {
        "static/images/foto.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "static/files/laporan.pdf": b"%PDF-1.4\n" + b"0" * 3000,
    }
    for i in range(count):
        month = 9 + i % 3
        files[f"content/{month}/r{i:02d}.md"] = release(
            f"Rilis Nomor {i} & <Uji>", f"2026-{month:02d}-{i % 27 + 1:02d} 09:{i:02d}",
            body=f"Isi rilis {i} dengan [tautan arsip](/arsip/) dan ![Foto](/images/foto.png).\n\n"
                 f"## Bagian {i}\n\nTeks[^1].\n\n[^1]: Catatan.",
            category=["Ekonomi", "Kesehatan", "Pendidikan Tinggi"][i % 3],
            tags=f"[tag{i % 4}, umum]", unit=f"Dinas {i % 2}", author=f"Penulis {i % 3}",
            image="/images/foto.png", image_alt="Foto kegiatan", image_caption="Keterangan",
            image_credit="'Foto: Humas'", dateline="Samarinda",
            attachments="[/files/laporan.pdf]", contact="{name: Budi, phone: '0812', email: b@x.go.id}",
            number=f"'{i:03d}/SP/2026'")
    return make_site(files)


def internal_targets(doc) -> set[str]:
    found = set()
    for element, attribute, link, _ in doc.iterlinks():
        if attribute not in ("href", "src"):
            continue
        if link.startswith(BASE + "/"):
            link = link[len(BASE):]
        if link.startswith("/") and not link.startswith("//"):
            found.add(urlsplit(link).path)
    return found


def resolves(output: Path, path: str) -> bool:
    target = output / path.lstrip("/")
    return target.is_file() or (path.endswith("/") and (target / "index.html").is_file())


def test_every_internal_link_resolves(make_site, build_site):
    site = rich_site(make_site)
    build_site(site)
    output = site / "output"
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 30
    broken = {}
    checked = 0
    for html in pages:
        for path in internal_targets(lxml.html.fromstring(html.read_bytes())):
            if not HAVE_FEEDS and path.rsplit("/", 1)[-1] in FEED_FILES:
                continue
            checked += 1
            if not resolves(output, path):
                broken.setdefault(html.relative_to(output).as_posix(), []).append(path)
    assert checked > 500
    assert broken == {}


def test_demo_site_builds_with_working_links(demo_site, build_site):
    result = build_site(demo_site)
    assert len(result.site.releases) >= 12
    assert len(result.site.taxonomies["category"].terms) >= 3 and len(result.site.taxonomies["unit"].terms) >= 3
    output = demo_site / "output"
    base = result.site.config.base_url
    broken = []
    for html in output.rglob("*.html"):
        doc = lxml.html.fromstring(html.read_bytes())
        doc.rewrite_links(lambda link: link[len(base):] if link.startswith(base + "/") else link)
        for path in internal_targets(doc):
            if (HAVE_FEEDS or path.rsplit("/", 1)[-1] not in FEED_FILES) and not resolves(output, path):
                broken.append((html.relative_to(output).as_posix(), path))
    assert broken == []
    for release in result.site.releases:
        page = lxml.html.fromstring((output / release.url.lstrip("/") / "index.html").read_bytes())
        for img in page.xpath("//main//img"):
            assert img.get("alt") is not None
        if release.image:
            assert release.image_alt, release.source      # the demo sets an example: every lead image has alt text


def test_404_page_and_stylesheet(make_site, build_site):
    site = make_site({"content/a.md": release("A")})
    build_site(site)
    assert (site / "output" / "css" / "style.css").read_bytes() == (
        REPO / "themes" / "default" / "static" / "css" / "style.css").read_bytes()
    notfound = (site / "output" / "404.html").read_text()
    assert "Halaman tidak ditemukan" in notfound
    assert 'rel="canonical"' not in notfound


TRICKY = 'Harga "Sembako" & <Beras> Turun'


def test_title_is_escaped_everywhere(make_site, build_site):
    site = make_site({"content/a.md": release(TRICKY, summary="'A & B < C \"D\"'", category="'Ekonomi & <Pasar>'")})
    build_site(site)
    raw = (site / "output" / "2026" / "11" / "harga-sembako-beras-turun" / "index.html").read_text()
    assert "<Beras>" not in raw and "<Pasar>" not in raw
    assert "&lt;Beras&gt;" in raw and "&amp;" in raw
    doc = lxml.html.fromstring(raw)
    assert doc.findtext(".//title").startswith(TRICKY + " – ")
    assert doc.xpath("string(//h1)") == TRICKY
    assert doc.xpath("//meta[@name='description']/@content") == ['A & B < C "D"']
    assert doc.xpath("//nav[@class='breadcrumbs']//span[@aria-current]")[0].text == TRICKY
    from urllib.parse import unquote
    shares = doc.xpath("//section[@class='share']//a/@href")
    assert len(shares) == 4 and all(TRICKY in unquote(h) for h in shares[1:])   # in attributes, intact
    term = lxml.html.fromstring((site / "output" / "kategori" / "ekonomi-pasar" / "index.html").read_bytes())
    assert "Diskominfo Provinsi Uji – Ekonomi & <Pasar>" in term.xpath("//head/link[@rel='alternate']/@title")
    assert term.xpath("string(//h1)").split() == ["Kategori", "Ekonomi", "&", "<Pasar>"]
    home = lxml.html.fromstring((site / "output" / "index.html").read_bytes())
    assert home.xpath("string(//*[contains(@class,'card-title')]/a)") == TRICKY
    nav = [a.text for a in home.xpath("//nav[@class='site-nav']//a")]
    assert "Ekonomi & <Pasar>" in nav
    assert "Ekonomi &amp; &lt;Pasar&gt;" in (site / "output" / "kategori" / "index.html").read_text()


def test_site_title_is_escaped(make_site, build_site):
    site = make_site({"content/a.md": release("A")}, config=f'title = "Dinas \\"A\\" & <B>"\nbase_url = "{BASE}"\n')
    build_site(site)
    raw = (site / "output" / "index.html").read_text()
    assert "<B>" not in raw
    doc = lxml.html.fromstring(raw)
    assert doc.findtext(".//title") == 'Dinas "A" & <B>'
    assert 'title="Dinas &#34;A&#34; &amp; &lt;B&gt;"' in raw or 'title="Dinas &quot;A&quot; &amp; &lt;B&gt;"' in raw


def png(width: int, height: int) -> bytes:
    from io import BytesIO
    from PIL import Image
    buffer = BytesIO()
    Image.new("RGB", (width, height), (11, 74, 139)).save(buffer, "PNG")
    return buffer.getvalue()


def release_doc(site, slug: str = "rilis"):
    return lxml.html.fromstring((site / "output" / "2022" / "11" / slug / "index.html").read_bytes())


def test_indonesian_date_line_with_offset(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis", "2022-11-15 14:30")})
    build_site(site)
    time_el = release_doc(site).xpath("//p[@class='byline']/time")[0]
    assert time_el.text == "Selasa, 15 November 2022 14.30 WITA"
    assert time_el.get("datetime") == "2022-11-15T14:30:00+08:00"
    manifest = json.loads((site / "output" / "manifest.json").read_text())
    assert manifest["releases"][0]["date"] == "2022-11-15T14:30:00+08:00"


def test_jakarta_site_shows_wib(make_site, build_site):
    config = f'title = "Uji"\nbase_url = "{BASE}"\ntimezone = "Asia/Jakarta"\n'
    site = make_site({"content/a.md": release("Rilis", "2022-11-15 14:30"),
                      "content/b.md": release("Rilis UTC", "2022-11-15T01:00:00Z")}, config=config)
    build_site(site)
    time_el = release_doc(site).xpath("//p[@class='byline']/time")[0]
    assert (time_el.text, time_el.get("datetime")) == ("Selasa, 15 November 2022 14.30 WIB", "2022-11-15T14:30:00+07:00")
    utc = release_doc(site, "rilis-utc").xpath("//p[@class='byline']/time")[0]
    assert (utc.text, utc.get("datetime")) == ("Selasa, 15 November 2022 08.00 WIB", "2022-11-15T08:00:00+07:00")


def test_release_page_parts(make_site, build_site):
    site = make_site({
        "content/a.md": release("Rilis", "2022-11-15 14:30", body="Gubernur membuka pameran.\n\nKedua.",
                                dateline="Samarinda", number="'045/SP/XI/2022'", unit="Biro Umum",
                                author="Rina", image="/images/foto.png", image_alt="Gubernur di panggung",
                                image_caption="Pembukaan pameran.", image_credit="'Foto: Humas/Rina'",
                                attachments="[{path: /files/data.pdf, title: Data Pameran}]",
                                contact="{name: Budi, role: Humas, phone: '0812 1', email: b@x.go.id}",
                                tags="[pameran]", category="Ekonomi"),
        "static/images/foto.png": png(640, 480),
        "static/files/data.pdf": b"%PDF" + b"x" * (150 * 1024 - 4),
    })
    build_site(site)
    doc = release_doc(site)
    body = doc.xpath("//div[@class='release-body']/p")[0]
    assert body.xpath("string(span[@class='dateline'])") == "SAMARINDA –"
    assert body.text_content().startswith("SAMARINDA – Gubernur membuka pameran.")
    assert "045/SP/XI/2022" in doc.xpath("string(//p[@class='release-number'])")
    byline = doc.xpath("//p[@class='byline']")[0]
    assert byline.xpath(".//a/@href") == ["/unit/biro-umum/", "/penulis/rina/"]
    figure = doc.xpath("//figure[@class='lead-image']")[0]
    assert figure.xpath(".//img/@src") == ["/images/foto.png"] and figure.xpath(".//img/@alt") == ["Gubernur di panggung"]
    assert (figure.xpath(".//img/@width"), figure.xpath(".//img/@height")) == (["640"], ["480"])
    assert figure.xpath("string(figcaption)").split() == "Pembukaan pameran. Foto: Humas/Rina".split()
    attachment = doc.xpath("//section[@class='attachments']//li")[0]
    assert attachment.xpath("a/@href") == ["/files/data.pdf"]
    assert attachment.text_content().split() == ["Data", "Pameran", "(PDF,", "150,0", "KB)"]
    contact = doc.xpath("string(//section[@class='contact'])")
    assert "Budi" in contact and "Humas" in contact and "0812 1" in contact and "b@x.go.id" in contact
    share = doc.xpath("//section[@class='share']//a/@href")
    assert [urlsplit(h).netloc for h in share] == ["www.facebook.com", "x.com", "wa.me", "t.me"]
    from urllib.parse import unquote
    assert all(f"{BASE}/2022/11/rilis/" in unquote(h) for h in share)
    assert all(unquote(h).count("Rilis") == (0 if h.startswith("https://www.facebook.com") else 1) for h in share)
    assert doc.xpath("//script[@src]") == []
    crumbs = doc.xpath("//nav[@class='breadcrumbs']//a/@href")
    assert crumbs == ["/", "/kategori/ekonomi/"]


def test_feeds_are_linked_in_head(make_site, build_site):
    site = make_site({"content/a.md": release("A", category="Ekonomi")})
    build_site(site)
    for path in ("index.html", "2026/11/a/index.html", "kategori/ekonomi/index.html"):
        doc = lxml.html.fromstring((site / "output" / path).read_bytes())
        types = doc.xpath("//head/link[@rel='alternate']/@type")
        assert "application/rss+xml" in types and "application/atom+xml" in types


# Bad input: through the CLI, against a site that built fine before.

GOOD = {"content/2026/11/baik.md": release("Rilis Baik", "2026-11-10 09:00", tags="[uji]")}

BAD_CASES = {
    "missing title": ({"content/bad.md": "---\ndate: 2026-11-19\n---\nIsi.\n"},
                      "content/bad.md:2: error: rilis ini tidak punya judul"),
    "empty title": ({"content/bad.md": "---\ntitle: ''\ndate: 2026-11-19\n---\nIsi.\n"},
                    "content/bad.md:2: error: rilis ini tidak punya judul"),
    "unparseable date": ({"content/bad.md": "---\ntitle: A\ndate: kemarin sore\n---\nIsi.\n"},
                         "content/bad.md:3: error: tanggal 'kemarin sore' tidak terbaca"),
    "unclosed front matter": ({"content/bad.md": "---\ntitle: A\ndate: 2026-11-19\nIsi.\n"},
                              "content/bad.md:1: error: front matter tidak ditutup"),
    "not a mapping": ({"content/bad.md": "---\njust a sentence\n---\nIsi.\n"},
                      "content/bad.md:2: error: front matter harus berupa pasangan kunci dan nilai"),
    "wrong type": ({"content/bad.md": "---\ntitle: A\ndate: 2026-11-19\ndraft: mungkin\n---\nIsi.\n"},
                   "content/bad.md:4: error: 'draft' harus true atau false"),
    "unknown key": ({"content/bad.md": "---\ntitle: A\ndate: 2026-11-19\nkategori: Ekonomi\n---\nIsi.\n"},
                    "content/bad.md:4: error: kunci front matter 'kategori' tidak dikenal"),
    "non-UTF-8": ({"content/bad.md": b"---\ntitle: A\ndate: 2026-11-19\n---\nIsi \xe9\xe9.\n"},
                  "content/bad.md:5: error: berkas ini bukan UTF-8 yang sah"),
    "empty file": ({"content/bad.md": b""}, "content/bad.md:1: error: berkasnya kosong"),
    "duplicate slug": ({"content/lain/salinan.md": release("Rilis Baik", "2026-11-20 08:00")},
                       "content/lain/salinan.md:2: error: URL /2026/11/rilis-baik/ juga dipakai oleh content/2026/11/baik.md"),
    "template syntax error": ({"themes/default/templates/release.html": '{% extends "base.html" %}\n'
                                                                        "{% block main %}\n{{ page.release.title | nosuch }}\n"
                                                                        "{% endblock %}\n"},
                              "themes/default/templates/release.html:3: error: template syntax error"),
    "template runtime error": ({"themes/default/templates/release.html": '{% extends "base.html" %}\n'
                                                                         "{% block main %}\n\n{{ page.release.nosuch.x }}\n"
                                                                         "{% endblock %}\n"},
                               "themes/default/templates/release.html:4: error: template error"),
    "missing lead image": ({"content/bad.md": release("Rilis Dengan Foto yang Hilang", image="/images/tidak-ada.jpg",
                                                      image_alt="Foto")},
                           "content/bad.md:4: error: foto utama /images/tidak-ada.jpg tidak ada"),
    "bad TOML": ({"humasgen.toml": 'title = "Uji\n'}, "humasgen.toml:1: error: TOML tidak sah"),
    "unknown config key": ({"humasgen.toml": 'title = "Uji"\nbahasa = "id"\n'},
                           "humasgen.toml:2: error: kunci 'bahasa' tidak dikenal"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_reported_and_output_untouched(make_site, cli, case):
    files, expected = BAD_CASES[case]
    site = make_site(GOOD)
    first = cli("build", "--site", str(site))
    assert first.exit_code == 0, first.output
    before = tree(site / "output")
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert expected in result.output.replace(str(site) + os.sep, "")
    assert "Traceback" not in result.output
    assert "tidak ada yang ditulis" in result.output     # the site is in Indonesian (the default)
    assert tree(site / "output") == before
    assert leftovers(site) == []


def leftovers(site: Path) -> list[str]:
    """Temporary folders and links of a build (the two trees .output.a/.b behind output/ are not)."""
    return sorted(p.name for p in site.iterdir() if p.name.startswith((".output.new-", ".output.link-")))


def test_every_problem_in_every_file_in_one_run(make_site, cli):
    site = make_site({
        **GOOD,
        "content/a.md": "---\ndate: 2026-11-19\n---\nIsi.\n",
        "content/b.md": "---\ntitle: B\ndate: besok\ntagz: [x]\n---\nIsi.\n",
        "content/c.md": b"",
        "humasgen.toml": 'title = "Uji"\nper_pag = 5\n',
    })
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    errors = [line.split(": error:")[0] for line in result.output.splitlines() if ": error:" in line]
    assert errors == ["content/a.md:2", "content/b.md:3", "content/b.md:4", "content/c.md:1", "humasgen.toml:2"]
    assert "5 error; tidak ada yang ditulis." in result.output


def test_duplicate_urls_reported_with_other_problems(make_site, cli):
    site = make_site({**GOOD, "content/salinan.md": release("Rilis Baik", "2026-11-12 09:00"),
                      "content/rusak.md": "---\ntitle: A\ndate: rabu\n---\n"})
    result = cli("build", "--site", str(site))
    errors = [line.split(": error:")[0] for line in result.output.splitlines() if ": error:" in line]
    assert errors == ["content/rusak.md:3", "content/salinan.md:2"]


def test_output_refuses_a_foreign_folder(make_site, cli):
    site = make_site(GOOD)
    foreign = site.parent / "dokumen"
    foreign.mkdir()
    (foreign / "skripsi.docx").write_bytes(b"jangan dihapus")
    result = cli("build", "--site", str(site), "--output", str(foreign))
    assert result.exit_code == 1
    assert "not made by humasgen" in result.output and "Traceback" not in result.output
    assert tree(foreign) == {"skripsi.docx": b"jangan dihapus"}


def test_output_may_be_an_empty_folder_or_elsewhere(make_site, cli):
    site = make_site(GOOD)
    (site.parent / "kosong").mkdir()
    assert cli("build", "--site", str(site), "--output", str(site.parent / "kosong")).exit_code == 0
    assert (site.parent / "kosong" / "manifest.json").is_file()
    assert cli("build", "--site", str(site), "--output", str(site.parent / "baru" / "out")).exit_code == 0
    assert (site.parent / "baru" / "out" / "index.html").is_file()


def test_output_must_not_contain_the_site(make_site, cli):
    site = make_site(GOOD)
    result = cli("build", "--site", str(site), "--output", str(site.parent))
    assert result.exit_code == 1 and "contains the site" in result.output


def test_removed_release_disappears_from_output(make_site, build_site):
    site = make_site({**GOOD, "content/lain.md": release("Lain", "2026-11-11 09:00")})
    build_site(site)
    assert (site / "output" / "2026" / "11" / "lain" / "index.html").is_file()
    (site / "content" / "lain.md").unlink()
    build_site(site)
    assert not (site / "output" / "2026" / "11" / "lain").exists()
    build_site(site)
    assert not (site / "output" / "2026" / "11" / "lain").exists()


# Determinism

def many_releases(count: int) -> dict[str, str]:
    return {f"content/{i % 4}/r{i:03d}.md": release(
        f"Rilis {i}", f"2026-{i % 10 + 1:02d}-{i % 28 + 1:02d} {i % 24:02d}:{i % 60:02d}",
        body=f"Isi {i}.\n\n| a | b |\n|---|---|\n| {i} | x |", category=f"Kategori {i % 5}",
        tags=f"[t{i % 7}, t{i % 11}]", unit=f"Unit {i % 3}", draft="true" if i % 17 == 0 else "false")
        for i in range(count)}


def test_two_builds_are_byte_identical(make_site, build_site, tmp_path):
    site = make_site(many_releases(160))
    build_site(site, output_dir=tmp_path / "satu")
    shutil.rmtree(site / ".humasgen")
    parallel = build_site(site, output_dir=tmp_path / "dua", jobs=2)   # cold, parsing and rendering forked
    assert parallel.pages >= 200 and len(parallel.site.releases) >= 64
    assert tree(tmp_path / "satu") == tree(tmp_path / "dua")
    result = build_site(site, output_dir=tmp_path / "dua")       # warm: nothing re-rendered
    assert result.rendered == 0
    assert tree(tmp_path / "satu") == tree(tmp_path / "dua")


def test_warm_build_after_edits_equals_cold_build(make_site, build_site, tmp_path):
    site = make_site(many_releases(60))
    build_site(site)
    assert len(build_site(site).site.term_of("category", "Kategori 1").releases) > 10
    # An older release joins a category and a tag: page 1 of the term keeps its items but not its count.
    (site / "content" / "tua.md").write_text(release("Tua", "2025-01-01 09:00", category="Kategori 1",
                                                     tags="[t1]"), encoding="utf-8")
    (site / "content" / "0" / "r000.md").write_text(release("Diubah", "2026-01-01 00:00"), encoding="utf-8")
    warm = build_site(site)
    assert 0 < warm.rendered < warm.pages
    shutil.rmtree(site / ".humasgen")
    build_site(site, output_dir=tmp_path / "dingin")
    assert tree(site / "output") == tree(tmp_path / "dingin")


def test_warm_build_survives_a_deleted_output_file(make_site, build_site, tmp_path):
    site = make_site(many_releases(10))
    build_site(site)
    build_site(site)       # the two trees behind output/ exist from the second build on
    (site / "output" / "tag" / "t1" / "index.html").unlink()
    (site / "output" / "feed.xml").unlink()
    build_site(site)
    build_site(site, output_dir=tmp_path / "dingin")
    assert tree(site / "output") == tree(tmp_path / "dingin")


def test_cli_builds_are_identical_with_source_date_epoch(make_site, cli, tmp_path):
    site = make_site(many_releases(12))
    assert cli("build", "--site", str(site), "--output", str(tmp_path / "a")).exit_code == 0
    shutil.rmtree(site / ".humasgen")
    assert cli("build", "--site", str(site), "--output", str(tmp_path / "b"), "--jobs", "3").exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


# Atomicity

def subprocess_env() -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(NOW.timestamp())))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def test_killed_build_leaves_old_output_and_next_build_recovers(make_site):
    files = many_releases(80)
    # Many static files make the write phase long enough to be caught in the act.
    files.update({f"static/berkas/{i:04d}.txt": f"berkas {i}\n" * 200 for i in range(200)})
    site = make_site(files)
    command = [sys.executable, "-m", "humasgen", "build", "--site", str(site), "--jobs", "1"]
    for base_url in ("https://satu.example.go.id", "https://dua.example.go.id"):   # plain folder, then two trees
        done = subprocess.run([*command, "--base-url", base_url], cwd=REPO, env=subprocess_env(),
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    before = tree(site / "output")

    # Change everything so that the next build must write every file, then kill it while it does:
    # as soon as a folder beside output/ other than the live one appears or changes.
    for path in (site / "static" / "berkas").iterdir():
        path.write_text(path.read_text() + "ubah\n")

    def siblings() -> dict[str, int]:
        live = (site / "output").resolve()
        return {p.name: p.stat().st_mtime_ns for p in site.iterdir()
                if p.name.startswith(".output") and p.resolve() != live and p.is_dir()}

    quiet = siblings()
    proc = subprocess.Popen([*command, "--base-url", "https://tiga.example.go.id"], cwd=REPO,
                            env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    caught = False
    try:
        while proc.poll() is None and not caught:
            try:
                caught = siblings() != quiet
            except FileNotFoundError:      # a folder renamed while we looked
                continue
        assert caught, "the build finished before it was seen writing"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert tree(site / "output") == before
    assert "https://dua.example.go.id/" in before["index.html"].decode()

    again = subprocess.run([*command, "--base-url", "https://tiga.example.go.id"], cwd=REPO,
                           env=subprocess_env(), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert leftovers(site) == []
    after = tree(site / "output")
    assert "https://tiga.example.go.id/" in after["index.html"].decode()
    assert after["berkas/0000.txt"].endswith(b"ubah\n")
    assert after.keys() == before.keys()


def test_recover_after_a_kill_between_rename_and_link(tmp_path):
    # The second build turns output/ into tree .output.a behind a link; killed in between, output/ is missing.
    tree_a = tmp_path / ".output.a"
    tree_a.mkdir()
    (tree_a / write.MARKER).write_text("{}")
    (tmp_path / ".output.new-def").mkdir()
    write.recover(tmp_path / "output")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.a", "output"]
    assert (tmp_path / "output" / write.MARKER).read_text() == "{}"


def test_failed_render_leaves_no_temporary_folder(make_site, build_site):
    site = make_site(GOOD)
    build_site(site)
    before = tree(site / "output")
    (site / "themes" / "default" / "templates").mkdir(parents=True)
    (site / "themes" / "default" / "templates" / "home.html").write_text("{{ 1 // 0 }}")
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    assert "home.html" in caught.value.diagnostics[0].path
    assert tree(site / "output") == before
    assert leftovers(site) == []


def test_output_folder_has_ordinary_permissions(make_site, build_site):
    site = make_site(GOOD)
    build_site(site)
    (site / "sebanding").mkdir()
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)
    assert mode(site / "output") == mode(site / "sebanding")      # not mkdtemp's 0700


def test_external_image_url_is_kept(make_site, build_site):
    site = make_site({"content/a.md": release("A", image="https://cdn.example.org/foto.jpg", image_alt="Foto")})
    build_site(site, base_url="https://example.go.id/humas")
    html = (site / "output" / "2026" / "11" / "a" / "index.html").read_text()
    assert 'src="https://cdn.example.org/foto.jpg"' in html
    assert "/humashttps" not in html and "humas/https" not in html


def test_output_as_a_foreign_symlink_is_refused(make_site, cli):
    site = make_site(GOOD)
    real = site.parent / "www" / "html"
    real.mkdir(parents=True)
    (real / "lama.html").write_text("lama")
    (site / "output").symlink_to(real)
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "not made by humasgen" in result.output and "Traceback" not in result.output
    assert tree(real) == {"lama.html": b"lama"} and (site / "output").is_symlink()


def test_output_collision_found_during_the_render_leaves_output_untouched(make_site, cli):
    """Feeds, sitemaps and cards are made while pages render; a clash among them still loses nothing."""
    site = make_site(GOOD)
    assert cli("build", "--site", str(site)).exit_code == 0
    before = tree(site / "output")
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "sitemap.xml").write_text("<urlset/>")

    def build_fails() -> None:
        result = cli("build", "--site", str(site))
        assert result.exit_code == 1
        assert "keluaran sitemap.xml juga akan ditulis oleh generated file" in result.output
        assert "Traceback" not in result.output and not list(site.glob(".output.new-*"))

    build_fails()                       # a warm build: the live output stays as it was
    assert tree(site / "output") == before
    for old in [site / "output", *site.glob(".output.*")]:
        if old.is_symlink():
            old.unlink()
        else:
            shutil.rmtree(old)
    build_fails()                       # a first build: no output at all
    assert not (site / "output").exists() and not list(site.glob(".output*"))


def test_unreadable_release_file_is_a_diagnostic(make_site, cli):
    site = make_site(GOOD)
    (site / "content" / "hilang.md").symlink_to(site / "tidak-ada.md")
    (site / "content" / "folder.md").mkdir()
    with socket.socket(socket.AF_UNIX) as listening:     # listed like a file, but read() fails
        listening.bind(str(site / "content" / "soket.md"))
        result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "content/hilang.md: error: berkas tidak dapat dibaca" in result.output
    assert "content/soket.md: error: berkas tidak dapat dibaca" in result.output
    assert "folder.md" not in result.output and "Traceback" not in result.output


def test_failed_build_then_revert_publishes_the_reverted_page(make_site, build_site, tmp_path):
    """A build that dies after writing some pages must not leave them to be trusted later."""
    files = many_releases(150)
    files["content/utama.md"] = release("Utama", "2026-11-20 08:00", body="Teks asli.")
    site = make_site(files)
    build_site(site, jobs=2)
    build_site(site, jobs=2)
    page = site / "output" / "2026" / "11" / "utama" / "index.html"
    assert "Teks asli." in page.read_text()

    (site / "content" / "utama.md").write_text(release("Utama", "2026-11-20 08:00", body="Teks DIUBAH."))
    broken = site / "themes" / "default" / "templates" / "term.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("{{ 1 // 0 }}")
    with pytest.raises(HumasgenError):
        build_site(site, jobs=2)
    assert "Teks asli." in page.read_text()

    (site / "content" / "utama.md").write_text(release("Utama", "2026-11-20 08:00", body="Teks asli."))
    broken.unlink()
    build_site(site, jobs=2)
    assert "Teks asli." in page.read_text()
    build_site(site, output_dir=tmp_path / "dingin")
    assert tree(site / "output") == tree(tmp_path / "dingin")


def test_first_build_failing_in_a_render_worker_leaves_nothing(make_site, build_site):
    """Workers write a first build's pages straight into the new tree; a failure must discard it."""
    files = {f"content/r{i:03d}.md": release(f"Rilis {i:03d}", f"2026-10-{1 + i % 28:02d} 09:00") for i in range(220)}
    files["themes/default/templates/release.html"] = \
        '{{ page.release.title }}{% if page.release.title.endswith("177") %}{{ 1 // 0 }}{% endif %}\n'
    site = make_site(files)
    with pytest.raises(HumasgenError) as caught:
        build_site(site, jobs=2)
    assert "release.html" in caught.value.diagnostics[0].path
    assert not (site / "output").exists()
    assert leftovers(site) == []
