"""Warm builds: only what changed is rendered and written, and nothing is ever stale."""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import release
from humasgen import bodies, config as config_mod, content


def tree(root: Path) -> dict[str, str]:
    root = root.resolve()
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def corpus(n: int = 14) -> dict[str, str]:
    files = {}
    for i in range(n):
        files[f"content/r{i:02d}.md"] = release(
            f"Rilis Nomor {i:02d} Tentang Layanan", date=f"2026-10-{1 + i % 28:02d} {8 + i // 28:02d}:00",
            category="Ekonomi" if i % 2 else "Kesehatan", tags=f"[layanan, topik {i % 3}]",
            unit="Dinas Uji", body=f"Paragraf pembuka rilis {i}.\n\nIsi kedua.")
    return files


def pages_containing(out: Path, text: str) -> set[str]:
    return {p.relative_to(out.resolve()).as_posix() for p in out.resolve().rglob("*")
            if p.is_file() and p.suffix in (".html", ".xml", ".json") and text in p.read_text(errors="ignore")}


def test_warm_build_equals_cold_build(make_site, build_site, tmp_path):
    site = make_site(corpus())
    build_site(site)
    published = tmp_path / "published-manifest.json"    # what the warm build diffs against
    published.write_bytes((site / "output/manifest.json").read_bytes())
    (site / "content/r03.md").write_text(release("Judul Baru Rilis Tiga", date="2026-10-04 08:00",
                                                 category="Ekonomi", tags="[layanan]", unit="Dinas Uji"))
    warm = build_site(site)
    assert 0 < warm.rendered < warm.pages
    assert [m.old for m in warm.moved] == ["/2026/10/rilis-nomor-03-tentang-layanan/"]   # redirected
    cold_out = tmp_path / "cold"
    # A separate folder: no record, renders everything; the same previous manifest (the same old URLs)
    build_site(site, output_dir=cold_out, previous=str(published))
    assert tree(site / "output") == tree(cold_out)


def test_nothing_changed_renders_and_writes_nothing(make_site, build_site):
    site = make_site(corpus())
    build_site(site)
    build_site(site)                          # converts the plain folder to the two trees
    again = build_site(site)
    assert again.rendered == 0
    assert again.stats.written == 0 and again.stats.removed == 0


def test_an_edited_title_changes_every_page_that_shows_it(make_site, build_site):
    site = make_site(corpus())
    build_site(site)
    out = site / "output"
    before = pages_containing(out, "Rilis Nomor 05 Tentang Layanan")
    assert {"index.html", "kategori/ekonomi/index.html", "tag/layanan/index.html",
            "unit/dinas-uji/index.html", "manifest.json"} <= before
    path = site / "content/r05.md"
    path.write_text(path.read_text().replace("Rilis Nomor 05 Tentang Layanan", "Rilis Lima Diganti Judulnya"))
    build_site(site)
    assert pages_containing(out, "Rilis Nomor 05 Tentang Layanan") == set()
    after = pages_containing(out, "Rilis Lima Diganti Judulnya")
    # the old address is now a redirect to the new one (published URLs keep working)
    old_page = "2026/10/rilis-nomor-05-tentang-layanan/index.html"
    assert 'http-equiv="refresh"' in (out / old_page).read_text()
    # every list, feed and related list that showed it shows the new title (the slug is new too)
    assert {p.replace("rilis-nomor-05-tentang-layanan", "rilis-lima-diganti-judulnya") for p in before} \
        == after - {old_page}


def test_a_deleted_release_disappears_everywhere(make_site, build_site):
    site = make_site(corpus())
    build_site(site)
    build_site(site)
    (site / "content/r07.md").unlink()
    result = build_site(site)
    out = site / "output"
    assert pages_containing(out, "Rilis Nomor 07") == set()
    assert not (out / "2026/11/rilis-nomor-07-tentang-layanan").exists()
    assert result.stats.removed >= 1


