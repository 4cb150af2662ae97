"""The default theme on a phone (390 px, real headless Chromium): many categories fold into a
disclosure, and a long breadcrumb stays on one line instead of wrapping into a stray '›'."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import BASIC_CONFIG, NOW, release
from demo_site import chromium, serve
from humasgen.build import BuildOptions, build

CATEGORIES = ["Pemerintahan", "Ekonomi", "Infrastruktur", "Kesehatan", "Pendidikan", "Pariwisata",
              "Lingkungan Hidup", "Sosial", "Pertanian", "Kebudayaan", "Perhubungan", "Kepegawaian"]
LONG = "Gubernur Resmikan Jembatan Sungai Harapan yang Menghubungkan Dua Kabupaten di Wilayah Utara"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("phone") / "site"
    (root / "content").mkdir(parents=True)
    (root / "humasgen.toml").write_text(BASIC_CONFIG, encoding="utf-8")
    for i, name in enumerate(CATEGORIES):     # dated 10 to 21 November: the last is not out at NOW
        title = LONG if i == 2 else f"Rilis {name} Nomor {i} untuk Uji Tampilan"
        (root / "content" / f"r{i}.md").write_text(
            release(title, f"2026-11-{10 + i:02d} 09:00", category=name), encoding="utf-8")
    result = build(BuildOptions(site_dir=root, output_dir=root / "output", now=NOW, jobs=1))
    (long_release,) = [r for r in result.site.releases if r.title == LONG]
    with serve(root / "output") as base:
        yield base, long_release.url


def test_phone_menu_folds_and_breadcrumb_stays_on_one_line(site, tmp_path):
    base, url = site
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        page.goto(base + url)
        shot = Path(os.environ.get("HUMASGEN_SCREENSHOTS", tmp_path)) / "release-390.png"
        page.screenshot(path=str(shot))
        nav = page.locator(".site-nav").bounding_box()
        assert nav["height"] < 60, nav                        # one row: Beranda, Kategori, Arsip
        first = page.locator(".site-nav a", has_text="Pemerintahan")
        assert not first.is_visible()
        page.locator(".nav-categories summary").click()
        assert first.is_visible()                              # opens without any script of ours
        tops = page.locator(".breadcrumbs li").evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")
        assert len(tops) == 3 and len(set(tops)) == 1, tops   # Beranda › Infrastruktur › title…, one line
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390                                   # nothing sticks out sideways
        page.close()


def test_wide_screen_shows_the_categories_in_the_row(site):
    base, url = site
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + url)
        page.screenshot(path=str(Path(os.environ.get("HUMASGEN_SCREENSHOTS", "/tmp")) / "release-1280.png"))
        links = page.locator(".site-nav a", has_text="Pertanian")
        assert links.count() == 1 and links.first.is_visible(), links.count()
        assert not page.locator(".nav-categories summary").is_visible()
        page.close()
