from conftest import release


def test_minimal_site_builds(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Pertama", tags="[uji]")}, config=None)
    result = build_site(site)
    assert len(result.site.releases) == 1
    page = (site / "output" / "2026" / "11" / "rilis-pertama" / "index.html").read_text()
    assert "<h1>Rilis Pertama</h1>" in page
    assert (site / "output" / "tag" / "uji" / "index.html").is_file()