def test_a_template_change_rerenders_what_uses_it(make_site, build_site):
    site = make_site(corpus())
    build_site(site)
    theme = site / "themes/default/templates"
    theme.mkdir(parents=True)
    builtin = Path(__file__).resolve().parents[1] / "themes/default/templates/404.html"
    (theme / "404.html").write_text(builtin.read_text().replace("{% block main %}", "{% block main %}<p>KUSTOM</p>"))
    result = build_site(site)
    assert "KUSTOM" in (site / "output/404.html").read_text()
    # the theme is one input of every page: all are re-rendered, and only the changed bytes written
    assert result.rendered == result.pages
    assert result.stats.written <= 3


def test_jobs_do_not_change_the_output(make_site, build_site, tmp_path):
    site = make_site(corpus(40), config='base_url = "https://uji.example.go.id"\nper_page = 3\n')
    build_site(site, output_dir=tmp_path / "one", jobs=1)
    build_site(site, output_dir=tmp_path / "two", jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_output_is_an_atomically_flipped_link_after_the_second_build(make_site, build_site):
    site = make_site(corpus(3))
    build_site(site)
    out = site / "output"
    assert out.is_dir() and not out.is_symlink()       # first build: a plain folder for CI to deploy
    build_site(site)
    first = os.readlink(out)
    build_site(site)
    second = os.readlink(out)
    assert {first, second} == {".output.a", ".output.b"}
    assert tree(out) == tree(site / second)


def test_only_changed_feeds_are_rebuilt(make_site, build_site):
    site = make_site(corpus())
    build_site(site)
    build_site(site)
    out = site / "output"
    before = tree(out)
    path = site / "content/r01.md"          # category Ekonomi
    path.write_text(path.read_text().replace("Isi kedua.", "Isi kedua, diperbaiki."))
    build_site(site)
    after = tree(out)
    changed = {p for p in after if after[p] != before.get(p)}
    assert {"feed.xml", "atom.xml", "kategori/ekonomi/feed.xml", "kategori/ekonomi/atom.xml"} <= changed
    assert "kategori/kesehatan/feed.xml" not in changed
    assert "Isi kedua, diperbaiki." in (out / "kategori/ekonomi/feed.xml").read_text()


def test_related_lists_follow_a_tag_change(make_site, build_site):
    """Warm builds reuse the last "Baca juga" lists only while no tag, unit or category changed."""
    site = make_site({
        "content/a.md": release("Rilis Banjir Pertama Di Kota", date="2026-11-10 09:00", tags="[banjir]"),
        "content/b.md": release("Rilis Banjir Kedua Di Desa", date="2026-11-11 09:00", tags="[banjir]"),
        "content/c.md": release("Rilis Tentang Jalan Provinsi", date="2026-11-12 09:00", tags="[jalan]")})
    build_site(site)
    page = site / "output/2026/11/rilis-banjir-pertama-di-kota/index.html"
    assert "Rilis Tentang Jalan Provinsi" not in page.read_text().split('id="baca-juga"')[-1]
    build_site(site)                                   # reuses the cached lists
    (site / "content/c.md").write_text(release("Rilis Tentang Jalan Provinsi", date="2026-11-12 09:00",
                                               tags="[banjir, jalan]"))
    build_site(site)
    assert "Rilis Tentang Jalan Provinsi" in page.read_text().split('id="baca-juga"')[-1]


def test_an_edit_rewrites_one_shard_of_the_parse_cache(make_site, build_site, monkeypatch):
    site = make_site(corpus(40))
    build_site(site)
    shards = site / ".humasgen" / content.PARSE_CACHE
    before = {p.name: p.read_bytes() for p in shards.glob("*.json")}
    assert len(before) > 10
    source = site / "content/r05.md"
    source.write_text(source.read_text().replace("Isi kedua.", "Isi kedua, diperbarui."))
    parsed = []
    monkeypatch.setattr(content, "parse", lambda *args, _parse=content.parse: parsed.append(args[0]) or _parse(*args))
    build_site(site)
    after = {p.name: p.read_bytes() for p in shards.glob("*.json")}
    assert parsed == ["content/r05.md"]
    assert [name for name in sorted(after) if after[name] != before[name]] == \
        [f"{content._CacheShards.shard('content/r05.md'):02d}.json"]
    assert b"diperbarui" not in after[f"{content._CacheShards.shard('content/r05.md'):02d}.json"]   # in the body store
    assert "diperbarui" in stored_bodies(site)[hashlib.sha256(source.read_bytes()).hexdigest()]
    build_site(site)                                   # nothing changed: every shard stays as it is
    assert {p.name: p.read_bytes() for p in shards.glob("*.json")} == after
    (site / "content/r05.md").unlink()
    build_site(site)
    left = b"".join(p.read_bytes() for p in shards.glob("*.json"))
    assert b"content/r05.md" not in left and b"content/r06.md" in left
    parsed.clear()
    build_site(site)                                   # and the next build still finds them all
    assert parsed == [] and {p.name for p in shards.glob("*.json")} >= set(after) - {
        f"{content._CacheShards.shard('content/r05.md'):02d}.json"}


def stored_bodies(site) -> dict[str, str]:
    """The body store as any SQLite client reads it: content hash -> HTML."""
    with contextlib.closing(sqlite3.connect(site / ".humasgen" / bodies.STORE)) as db:
        return dict(db.execute("SELECT hash, html FROM body"))


def test_a_warm_load_holds_no_body_and_reads_each_from_the_store(make_site, build_site):
    """Bodies are most of a parsed site: a warm build keeps them out of memory until a page uses one."""
    site = make_site(corpus(12))
    build_site(site)
    config = config_mod.load(site, None)
    settings = content.Settings(config.timezone, config.language, config.permalink)
    cold, _ = content.load(site, settings)                  # no cache: parsed, bodies held
    warm, problems = content.load(site, settings, cache_dir=site / ".humasgen")
    assert not problems and [r.id for r in warm] == [r.id for r in cold]
    assert all(r.body.held is None for r in warm) and all(r.body.held is not None for r in cold)
    assert [r.body_html for r in warm] == [r.body_html for r in cold]
    assert set(stored_bodies(site)) == {r.content_hash for r in cold}


def test_bodies_of_removed_releases_leave_the_store(make_site, build_site):
    site = make_site(corpus(10))
    build_site(site)
    for number in range(5):
        (site / f"content/r{number:02d}.md").unlink()
    build_site(site)
    held = stored_bodies(site)
    assert len(held) == 5 and all("Isi" in html for html in held.values())


# --- content types (humasgen/types), translations, corrections, embargo: warm == cold -----------

TYPES_CONFIG = ('title = "Diskominfo Uji"\nbase_url = "https://uji.example.go.id"\nmenu = ["profil"]\n'
                'embargo_secret = "rahasia-situs-uji-yang-cukup-panjang"\n')


def typed_corpus() -> dict[str, str]:
    def doc(body: str = "Isi.", **front: str) -> str:
        return "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n" + body + "\n"
    files = corpus(6)
    files["content/r05.md"] = files["content/r05.md"].replace("---\nParagraf", "translation_key: layanan\n---\nParagraf")
    return {
        **files,
        "content/halaman/profil.md": doc(title="Profil Dinas", translation_key="profil"),
        "content/halaman/about.md": doc(title="About Us", lang="en", translation_key="profil"),
        "content/agenda/rapat.md": doc(title="Rapat Koordinasi", start="2026-11-21 09:00", place="Aula"),
        "content/agenda/lalu.md": doc(title="Peresmian Pasar", start="2026-11-02 09:00", place="Pasar"),
        "content/pengumuman/seleksi.md": doc(title="Seleksi Pegawai", date="2026-11-10 08:00",
                                             expires="2026-11-22 16:00"),
        "content/dokumen/lkip.md": doc(title="Laporan Kinerja", **{"class": "berkala"}, year="2025", unit="Setda"),
        "content/dokumen/rahasia.md": doc(title="Rencana Pengamanan", **{"class": "dikecualikan"}, year="2026",
                                          unit="Satpol PP", reason="Pasal 17"),
        "content/galeri/g.md": doc(title="Album Banjir", date="2026-11-19 10:00", credit="Humas",
                                   photos="[{src: /images/a.jpg, alt: Warga}]"),
        "content/embargo.md": release("Rilis Embargo Kartu Sehat", date="2026-11-25 10:00", embargo="true"),
    }


def warm_equals_cold(site: Path, build_site, tmp_path: Path, **options) -> None:
    build_site(site, **options)
    cold_out = tmp_path / f"cold-{len(list(tmp_path.glob('cold-*')))}"
    build_site(site, output_dir=cold_out, **options)
    assert tree(site / "output") == tree(cold_out)


@pytest.mark.parametrize("path, old, new", [
    ("content/halaman/profil.md", "Profil Dinas", "Profil Dinas Baru"),          # in the menu of every page
    ("content/halaman/about.md", "translation_key: profil", "translation_key: tentang"),   # alternates go
    ("content/agenda/rapat.md", "start: 2026-11-21", "start: 2026-11-01"),     # upcoming -> past
    ("content/pengumuman/seleksi.md", "Seleksi Pegawai", "Seleksi Pegawai Diperpanjang"),   # home, list, feed
    ("content/dokumen/rahasia.md", "Pasal 17", "Pasal 17 huruf b"),
    ("content/galeri/g.md", "Album Banjir", "Album Banjir Bandang"),
    ("content/r01.md", "---\nParagraf", "corrections: [{time: 2026-11-20 10:00, note: Angka diperbaiki, major: true}]\n"
                                   "---\nParagraf"),
    ("content/r02.md", "---\nParagraf", "lang: en\ntranslation_key: layanan\n---\nParagraf"),   # r05's twin
])
def test_type_edits_warm_equals_cold(make_site, build_site, tmp_path, path, old, new):
    site = make_site(typed_corpus(), config=TYPES_CONFIG)
    build_site(site)
    file = site / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    warm_equals_cold(site, build_site, tmp_path)


def test_an_expiry_shows_in_a_warm_build(make_site, build_site, tmp_path):
    site = make_site(typed_corpus(), config=TYPES_CONFIG)
    build_site(site)
    later = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)      # the announcement expired, rapat is past
    warm_equals_cold(site, build_site, tmp_path, now=later)
    assert "Seleksi Pegawai" not in (site / "output/index.html").read_text()


