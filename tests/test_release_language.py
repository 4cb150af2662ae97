"""A release's own language drives its article's labels and date line; the page around it keeps the site's."""
from __future__ import annotations

from conftest import release

CONTACT = "{name: Rina, role: Humas, phone: '0812 000', email: humas@example.go.id}"


def page_of(site, result, title):
    (found,) = [r for r in result.site.releases if r.title == title]
    return (site / "output" / found.url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_english_release_on_an_indonesian_site_has_english_labels(make_site, build_site):
    site = make_site({
        "content/en.md": release("Governor Opens the Harapan River Bridge", "2026-10-29 10:00", lang="en",
                                 contact=CONTACT, tags="[bridge]"),
        "content/id.md": release("Gubernur Resmikan Jembatan Sungai Harapan", "2026-10-29 11:00",
                                 contact=CONTACT, tags="[jembatan]"),
    })
    result = build_site(site)
    english = page_of(site, result, "Governor Opens the Harapan River Bridge")
    assert "Thursday, 29 October 2026 10:00 WITA" in english
    assert "Press contact" in english and "Share" in english
    assert "Kamis" not in english and "Narahubung" not in english and "Bagikan" not in english
    assert '<html lang="id">' in english and '<article class="release" lang="en"' in english
    assert "Beranda" in english          # the site around the article stays in the site's language
    indonesian = page_of(site, result, "Gubernur Resmikan Jembatan Sungai Harapan")
    assert "Kamis, 29 Oktober 2026 11.00 WITA" in indonesian and "Narahubung" in indonesian
    assert '<html lang="id">' in indonesian and '<article class="release">' in indonesian


def test_indonesian_release_on_an_english_site_has_indonesian_labels(make_site, build_site):
    from conftest import BASIC_CONFIG
    site = make_site({"content/id.md": release("Gubernur Resmikan Jembatan Sungai Harapan", "2026-10-29 11:00",
                                               lang="id", contact=CONTACT)},
                     config=BASIC_CONFIG + 'language = "en"\n')
    page = page_of(site, build_site(site), "Gubernur Resmikan Jembatan Sungai Harapan")
    assert "Kamis, 29 Oktober 2026 11.00 WITA" in page and "Narahubung" in page and "Press contact" not in page
    assert '<html lang="en">' in page and '<article class="release" lang="id"' in page


def test_warm_build_after_editing_an_english_release_equals_a_cold_build(make_site, build_site, tmp_path):
    """What the article reads in its own language counts for the page: an edit re-renders it."""
    import shutil

    from conftest import tree
    site = make_site({"content/en.md": release("Governor Opens the Harapan River Bridge", "2026-10-29 10:00",
                                               lang="en", contact=CONTACT)})
    build_site(site)
    (site / "content/en.md").write_text(release("Governor Opens the Harapan River Bridge", "2026-10-29 10:00",
                                                lang="en", contact="{name: Budi, role: Humas}"), encoding="utf-8")
    warm = build_site(site)
    page = page_of(site, warm, "Governor Opens the Harapan River Bridge")
    assert "Budi" in page and "Rina" not in page and "Press contact" in page
    shutil.rmtree(site / ".humasgen")
    build_site(site, output_dir=tmp_path / "cold")
    assert tree(site / "output") == tree(tmp_path / "cold")
