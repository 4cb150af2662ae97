"""humasgen check: one test per rule (a file that triggers it, one that does not), formats, exit codes."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import BASIC_CONFIG, NOW, release
from humasgen import check

ROOT = Path(__file__).resolve().parents[1]


def run(site: Path, rule: str | None = None):
    result = check.run(site, NOW)
    return [d for d in result.diagnostics if rule is None or d.rule == rule]


def remake(make_site, site: Path, files: dict, config: str = BASIC_CONFIG) -> Path:
    """A fresh site in the same folder (make_site always uses one folder per test)."""
    shutil.rmtree(site)
    return make_site(files, config=config)


def stdout_of(*args: str):
    """Run the CLI with stdout and stderr apart (json and github output must be clean)."""
    from click.testing import CliRunner
    from humasgen.cli import main
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:                           # click >= 8.2 always keeps them apart
        runner = CliRunner()
    return runner.invoke(main, list(args), env={"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))})


def lines_of(findings) -> list[tuple[str, int | None]]:
    return [(d.path, d.line) for d in findings]


def jpeg(width: int = 320, height: int = 200, noise: bool = False) -> bytes:
    from io import BytesIO
    if noise:
        image = Image.frombytes("RGB", (width, height), random.Random(6).randbytes(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (40, 90, 160))
    out = BytesIO()
    image.save(out, "PNG" if noise else "JPEG", quality=80)
    return out.getvalue()


GOOD_IMAGE = dict(image="/images/foto.jpg", image_alt='"Gubernur meninjau jembatan"',
                  image_caption='"Gubernur meninjau jembatan, Kamis (19/11/2026)."',
                  image_credit='"Foto: Diskominfo/Rina"')
TITLE = "Gubernur Resmikan Jembatan Sungai Harapan"     # 41 characters: within the limits


# --- every error the build reports ------------------------------------------------------------

def test_build_errors_are_reported_with_their_lines(make_site, cli):
    site = make_site({"content/a.md": release(TITLE, categori="Ekonomi"),
                      "content/b.md": "---\ntitle: Judul\n---\nIsi.\n"})
    found = run(site)
    assert [(d.path, d.line, d.severity, d.rule) for d in found] == [
        ("content/a.md", 4, "error", "build"), ("content/b.md", 2, "error", "build")]
    assert "did you mean 'category'" in found[0].hint
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/a.md:4: error: kunci front matter 'categori' tidak dikenal" in result.output


def test_config_error_is_a_build_finding(make_site):
    site = make_site({"content/a.md": release(TITLE)}, config=BASIC_CONFIG + "titel = 'x'\n")
    assert lines_of(run(site, "build")) == [("humasgen.toml", 4)]


def test_template_error_is_reported_once_per_template(make_site):
    site = make_site({"content/a.md": release(TITLE), "content/b.md": release(TITLE + " Kedua"),
                      "themes/default/templates/release.html": "{% extends 'base.html' %}\n"
                                                              "{% block main %}{{ page.release.nope }}{% endblock %}\n"})
    found = run(site, "build")
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].path.endswith("release.html") and found[0].line == 2
    assert run(remake(make_site, site, {"content/a.md": release(TITLE)}), "build") == []


def test_unknown_rule_in_disable_is_an_error(make_site):
    site = make_site({"content/a.md": release(TITLE)},
                     config=BASIC_CONFIG + '[check]\ndisable = ["imag-alt"]\n')
    found = run(site, "build")
    assert lines_of(found) == [("humasgen.toml", 5)] and "did you mean 'image-alt'" in found[0].hint


# --- image-alt ----------------------------------------------------------------------------------

def test_image_alt(make_site):
    body = "Paragraf pertama.\n\n![](/images/foto.jpg)\n\nParagraf.\n\n![Foto kedua](/images/foto.jpg)\n"
    site = make_site({"content/a.md": release(TITLE, body=body, image="/images/foto.jpg"),
                      "static/images/foto.jpg": jpeg()})
    found = run(site, "image-alt")
    # front matter: ---, title, date, image (line 4), --- ; body from line 6, the bare image on line 8
    assert lines_of(found) == [("content/a.md", 4), ("content/a.md", 8)]
    assert all(d.severity == "error" for d in found)
    good = remake(make_site, site, {"content/a.md": release(TITLE, body="Teks.\n\n![Foto](/images/foto.jpg)",
                                                            **GOOD_IMAGE),
                      "static/images/foto.jpg": jpeg()})
    assert run(good) == []


# --- image-credit -------------------------------------------------------------------------------

def test_image_credit(make_site):
    site = make_site({"content/a.md": release(TITLE, image="/images/foto.jpg", image_alt="Foto",
                                              image_caption="Keterangan"),
                      "static/images/foto.jpg": jpeg()})
    found = run(site, "image-credit")
    assert lines_of(found) == [("content/a.md", 4)] and "no credit" in found[0].message
    assert found[0].severity == "warning"
    good = remake(make_site, site, {"content/a.md": release(TITLE, **GOOD_IMAGE), "static/images/foto.jpg": jpeg()})
    assert run(good, "image-credit") == []


# --- broken-link --------------------------------------------------------------------------------

LINKED = release("Gubernur Tinjau Lokasi Banjir di Bandar Harapan", date="2026-11-10 09:00")   # /2026/11/gubernur-tinjau-...


def test_broken_link(make_site):
    body = ("Lihat [rilis lama](/2026/11/gubernur-tinjau-lokasi-banjir-di-bandar-harapan/).\n\n"
            "Lihat [rilis yang hilang](/2026/11/tidak-ada/) dan [berkas](/files/tidak-ada.pdf).\n\n"
            "Unduh [pedoman](/files/pedoman.pdf) atau [tanpa garis miring](/kategori/ekonomi).\n")
    site = make_site({"content/a.md": release(TITLE, body=body, category="Ekonomi",
                                              attachments="[/files/hilang.pdf]"),
                      "content/b.md": LINKED, "static/files/pedoman.pdf": b"%PDF-1.4\n"})
    found = run(site, "broken-link")
    assert [(d.line, d.severity) for d in found] == [(5, "error"), (9, "error"), (9, "error")]
    assert "/files/hilang.pdf does not exist" in found[0].message
    assert "/2026/11/tidak-ada/" in found[1].message and "/files/tidak-ada.pdf" in found[2].message


def test_image_beside_the_markdown_file_gets_a_hint(make_site):
    site = make_site({"content/2026/a.md": release(TITLE, body="Teks.\n\n![Foto banjir](foto-banjir.jpg)\n"),
                      "content/2026/foto-banjir.jpg": jpeg()})
    found = run(site, "broken-link")
    assert lines_of(found) == [("content/2026/a.md", 7)]
    assert found[0].hint == ("files in content/ are not published: move it to static/images/ "
                             "and write /images/foto-banjir.jpg")


def test_missing_logo(make_site):
    files = {"content/a.md": release(TITLE), "static/images/logo.png": jpeg()}
    site = make_site(files, config=BASIC_CONFIG + 'logo = "/images/lgo.png"\n')
    assert lines_of(run(site, "broken-link")) == [("humasgen.toml", 4)]
    site = make_site(files, config=BASIC_CONFIG + 'logo = "/images/logo.png"\n')
    assert run(site, "broken-link") == []


def test_links_that_work(make_site):
    body = ("[Absolut](https://uji.example.go.id/2026/11/gubernur-tinjau-lokasi-banjir-di-bandar-harapan/), "
            "[relatif](../gubernur-tinjau-lokasi-banjir-di-bandar-harapan/), [beranda](/), [arsip](/arsip/2026/11/), "
            "[luar](https://example.org/x), [surel](mailto:humas@example.go.id), [css](/css/style.css)\n")
    site = make_site({"content/a.md": release(TITLE, body=body), "content/b.md": LINKED})
    assert run(site) == []


def test_link_to_a_draft_or_scheduled_release(make_site):
    body = "Lihat [draf](/2026/11/rilis-draf-yang-belum-terbit/) dan [jadwal](/2026/12/rilis-terjadwal-bulan-depan/).\n"
    site = make_site({"content/a.md": release(TITLE, body=body),
                      "content/draf.md": release("Rilis Draf yang Belum Terbit", draft="true"),
                      "content/jadwal.md": release("Rilis Terjadwal Bulan Depan", date="2026-12-01 09:00")})
    found = run(site, "broken-link")
    assert [(d.line, d.severity) for d in found] == [(5, "error"), (5, "warning")]
    assert "is a draft" in found[0].message and "not published until 2026-12-01 09:00" in found[1].message


def test_link_to_a_markdown_file_gets_a_hint(make_site):
    site = make_site({"content/a.md": release(TITLE, body="Lihat [ini](b.md).\n"), "content/b.md": LINKED})
    found = run(site, "broken-link")
    assert len(found) == 1 and "/2026/11/gubernur-tinjau-lokasi-banjir-di-bandar-harapan/" in found[0].hint


def test_links_below_a_base_path(make_site):
    """With base_url ending in /newsroom, links are written from the site root; the build adds /newsroom."""
    body = ("[ok](/2026/11/gubernur-tinjau-lokasi-banjir-di-bandar-harapan/), "
            "[absolut](https://uji.example.go.id/newsroom/2026/11/gubernur-tinjau-lokasi-banjir-di-bandar-harapan/)\n\n"
            "[ganda](/newsroom/2026/11/gubernur-tinjau-lokasi-banjir-di-bandar-harapan/)\n")
    site = make_site({"content/a.md": release(TITLE, body=body), "content/b.md": LINKED},
                     config='title = "Uji"\nbase_url = "https://uji.example.go.id/newsroom"\n')
    found = run(site)
    assert [(d.line, d.rule) for d in found] == [(7, "broken-link")]
    assert "without /newsroom" in found[0].hint


# --- broken-anchor ------------------------------------------------------------------------------

def test_broken_anchor(make_site):
    other = release("Jadwal Layanan Samsat Keliling Bulan Desember", date="2026-11-10 09:00",
                    body="Teks.\n\n## Lokasi Layanan\n\nDi kantor kecamatan.\n")
    body = ("Paragraf.\n\n## Rincian Bantuan\n\nLihat [rincian](#rincian-bantuan) dan [salah](#rincian-bantuann).\n\n"
            "Lihat [lokasi](/2026/11/jadwal-layanan-samsat-keliling-bulan-desember/#lokasi-layanan), "
            "[narahubung](/2026/11/jadwal-layanan-samsat-keliling-bulan-desember/#narahubung) dan "
            "[konten](/#konten).\n")
    site = make_site({"content/a.md": release(TITLE, body=body), "content/b.md": other})
    found = run(site, "broken-anchor")
    assert [(d.line, d.message) for d in found] == [
        (9, "anchor #rincian-bantuann does not exist on this page"),
        (11, "anchor #narahubung does not exist on /2026/11/jadwal-layanan-samsat-keliling-bulan-desember/")]
    assert found[0].hint == "did you mean #rincian-bantuan?"
    # with a contact the template renders the #narahubung section: the anchor then exists
    fixed = make_site({"content/b.md": release("Jadwal Layanan Samsat Keliling Bulan Desember", date="2026-11-10 09:00",
                                               body="Teks.\n\n## Lokasi Layanan\n", contact="Rina")})
    assert [d.line for d in run(fixed, "broken-anchor")] == [9]


# --- insecure-link ------------------------------------------------------------------------------

def test_insecure_link(make_site):
    body = "Paragraf.\n\nSumber: [BPS](http://bps.example.go.id/data) dan [aman](https://bps.example.go.id/).\n\n" \
           "![Grafik](http://bps.example.go.id/grafik.png)\n"
    site = make_site({"content/a.md": release(TITLE, body=body)})
    found = run(site, "insecure-link")
    assert lines_of(found) == [("content/a.md", 7), ("content/a.md", 9)]
    assert "mixed content" in found[1].message
    plain = remake(make_site, site, {"content/a.md": release(TITLE, body=body)},
                      config='title = "Uji"\nbase_url = "http://uji.example.go.id"\n')
    assert run(plain, "insecure-link") == []


# --- title-length -------------------------------------------------------------------------------

def test_title_length(make_site):
    long_title = "Pemerintah Provinsi Nusa Harapan Menyalurkan Bantuan Sosial Tunai kepada 12.000 Keluarga"
    site = make_site({"content/a.md": release(long_title), "content/b.md": release("Banjir", body="Teks.")})
    found = run(site, "title-length")
    assert lines_of(found) == [("content/a.md", 2), ("content/b.md", 2)]
    assert "is 88 characters" in found[0].message and "add 'slug: " in found[0].hint
    assert "only 6 characters" in found[1].message
    assert run(remake(make_site, site, {"content/a.md": release(TITLE)}), "title-length") == []


# --- summary-length -----------------------------------------------------------------------------

def test_summary_length(make_site):
    words = "Pemprov menyalurkan bantuan kepada warga terdampak banjir di tiga kabupaten. " * 3
    site = make_site({"content/a.md": release(TITLE, summary=f'"{words.strip()}"'),
                      "content/b.md": release(TITLE + " Dua", body=words * 3)})   # derived: not flagged
    found = run(site, "summary-length")
    assert lines_of(found) == [("content/a.md", 4)] and "230 characters" in found[0].message
    assert run(remake(make_site, site, {"content/a.md": release(TITLE, summary="Ringkas dan jelas.")}),
               "summary-length") == []


# --- duplicate-title ----------------------------------------------------------------------------

def test_duplicate_title(make_site):
    site = make_site({"content/a.md": release(TITLE, date="2026-11-01 09:00", slug="a"),
                      "content/b.md": release(TITLE.upper(), date="2026-11-19 09:00", slug="b"),
                      "content/c.md": release(TITLE, date="2026-08-01 09:00", slug="c")})
    found = run(site, "duplicate-title")
    assert lines_of(found) == [("content/b.md", 2)] and "content/a.md (2026-11-01)" in found[0].message


# --- image-size ---------------------------------------------------------------------------------

def test_image_size(make_site):
    site = make_site({"content/a.md": release(TITLE, **GOOD_IMAGE),
                      "static/images/foto.jpg": jpeg(4000, 300),
                      "static/images/berat.png": jpeg(620, 620, noise=True),
                      "static/images/kecil.jpg": jpeg()})
    found = run(site, "image-size")
    assert [(d.path, d.line, d.severity) for d in found] == [
        ("static/images/berat.png", None, "warning"), ("static/images/foto.jpg", None, "warning")]
    assert "1.2 MB" in found[0].message and "4000×300 px (used by content/a.md)" in found[1].message
    assert "1600 px" in found[1].hint and "quality 80" in found[1].hint


def test_image_size_thresholds_come_from_config(make_site):
    files = {"content/a.md": release(TITLE), "static/images/kecil.jpg": jpeg()}
    assert run(make_site(files), "image-size") == []
    site = make_site(files, config=BASIC_CONFIG + "[check]\nimage_max_px = 300\n")
    assert lines_of(run(site, "image-size")) == [("static/images/kecil.jpg", None)]


# --- heading-order ------------------------------------------------------------------------------

def test_heading_order(make_site):
    body = "Paragraf.\n\n### Terlalu Dalam\n\nTeks.\n\n## Bagian\n\n#### Lompat *Lagi*\n\nTeks Judul Kedua.\n\n# Judul Kedua\n"
    site = make_site({"content/a.md": release(TITLE, body=body)})
    found = run(site, "heading-order")
    # body starts on line 5: '### Terlalu Dalam' is line 7, '#### Lompat' line 13, '# Judul Kedua' line 17
    assert lines_of(found) == [("content/a.md", 7), ("content/a.md", 13), ("content/a.md", 17)]
    assert "jumps from level 1 to level 3" in found[0].message and found[0].hint.startswith("use ## here")
    assert "level 1, like the page title" in found[2].message
    good = "Paragraf.\n\n## Bagian\n\n### Sub-bagian\n\n## Bagian Lain\n\nSetext\n------\n"
    assert run(remake(make_site, site, {"content/a.md": release(TITLE, body=good)}), "heading-order") == []


# --- future-date --------------------------------------------------------------------------------

def test_future_date(make_site):
    site = make_site({"content/a.md": release(TITLE, date="2062-11-19 09:00"),
                      "content/b.md": release(TITLE + " Dua", date="2027-03-01 09:00")})
    found = run(site, "future-date")
    assert lines_of(found) == [("content/a.md", 3)] and found[0].severity == "warning"
    assert "2062-11-19" in found[0].message


# --- configuration, formats, exit codes ---------------------------------------------------------

def test_disable_switches_rules_off(make_site):
    files = {"content/a.md": release("Banjir", image="/images/foto.jpg"), "static/images/foto.jpg": jpeg()}
    assert {d.rule for d in run(make_site(files))} == {"title-length", "image-alt", "image-credit"}
    site = make_site(files, config=BASIC_CONFIG + '[check]\ndisable = ["title-length", "image-alt"]\n')
    assert {d.rule for d in run(site)} == {"image-credit"}


def test_exit_codes(make_site, cli):
    clean = make_site({"content/a.md": release(TITLE)})
    result = cli("check", "--site", str(clean))
    assert result.exit_code == 0 and "Tidak ada masalah pada 1 rilis; zona waktu WITA (Asia/Makassar)." in result.output
    (clean / "content/b.md").write_text(release("Banjir"), encoding="utf-8")       # a warning only
    assert cli("check", "--site", str(clean)).exit_code == 0
    strict = cli("check", "--site", str(clean), "--strict")
    assert strict.exit_code == 1 and "0 error, 1 peringatan pada 2 rilis; zona waktu WITA (Asia/Makassar) (gagal: --strict)." in strict.output
    (clean / "content/c.md").write_text(release(TITLE + " Tiga", body="[x](/hilang/)"), encoding="utf-8")
    assert cli("check", "--site", str(clean)).exit_code == 1
    assert cli("check", "--site", str(clean), "--format", "yaml").exit_code == 2
    assert cli("check", "--site", str(clean / "nope")).exit_code == 2


def test_json_format(make_site):
    site = make_site({"content/a.md": release("Banjir", body="Lihat [x](/hilang/).")})
    result = stdout_of("check", "--site", str(site), "--format", "json")
    items = json.loads(result.stdout)
    assert result.exit_code == 1
    assert items == [
        {"path": "content/a.md", "line": 2, "severity": "warning", "rule": "title-length",
         "message": "the title is only 6 characters",
         "hint": "write a headline of at least 20 characters that says who did what"},
        {"path": "content/a.md", "line": 5, "severity": "error", "rule": "broken-link",
         "message": "/hilang/ does not exist on the site", "hint": items[1]["hint"]}]


def test_github_format(make_site, monkeypatch):
    site = make_site({"content/a.md": release("Banjir", body="Lihat [x](/hilang/).")})
    monkeypatch.chdir(site.parent)
    result = stdout_of("check", "--site", "site", "--format", "github")
    lines = result.stdout.splitlines()
    # errors first: GitHub annotates only the first 10 of each kind
    assert lines[0].startswith("::error file=site/content/a.md,line=5,title=broken-link::/hilang/ tidak ada di situs")
    assert lines[1] == ("::warning file=site/content/a.md,line=2,title=title-length::judul ini hanya 6 karakter "
                        "(tulis judul minimal 20 karakter yang menyebut siapa berbuat apa)")
    assert len(lines) == 2 and result.exit_code == 1


def test_github_escaping():
    from humasgen.errors import Diagnostic
    result = check.CheckResult((Diagnostic("a,b:c.md", None, "50% done\nnext", "", "error", "build"),), 1)
    assert check.format_github(result, Path(".")) == "::error file=a%2Cb%3Ac.md,title=build::50%25 done%0Anext\n"


def test_demo_site_is_clean(cli, monkeypatch):
    """The demo content is the model of good practice: nothing to report."""
    assert [d.format() for d in check.run(ROOT, NOW).diagnostics] == []
    assert check.run(ROOT, NOW).releases >= 17


def test_a_site_that_does_not_load_says_so(make_site, cli):
    site = make_site({"content/a.md": "---\ntitle: [\n---\n"})
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "1 error menghentikan build; perbaiki lalu jalankan check lagi untuk memeriksa isinya." in result.output


def test_build_reports_front_matter_warnings(make_site, build_site, cli):
    """The cheap rules run in every build, so `build --strict` fails on them, before writing anything."""
    site = make_site({"content/a.md": release("Banjir", image="/images/foto.jpg"), "static/images/foto.jpg": jpeg()})
    result = build_site(site)
    assert [(d.line, d.rule, d.severity) for d in result.warnings] == [
        (2, "title-length", "warning"), (4, "image-alt", "warning"), (4, "image-credit", "warning")]
    assert cli("build", "--site", str(site)).exit_code == 0
    manifest = (site / "output" / "manifest.json").read_bytes()
    (site / "content/b.md").write_text(release("Rilis Kedua Yang Cukup Panjang Judulnya"))
    strict = cli("build", "--site", str(site), "--strict")
    assert strict.exit_code == 1 and "content/a.md:2: warning: judul ini hanya 6 karakter" in strict.output
    assert "3 peringatan dengan --strict; tidak ada yang ditulis." in strict.output
    assert (site / "output" / "manifest.json").read_bytes() == manifest
    quiet = remake(make_site, site, {"content/a.md": release(TITLE)})
    assert build_site(quiet).warnings == ()
    assert cli("build", "--site", str(quiet), "--strict").exit_code == 0


def test_an_archive_is_checked_in_parts_by_several_processes_with_the_findings_of_one(make_site, monkeypatch):
    """Rendering, scanning and the rules that read each file are shared out among processes on a
    large site: the findings are exactly those of one process, a broken template still once."""
    files = {}
    for i in range(90):
        body = f"Paragraf {i}.\n\n## Bagian {i}\n\nLihat [bagian](#bagian-{i}) dan [salah](#bagian-{i}x).\n"
        if i % 17 == 3:
            body += "\nLorem ipsum dolor sit amet.\n"
        if i % 23 == 5:
            body += "\nTeks dengan karakter\x0btersembunyi.\n"
        files[f"content/2026/11/r{i:02d}.md"] = release(f"Rilis Nomor {i} tentang Layanan Publik Daerah",
                                                        date=f"2026-11-{1 + i % 28:02d} {8 + i % 9:02d}:00",
                                                        body=body, draft="true" if i % 31 == 7 else "false")
    # A template that breaks only on some pages, each with its own message: reported once.
    files["themes/default/templates/release.html"] = (
        "{% extends 'base.html' %}\n{% block main %}{{ page.release.title }}\n"
        "{% if page.release.title.endswith('4 tentang Layanan Publik Daerah') %}"
        "{{ page.release.title.encode('tanpa-' ~ page.release.slug) }}{% endif %}{% endblock %}\n")
    site = make_site(files)
    forked = []
    real = check.fork_map

    def spy(func, tasks, jobs):
        tasks = list(tasks)
        forked.append((len(tasks), jobs))
        return real(func, tasks, jobs)
    monkeypatch.setattr(check, "fork_map", spy)
    many = check.run(site, NOW, jobs=2)
    assert forked and all(tasks > 1 and jobs == 2 for tasks, jobs in forked)
    one = check.run(site, NOW, jobs=1)
    assert many.diagnostics == one.diagnostics
    rules = {d.rule for d in many.diagnostics}
    assert {"placeholder", "control-characters", "broken-anchor", "build"} <= rules
    broken = [d for d in many.diagnostics if d.rule == "build"]
    assert len(broken) == 1 and "unknown encoding: tanpa-rilis-nomor-" in broken[0].message, broken
