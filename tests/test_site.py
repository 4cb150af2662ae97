"""The site model as built pages show it: order, taxonomies, pagination, archives, neighbours, related."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import lxml.html
import pytest

from conftest import NOW, release

PER_PAGE_CONFIG = '''
title = "Diskominfo Provinsi Uji"
base_url = "https://uji.example.go.id"
per_page = 10
'''


def page(site, path: str):
    return lxml.html.fromstring((site / "output" / path).read_bytes())


def card_titles(doc) -> list[str]:
    return [a.text_content().strip() for a in doc.cssselect(".card-title a")] if hasattr(doc, "cssselect") \
        else [a.text_content().strip() for a in doc.xpath("//*[contains(@class,'card-title')]/a")]


def titles_in(doc) -> list[str]:
    return [a.text_content().strip() for a in doc.xpath("//main//*[contains(@class,'card-title')]/a")]


def numbered_site(make_site, count: int, config: str = PER_PAGE_CONFIG, **meta):
    """`count` releases 'Rilis 01'.. one hour apart, 'Rilis 01' the oldest."""
    start = datetime(2026, 11, 1, 8, 0)
    files = {f"content/r{i:02d}.md": release(f"Rilis {i:02d}", (start + timedelta(hours=i)).strftime("%Y-%m-%d %H:%M"),
                                             **meta)
             for i in range(1, count + 1)}
    return make_site(files, config=config)


def test_releases_newest_first(make_site, build_site):
    site = make_site({
        "content/b.md": release("Kedua", "2026-11-10 09:00"),
        "content/a.md": release("Pertama", "2026-10-01 09:00"),
        "content/c.md": release("Ketiga", "2026-11-18 07:00"),
    })
    result = build_site(site)
    assert [r.title for r in result.site.releases] == ["Ketiga", "Kedua", "Pertama"]
    assert titles_in(page(site, "index.html")) == ["Ketiga", "Kedua", "Pertama"]


def test_same_time_releases_have_a_stable_order(make_site, build_site):
    site = make_site({f"content/{n}.md": release(f"Rilis {n}", "2026-11-10 09:00") for n in "cab"})
    assert [r.id for r in build_site(site).site.releases] == ["a", "b", "c"]


def test_home_pagination_23_releases_per_page_10(make_site, build_site):
    site = numbered_site(make_site, 23)
    build_site(site)
    expected = [f"Rilis {i:02d}" for i in range(23, 0, -1)]
    assert titles_in(page(site, "index.html")) == expected[:10]
    assert titles_in(page(site, "halaman/2/index.html")) == expected[10:20]
    assert titles_in(page(site, "halaman/3/index.html")) == expected[20:]
    assert not (site / "output" / "halaman" / "4").exists()
    assert not (site / "output" / "halaman" / "1").exists()
    second = page(site, "halaman/2/index.html")
    assert second.xpath("//nav[@class='pagination']//a[@rel='prev']/@href") == ["/"]
    assert second.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["/halaman/3/"]
    assert second.xpath("//nav[@class='pagination']//a[@aria-current='page']")[0].text_content() == "2"
    assert page(site, "halaman/3/index.html").xpath("//nav[@class='pagination']//a[@rel='next']") == []


def test_exactly_full_pages_make_no_empty_page(make_site, build_site):
    site = numbered_site(make_site, 20)
    build_site(site)
    assert (site / "output" / "halaman" / "2" / "index.html").is_file()
    assert not (site / "output" / "halaman" / "3").exists()


def test_empty_site_has_a_home_page(make_site, build_site):
    site = make_site({})
    build_site(site)
    assert "Belum ada siaran pers." in (site / "output" / "index.html").read_text()
    assert (site / "output" / "404.html").is_file()


def test_taxonomies_have_term_and_index_pages(make_site, build_site):
    site = make_site({
        "content/a.md": release("Banjir Paser", "2026-11-10 09:00", category="Kebencanaan",
                                tags="[banjir, bantuan sosial]", unit="BPBD", author="Rina"),
        "content/b.md": release("Vaksinasi", "2026-11-11 09:00", category="Kesehatan", tags="[vaksin, banjir]",
                                unit="Dinas Kesehatan", author="Rina"),
    })
    result = build_site(site)
    names = {k: [t.name for t in tax.terms] for k, tax in result.site.taxonomies.items()}
    assert names == {"category": ["Kebencanaan", "Kesehatan"], "tag": ["banjir", "bantuan sosial", "vaksin"],
                     "unit": ["BPBD", "Dinas Kesehatan"], "author": ["Rina"]}
    assert titles_in(page(site, "kategori/kebencanaan/index.html")) == ["Banjir Paser"]
    assert titles_in(page(site, "tag/banjir/index.html")) == ["Vaksinasi", "Banjir Paser"]
    assert titles_in(page(site, "tag/bantuan-sosial/index.html")) == ["Banjir Paser"]
    assert titles_in(page(site, "unit/dinas-kesehatan/index.html")) == ["Vaksinasi"]
    assert titles_in(page(site, "penulis/rina/index.html")) == ["Vaksinasi", "Banjir Paser"]
    for index in ("kategori", "tag", "unit", "penulis"):
        doc = page(site, f"{index}/index.html")
        assert doc.xpath("//ul[@class='term-list']/li/a/@href")
    tags = page(site, "tag/index.html").xpath("//ul[@class='term-list']/li")
    assert [li.text_content().split() for li in tags] == [["banjir", "(2)"], ["bantuan", "sosial", "(1)"],
                                                         ["vaksin", "(1)"]]
    # the category navigation lists every category
    nav = page(site, "index.html").xpath("//nav[@class='site-nav']//a/@href")
    assert "/kategori/kebencanaan/" in nav and "/kategori/kesehatan/" in nav


def test_term_names_differing_in_case_are_one_term(make_site, build_site):
    site = make_site({
        "content/a.md": release("A", "2026-11-10 09:00", tags="[Banjir, banjir]"),
        "content/b.md": release("B", "2026-11-11 09:00", tags="[banjir]"),
    })
    result = build_site(site)
    (term,) = result.site.taxonomies["tag"].terms
    assert [r.title for r in term.releases] == ["B", "A"]
    assert titles_in(page(site, "tag/banjir/index.html")) == ["B", "A"]


def test_term_pages_are_paginated(make_site, build_site):
    site = numbered_site(make_site, 12, category="Ekonomi")
    build_site(site)
    assert len(titles_in(page(site, "kategori/ekonomi/index.html"))) == 10
    assert titles_in(page(site, "kategori/ekonomi/halaman/2/index.html")) == ["Rilis 02", "Rilis 01"]
    counted = page(site, "kategori/ekonomi/halaman/2/index.html").xpath("//p[@class='count']")[0].text_content()
    assert "12" in counted


def test_month_archives(make_site, build_site):
    site = make_site({
        "content/a.md": release("Oktober Satu", "2026-10-05 09:00"),
        "content/b.md": release("Oktober Dua", "2026-10-25 09:00"),
        "content/c.md": release("November", "2026-11-02 09:00"),
        "content/d.md": release("Tahun Lalu", "2025-12-31 23:00"),
    })
    build_site(site)
    archive = page(site, "arsip/index.html")
    assert archive.xpath("//ul[@class='term-list']/li/a/@href") == ["/arsip/2026/11/", "/arsip/2026/10/",
                                                                    "/arsip/2025/12/"]
    assert [a.text for a in archive.xpath("//ul[@class='term-list']/li/a")] == [
        "November 2026", "Oktober 2026", "Desember 2025"]
    assert titles_in(page(site, "arsip/2026/10/index.html")) == ["Oktober Dua", "Oktober Satu"]
    assert page(site, "arsip/2025/12/index.html").xpath("//h1")[0].text_content().split() == [
        "Arsip", "Desember", "2025"]


def test_previous_and_next(make_site, build_site):
    site = make_site({
        "content/a.md": release("Lama", "2026-11-01 09:00"),
        "content/b.md": release("Tengah", "2026-11-02 09:00"),
        "content/c.md": release("Baru", "2026-11-03 09:00"),
    })
    build_site(site)
    middle = page(site, "2026/11/tengah/index.html")
    assert middle.xpath("//nav[@class='prev-next']/a[@rel='prev']/@href") == ["/2026/11/lama/"]
    assert middle.xpath("//nav[@class='prev-next']/a[@rel='next']/@href") == ["/2026/11/baru/"]
    newest = page(site, "2026/11/baru/index.html")
    assert newest.xpath("//nav[@class='prev-next']/a[@rel='next']") == []
    assert page(site, "2026/11/lama/index.html").xpath("//nav[@class='prev-next']/a[@rel='prev']") == []


def related_titles(site, slug: str) -> list[str]:
    doc = page(site, f"2026/11/{slug}/index.html")
    return [a.text_content().strip() for a in doc.xpath("//section[@class='related']//*[contains(@class,'card-title')]/a")]


def test_related_releases(make_site, build_site):
    site = make_site({
        "content/a.md": release("Banjir Paser", "2026-11-01 09:00", tags="[banjir]", unit="BPBD"),
        "content/b.md": release("Banjir Kutai", "2026-11-02 09:00", tags="[banjir]"),
        "content/c.md": release("Posko BPBD", "2026-11-03 09:00", unit="BPBD"),
        "content/d.md": release("Sekolah", "2026-11-04 09:00", category="Pendidikan"),
        "content/e.md": release("Kampus", "2026-11-05 09:00", category="Pendidikan"),
        "content/f.md": release("Lain Sendiri", "2026-11-06 09:00", tags="[tunggal]"),
    })
    result = build_site(site)
    related = {r: [x.title for x in xs] for r, xs in result.site.related.items()}
    assert related["a"] == ["Posko BPBD", "Banjir Kutai"]          # newest first
    assert related["b"] == ["Banjir Paser"]
    assert related["d"] == ["Kampus"]
    assert related["f"] == []
    assert all(r not in [x.id for x in result.site.related[r]] for r in related)
    assert related_titles(site, "banjir-paser") == ["Posko BPBD", "Banjir Kutai"]
    assert page(site, "2026/11/lain-sendiri/index.html").xpath("//section[@class='related']") == []


def test_related_is_bounded_by_config_and_prefers_more_shared_terms(make_site, build_site):
    config = PER_PAGE_CONFIG + "related = 3\n"
    files = {f"content/k{i}.md": release(f"Kategori {i}", f"2026-11-{i + 1:02d} 09:00", category="Ekonomi")
             for i in range(1, 9)}
    files["content/t.md"] = release("Target", "2026-11-15 09:00", category="Ekonomi", tags="[pasar, harga]")
    files["content/u.md"] = release("Dua Tag", "2026-11-01 07:00", category="Ekonomi", tags="[pasar, harga]")
    files["content/v.md"] = release("Satu Tag", "2026-11-01 06:00", tags="[pasar]")
    site = make_site(files, config=config)
    result = build_site(site)
    got = [x.title for x in result.site.related["t"]]
    assert len(got) == 3
    assert set(got) == {"Dua Tag", "Satu Tag", "Kategori 8"}
    assert got == ["Kategori 8", "Dua Tag", "Satu Tag"]                  # shown newest first
    assert all(len(v) <= 3 for v in result.site.related.values())


def test_related_zero_disables(make_site, build_site):
    site = numbered_site(make_site, 3, config=PER_PAGE_CONFIG + "related = 0\n", category="Ekonomi")
    result = build_site(site)
    assert all(v == () for v in result.site.related.values())


def test_drafts_and_future_left_out_unless_asked(make_site, build_site):
    site = make_site({
        "content/a.md": release("Terbit", "2026-11-19 09:00"),
        "content/b.md": release("Draf", "2026-11-19 10:00", draft="true"),
        "content/c.md": release("Besok", "2026-11-21 09:00"),
        "content/d.md": release("Lusa", "2026-11-22 09:00"),
        "content/e.md": release("Draf Masa Depan", "2026-11-21 08:00", draft="true"),
    })
    result = build_site(site)
    assert [r.title for r in result.site.releases] == ["Terbit"]
    assert result.site.next_scheduled.isoformat() == "2026-11-21T09:00:00+08:00"
    manifest = json.loads((site / "output" / "manifest.json").read_text())
    assert [r["title"] for r in manifest["releases"]] == ["Terbit"]
    assert manifest["next_scheduled"] == "2026-11-21T09:00:00+08:00"
    assert not (site / "output" / "2026" / "11" / "besok").exists()
    assert not (site / "output" / "2026" / "11" / "draf").exists()

    assert [r.title for r in build_site(site, drafts=True).site.releases] == ["Draf", "Terbit"]
    assert [r.title for r in build_site(site, future=True).site.releases] == ["Lusa", "Besok", "Terbit"]
    both = build_site(site, drafts=True, future=True)
    assert [r.title for r in both.site.releases] == ["Lusa", "Besok", "Draf Masa Depan", "Draf", "Terbit"]
    assert (site / "output" / "2026" / "11" / "draf-masa-depan" / "index.html").is_file()


def test_release_at_exactly_now_is_published(make_site, build_site):
    now_local = NOW.astimezone().strftime("%Y-%m-%dT%H:%M:%S%z")
    site = make_site({"content/a.md": release("Tepat", f"'{now_local}'")})
    assert [r.title for r in build_site(site).site.releases] == ["Tepat"]
    assert build_site(site).site.next_scheduled is None


def test_no_next_scheduled_without_future_releases(make_site, build_site):
    site = make_site({"content/a.md": release("A", "2026-11-01 09:00")})
    build_site(site)
    assert json.loads((site / "output" / "manifest.json").read_text())["next_scheduled"] is None


def test_draft_with_duplicate_url_is_not_a_collision(make_site, build_site):
    site = make_site({
        "content/a.md": release("Sama", "2026-11-10 09:00"),
        "content/b.md": release("Sama", "2026-11-11 09:00", draft="true"),
    })
    assert len(build_site(site).site.releases) == 1
