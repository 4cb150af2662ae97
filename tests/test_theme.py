"""Themes: a site overrides templates, static files and strings; the UI speaks Indonesian or English."""
from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po

from conftest import REPO, release
from humasgen.errors import HumasgenError

DEFAULT = REPO / "themes" / "default"
RELEASE_OVERRIDE = '''{% extends "base.html" %}
{% block main %}<h1 class="custom">{{ page.release.title }}</h1>{% endblock %}
'''


def release_html(site) -> str:
    return (site / "output" / "2026" / "11" / "rilis" / "index.html").read_text()


def test_site_overrides_default_template(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis"),
                      "themes/default/templates/release.html": RELEASE_OVERRIDE})
    build_site(site)
    html = release_html(site)
    assert '<h1 class="custom">Rilis</h1>' in html
    assert 'class="site-header"' in html                     # base.html still from the default theme
    assert 'class="custom"' not in (site / "output" / "index.html").read_text()


def test_named_theme(make_site, build_site):
    config = 'title = "Uji"\nbase_url = "https://uji.example.go.id"\ntheme = "kaltim"\n'
    site = make_site({"content/a.md": release("Rilis"),
                      "themes/kaltim/templates/release.html": RELEASE_OVERRIDE,
                      "themes/kaltim/static/css/style.css": "body { color: teal; }\n",
                      "themes/default/templates/release.html": "ignored: not the chosen theme"}, config=config)
    build_site(site)
    assert '<h1 class="custom">Rilis</h1>' in release_html(site)
    assert (site / "output" / "css" / "style.css").read_text() == "body { color: teal; }\n"


def test_missing_named_theme_is_an_error(make_site, cli):
    config = 'title = "Uji"\ntheme = "tidakada"\n'
    site = make_site({"content/a.md": release("Rilis")}, config=config)
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "theme 'tidakada' not found" in result.output and "Traceback" not in result.output


def test_static_file_override_order(make_site, build_site):
    site = make_site({
        "content/a.md": release("Rilis"),
        "themes/default/static/css/style.css": "/* theme */\n",
        "themes/default/static/js/extra.js": "// theme js\n",
        "static/js/extra.js": "// site js\n",
        "static/robots-extra.txt": "x\n",
        "static/.secret": "hidden\n",
    })
    build_site(site)
    out = site / "output"
    assert (out / "css" / "style.css").read_text() == "/* theme */\n"
    assert (out / "js" / "extra.js").read_text() == "// site js\n"       # the site's static/ wins
    assert (out / "robots-extra.txt").is_file()
    assert not (out / ".secret").exists()


def test_static_file_colliding_with_a_page_is_an_error(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis"), "static/index.html": "<p>lama</p>"})
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    assert "index.html" in caught.value.diagnostics[0].message
    assert not (site / "output").exists()


def test_changing_a_template_rerenders_in_a_warm_build(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis"),
                      "themes/default/templates/release.html": RELEASE_OVERRIDE})
    build_site(site)
    (site / "themes" / "default" / "templates" / "release.html").write_text(
        RELEASE_OVERRIDE.replace("custom", "diubah"))
    build_site(site)
    assert 'class="diubah"' in release_html(site)


ENGLISH = 'title = "Test Agency"\nbase_url = "https://uji.example.go.id"\nlanguage = "en"\n'


def test_english_ui(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis", "2022-11-15 14:30", category="Economy", tags="[a]",
                                             author="Rina", number="'1/SP'",
                                             attachments="[/files/a.pdf]", contact="Budi"),
                      "content/b.md": release("Lain", "2022-11-16 09:00", category="Economy"),
                      "static/files/a.pdf": b"%PDF" + b"0" * 2000}, config=ENGLISH)
    build_site(site)
    doc = lxml.html.fromstring((site / "output" / "2022" / "11" / "rilis" / "index.html").read_bytes())
    assert doc.get("lang") == "en"
    text = " ".join(doc.text_content().split())
    for english in ("Skip to content", "Home", "Archive", "Number: 1/SP", "Author", "Attachments", "Press contact",
                    "Share", "Read also", "Follow our releases", "Tuesday, 15 November 2022 14:30 WITA"):
        assert english in text, english
    for indonesian in ("Beranda", "Bagikan", "Baca juga", "Lampiran", "Selasa"):
        assert indonesian not in text, indonesian
    home = " ".join(lxml.html.fromstring((site / "output" / "index.html").read_bytes()).text_content().split())
    assert "Latest press releases" in home and "16 Nov 2022" in home
    term = (site / "output" / "kategori" / "economy" / "index.html").read_text()
    assert "2 press releases" in term
    archive = (site / "output" / "arsip" / "index.html").read_text()
    assert "November 2022" in archive and "Press release archive" in archive


