"""What docs/theme.md promises an agency: colours, strings and templates overridden from its own theme folder."""
from __future__ import annotations

from conftest import release

BRAND = "<style>:root { --brand: #00573f; --brand-dark: #003a2a; }</style>"
ID_PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: id\\n"

msgid "Siaran Pers Terbaru"
msgstr "Berita Dinas Terkini"
'''


def test_brand_colours_strings_and_a_template_come_from_the_site_theme(make_site, build_site):
    site = make_site({
        "content/a.md": release("Rilis Pertama"),
        "humasgen.toml": 'title = "Dinas Uji"\nbase_url = "https://uji.example.go.id"\ntheme = "dinas"\n',
        "themes/dinas/templates/partials/brand.html": BRAND + "\n",
        "themes/dinas/locale/id.po": ID_PO,
        "themes/dinas/templates/404.html": '{% extends "base.html" %}{% block main %}<h1>Tidak ada</h1>{% endblock %}\n',
    }, config=None)
    build_site(site)
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    head = home[:home.index("</head>")]
    assert head.index('href="/css/style.css"') < head.index(BRAND)             # inlined after the stylesheet
    assert '<h1 class="page-title">Berita Dinas Terkini</h1>' in home           # the one string changed ...
    assert "Langsung ke konten" in home                                         # ... the others still default
    assert "<h1>Tidak ada</h1>" in (site / "output" / "404.html").read_text(encoding="utf-8")
    assert b"--brand:" in (site / "output" / "css" / "style.css").read_bytes()    # the default stylesheet stays


def test_the_default_brand_partial_adds_nothing(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Pertama")})
    build_site(site)
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "<style" not in home and "{#" not in home
