"""Search without a server: Pagefind indexes the build, the theme's /cari/ page queries it in the browser."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import release
from demo_site import HOME, RELEASE, build_demo, chromium, page_file, serve
from humasgen.errors import HumasgenError

pytest.importorskip("pagefind", reason="pip install '.[test]' (or 'humasgen[search]') brings Pagefind")

BODY_WORD = "penimbunan"        # only in the body of RELEASE (not its title or summary)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("search"), search=True)


def _results(browser, base: str, query: str) -> list[dict]:
    page = browser.new_page()
    try:
        page.goto(f"{base}/cari/?q={query}")
        page.wait_for_function("document.getElementById('search-status').textContent.match(/\\d|Tidak|belum/)")
        return page.eval_on_selector_all(
            "#search-results li", "items => items.map(li => ({href: li.querySelector('a').getAttribute('href'), "
                                  "title: li.querySelector('a').textContent, text: li.textContent}))")
    finally:
        page.close()


def test_a_word_from_a_release_body_finds_that_release(demo):
    body = (demo.parent / "content" / "2026" / "11" /
            "harga-kebutuhan-pokok-menjelang-akhir-tahun-terpantau-stabil.md").read_text(encoding="utf-8")
    front, text = body.split("\n---\n", 1)
    assert BODY_WORD in text and BODY_WORD not in front
    with serve(demo) as base, chromium() as browser:
        found = _results(browser, base, BODY_WORD)
        nothing = _results(browser, base, "zzkatayangtidakada")
    assert [r["href"] for r in found] == [RELEASE]
    assert found[0]["title"] == "Harga Kebutuhan Pokok Menjelang Akhir Tahun Terpantau Stabil"
    assert nothing == []


def test_only_releases_are_indexed_and_the_bundle_is_there(demo):
    bundle = demo / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert '"page_count":16' in (bundle / "pagefind-entry.json").read_text()
    tree = lxml_html.fromstring(page_file(demo, "/cari/").read_bytes())
    assert tree.find(".//h1").text == "Cari siaran pers"
    assert [s.get("src") for s in tree.iter("script") if s.get("src")] == ["/js/search.js"]
    home = lxml_html.fromstring(page_file(demo, HOME).read_bytes())
    form = home.find(".//header//form[@role='search']")
    assert form.get("action") == "/cari/" and form.find(".//input").get("name") == "q"


def test_the_index_is_the_same_on_every_build(demo, tmp_path):
    again = build_demo(tmp_path, search=True)
    files = sorted(p.relative_to(demo).as_posix() for p in (demo / "pagefind").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again).as_posix() for p in (again / "pagefind").rglob("*") if p.is_file())
    for name in files:
        assert (demo / name).read_bytes() == (again / name).read_bytes(), name


def test_without_search_there_is_no_index_no_page_and_no_form(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Pertama")})
    build_site(site)
    output = site / "output"
    assert not (output / "pagefind").exists() and not (output / "cari").exists()
    assert b'role="search"' not in (output / "index.html").read_bytes()


def _search_site(make_site):
    return make_site({"content/a.md": release("Rilis Pertama")},
                     config='title = "Uji"\nbase_url = "https://uji.example.go.id"\nsearch = true\n'
                            '[social.video]\nenabled = false\n')      # no reel for the release added later


def test_missing_pagefind_is_an_error_before_anything_is_written(make_site, build_site, monkeypatch):
    site = _search_site(make_site)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site / "no-such-pagefind"))
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    (problem,) = caught.value.diagnostics
    assert (problem.path, problem.line) == ("humasgen.toml", 3)
    assert "Pagefind is not installed" in problem.message and "humasgen[search]" in problem.hint
    assert not (site / "output").exists()


def test_a_failing_indexer_leaves_the_previous_output(make_site, build_site, monkeypatch, tmp_path):
    site = _search_site(make_site)
    build_site(site)
    before = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    broken = tmp_path / "pagefind-broken"
    broken.write_text("#!/bin/sh\necho 'Error: the index exploded' >&2\nexit 3\n")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    (site / "content" / "b.md").write_text(release("Rilis Kedua"), encoding="utf-8")
    with pytest.raises(HumasgenError, match="Pagefind failed: Error: the index exploded"):
        build_site(site)
    after = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in site.iterdir() if p.name.startswith(".output.new-")]
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")          # fixed: the next build goes through, index and all
    build_site(site)
    assert (site / "output" / "2026" / "11" / "rilis-kedua" / "index.html").is_file()
    assert '"page_count":2' in (site / "output" / "pagefind" / "pagefind-entry.json").read_text()


def test_switching_search_off_removes_the_index_and_the_page(make_site, build_site):
    site = _search_site(make_site)
    for _ in range(3):                                  # plain folder, then both trees of a warm output
        build_site(site)
    assert (site / "output" / "pagefind" / "pagefind.js").is_file()
    (site / "humasgen.toml").write_text('title = "Uji"\nbase_url = "https://uji.example.go.id"\n')
    for _ in range(2):
        build_site(site)
        assert not (site / "output" / "pagefind").exists() and not (site / "output" / "cari").exists()


def test_pagefind_folder_is_reserved(make_site, build_site):
    site = _search_site(make_site)
    (site / "static" / "pagefind").mkdir(parents=True)
    (site / "static" / "pagefind" / "pagefind.js").write_text("// not ours")
    with pytest.raises(HumasgenError, match="inside pagefind/, kept for the search index"):
        build_site(site)
    assert not (site / "output").exists()


def test_the_preview_server_plans_the_search_page_too(make_site):
    """`serve` plans pages one at a time; /cari/ is there when search is on (it then says the index is missing)."""
    from conftest import NOW
    from humasgen import render
    from humasgen.build import load_site
    loaded = load_site(_search_site(make_site), NOW, preview=True)
    page = render.router(loaded.site, loaded.theme_key).page("cari/index.html")
    assert page is not None and page.kind == "search"
    assert page == next(p for p in render.plan(loaded.site, loaded.theme_key) if p.kind == "search")