def test_indonesian_ui_by_default(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis", "2022-11-15 14:30", category="Ekonomi"),
                      "content/b.md": release("Dua", "2022-12-01 09:00")})
    build_site(site)
    page = site / "output" / "2022" / "11" / "rilis" / "index.html"
    text = " ".join(lxml.html.fromstring(page.read_bytes()).text_content().split())
    assert "Selasa, 15 November 2022 14.30 WITA" in text and "Bagikan" in text and "Beranda" in text
    assert "1 siaran pers" in (site / "output" / "kategori" / "ekonomi" / "index.html").read_text()
    assert "Desember 2022" in (site / "output" / "arsip" / "index.html").read_text()


def template_strings() -> set[str]:
    found = set()
    pattern = re.compile(r'''\b(?:_|gettext)\(\s*(["'])(.+?)\1''')
    plural = re.compile(r'''\bngettext\(\s*(["'])(.+?)\1''')
    for path in (DEFAULT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {m.group(2) for m in pattern.finditer(text)}
        found |= {m.group(2) for m in plural.finditer(text)}
    return found


def test_every_ui_string_has_an_english_translation():
    with (DEFAULT / "locale" / "en.po").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}
    strings = template_strings()
    assert len(strings) > 25
    missing = sorted(s for s in strings if not translated.get(s))
    assert missing == []
    unused = sorted(set(translated) - strings)
    assert unused == []


def test_site_theme_can_add_and_change_strings(make_site, build_site):
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgid "Baca juga"\nmsgstr "Related news"\n\nmsgid "Salam"\nmsgstr "Greetings"\n')
    site = make_site({
        "content/a.md": release("Rilis", category="X"), "content/b.md": release("Dua", "2026-11-18 09:00", category="X"),
        "themes/default/locale/en.po": po,
        "themes/default/templates/404.html": '{% extends "base.html" %}{% block main %}{{ _("Salam") }}{% endblock %}',
    }, config=ENGLISH)
    build_site(site)
    html = release_html(site)
    assert "Related news" in html and "Read also" not in html
    assert "Share" in html                                    # the rest still from the default catalogue
    assert "Greetings" in (site / "output" / "404.html").read_text()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def served(tmp_path):
    """serve(folder) -> base URL of a real HTTP server on 127.0.0.1 for that folder."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *args: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"
    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_demo_pages_fit_a_phone_screen(build_site, served, demo_site):
    """No page of the demo site scrolls sideways on a 360 px phone (long e-mails, tables, nav)."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    build_site(demo_site)
    output = demo_site / "output"
    base = served(output)
    paths = sorted("/" + p.relative_to(output).as_posix().removesuffix("index.html")
                   for p in output.rglob("*.html") if "/halaman/" not in p.as_posix())
    wide = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 360, "height": 800})
        for path in paths:
            page.goto(base + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                wide[path] = width
        browser.close()
    assert len(paths) > 30
    assert wide == {}


def test_shared_header_marks_each_pages_own_navigation_entry(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis", category="Ekonomi"),
                      "content/b.md": release("Dua", "2026-11-20 09:00", category="Kesehatan")})
    build_site(site)

    def current(path: str) -> list[str]:
        doc = lxml.html.fromstring((site / "output" / path / "index.html").read_bytes())
        return [a.text_content() for a in doc.xpath("//nav[@class='site-nav']//a[@aria-current='page']")]
    assert current(".") == ["Beranda"]
    assert current("kategori/ekonomi") == ["Ekonomi"]
    assert current("kategori/kesehatan") == ["Kesehatan"]
    assert current("arsip") == ["Arsip"] and current("arsip/2026/11") == ["Arsip"]
    assert current("2026/11/rilis") == [] and current("unit") == []


def test_site_overrides_the_shared_footer(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis"), "content/b.md": release("Dua", "2026-11-20 09:00"),
                      "themes/default/templates/partials/footer.html":
                          '<footer class="dinas">{{ config.title }} · {{ _("Beranda") }}</footer>\n'})
    build_site(site)
    pages = sorted((site / "output").rglob("index.html"))
    assert len(pages) > 5
    for page in pages:
        assert '<footer class="dinas">' in page.read_text(), page