def test_an_embargo_lifting_shows_in_a_warm_build(make_site, build_site, tmp_path):
    site = make_site(typed_corpus(), config=TYPES_CONFIG)
    before = build_site(site)
    assert pages_containing(site / "output", "Rilis Embargo Kartu Sehat") == {
        before.site.previews[0].url.lstrip("/") + "index.html"}
    lifted = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    warm_equals_cold(site, build_site, tmp_path, now=lifted)
    assert "index.html" in pages_containing(site / "output", "Rilis Embargo Kartu Sehat")


def test_building_many_sites_in_one_process_keeps_few_files_open(tmp_path, build_site):
    """The preview and test runs build many sites in one process: body stores are not left open."""
    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    sites = []
    for number in range(12):
        site = tmp_path / f"situs-{number}"
        (site / "content").mkdir(parents=True)
        (site / "humasgen.toml").write_text('title = "Situs Uji"\nbase_url = "https://uji.example.go.id"\n')
        (site / "content/a.md").write_text(release(f"Rilis Situs Nomor {number}", body="Isi rilis situs."))
        sites.append(site)
    build_site(sites[0])
    before = open_files()
    results = [build_site(site) for site in sites[1:]]   # kept alive, as a test or a preview keeps them
    assert all(r.pages > 1 for r in results)
    assert open_files() - before <= 3 * 4          # a database, its log and its index, for four sites at most
