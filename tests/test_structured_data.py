"""JSON-LD, Open Graph and Twitter cards in page heads, as a crawler parses them."""
from __future__ import annotations

import io
import json

import lxml.html
import pytest
from PIL import Image

from conftest import BASIC_CONFIG, NOW, release
from humasgen.build import BuildOptions, build

BASE = "https://uji.example.go.id"
TRICKY = 'Banjir & Longsor: <Siaga> "Darurat" 🌧️ </script><script>alert(1)</script>'
CONFIG = BASIC_CONFIG + '''agency = "Dinas Komunikasi dan Informatika Provinsi Uji"
tagline = "Informasi Terbuka"
logo = "/images/logo.png"
email = "humas@uji.example.go.id"
'''


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build shared by the read-only tests of this module."""
    site = tmp_path_factory.mktemp("structured") / "site"
    files = {
        "content/banjir.md": release("X", "2026-11-19 09:00", slug="banjir-siaga", summary='"Ringkasan & <ringkas>"',
                                     category="Bencana", tags="[banjir, siaga]", author="Rina Wulandari",
                                     updated="2026-11-19 15:30", image="/images/banjir.png",
                                     image_alt='"Perahu karet di sungai"', number="012/SP/XI/2026",
                                     ).replace("title: 'X'", "title: " + json.dumps(TRICKY, ensure_ascii=False)),
        "content/tanpa-penulis.md": release("Rilis Tanpa Penulis", "2026-11-18 09:00", unit="Dinas Kesehatan"),
        "static/images/banjir.png": png(1200, 675),
        "static/images/logo.png": png(256, 256),
    }
    for rel, data in {**files, "humasgen.toml": CONFIG}.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    build(BuildOptions(site_dir=site, output_dir=site / "output", now=NOW, jobs=1))
    return site / "output"


def head(path):
    return lxml.html.fromstring(path.read_bytes()).find("head")


def json_ld(doc):
    scripts = doc.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def meta(doc) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in doc.iter("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            found.setdefault(key, []).append(tag.get("content"))
    return found


def test_news_article_json_ld(built):
    doc = head(built / "2026" / "11" / "banjir-siaga" / "index.html")
    data = json_ld(doc)
    url = f"{BASE}/2026/11/banjir-siaga/"
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == TRICKY
    assert data["description"] == "Ringkasan & <ringkas>"
    assert data["image"] == [{"@type": "ImageObject", "url": f"{BASE}/images/banjir.png", "width": 1200, "height": 675}]
    assert data["datePublished"] == "2026-11-19T09:00:00+08:00"
    assert data["dateModified"] == "2026-11-19T15:30:00+08:00"
    assert data["author"] == [{"@type": "Person", "name": "Rina Wulandari", "url": f"{BASE}/penulis/rina-wulandari/"}]
    assert (built / "penulis" / "rina-wulandari" / "index.html").is_file()
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Diskominfo Provinsi Uji"
    assert publisher["logo"] == {"@type": "ImageObject", "url": f"{BASE}/images/logo.png", "width": 256, "height": 256}
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["inLanguage"] == "id"
    assert data["articleSection"] == "Bencana" and data["keywords"] == ["banjir", "siaga"]
    assert doc.xpath('//link[@rel="canonical"]/@href') == [url]


def test_json_ld_cannot_close_its_script(built):
    html = (built / "2026" / "11" / "banjir-siaga" / "index.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    text = html[start:html.index("</script>", start)]
    assert "<" not in text and ">" not in text
    assert json.loads(text)["headline"] == TRICKY


def test_without_a_lead_image_the_share_card_is_the_picture(built):
    doc = head(built / "2026" / "11" / "rilis-tanpa-penulis" / "index.html")
    data = json_ld(doc)
    assert data["author"] == [{"@type": "Organization", "name": "Dinas Kesehatan", "url": f"{BASE}/"}]
    card = f"{BASE}/2026/11/rilis-tanpa-penulis/og-image.jpg"
    assert data["image"] == [{"@type": "ImageObject", "url": card, "width": 1200, "height": 630}]
    tags = meta(doc)
    assert tags["og:image"] == [card] and tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]
    assert tags["twitter:card"] == ["summary_large_image"] and tags["twitter:image"] == [card]
    assert (built / "2026" / "11" / "rilis-tanpa-penulis" / "og-image.jpg").is_file()


def test_without_lead_image_or_share_card_og_image_is_the_logo(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis A"), "static/images/logo.png": png(256, 256)},
                     CONFIG + "social.images = false\n")
    build_site(site)
    doc = head(site / "output" / "2026" / "11" / "rilis-a" / "index.html")
    assert "image" not in json_ld(doc)                       # a logo is not an article image
    tags = meta(doc)
    assert tags["og:image"] == [f"{BASE}/images/logo.png"] and tags["twitter:card"] == ["summary"]


def test_open_graph_and_twitter(built):
    tags = meta(head(built / "2026" / "11" / "banjir-siaga" / "index.html"))
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == [TRICKY]
    assert tags["og:description"] == ["Ringkasan & <ringkas>"]
    assert tags["og:url"] == [f"{BASE}/2026/11/banjir-siaga/"]
    assert tags["og:image"] == [f"{BASE}/images/banjir.png"]
    assert (tags["og:image:width"], tags["og:image:height"]) == (["1200"], ["675"])
    assert tags["og:image:alt"] == ["Perahu karet di sungai"]
    assert tags["og:locale"] == ["id_ID"]
    assert tags["og:site_name"] == ["Diskominfo Provinsi Uji"]
    assert tags["article:published_time"] == ["2026-11-19T09:00:00+08:00"]
    assert tags["article:modified_time"] == ["2026-11-19T15:30:00+08:00"]
    assert tags["article:section"] == ["Bencana"]
    assert tags["article:tag"] == ["banjir", "siaga"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["twitter:title"] == [TRICKY]
    assert tags["twitter:image"] == [f"{BASE}/images/banjir.png"]


def test_home_and_list_pages_carry_website_and_organization(built):
    for page in (built / "index.html", built / "kategori" / "bencana" / "index.html", built / "arsip" / "index.html"):
        doc = head(page)
        graph = {item["@type"]: item for item in json_ld(doc)["@graph"]}
        assert graph["WebSite"]["url"] == f"{BASE}/" and graph["WebSite"]["name"] == "Diskominfo Provinsi Uji"
        assert graph["WebSite"]["publisher"] == {"@id": graph["Organization"]["@id"]}
        assert graph["Organization"]["legalName"] == "Dinas Komunikasi dan Informatika Provinsi Uji"
        assert graph["Organization"]["logo"]["url"] == f"{BASE}/images/logo.png"
        tags = meta(doc)
        assert tags["og:type"] == ["website"] and tags["twitter:card"] == ["summary"]
    category = meta(head(built / "kategori" / "bencana" / "index.html"))
    assert category["og:url"] == [f"{BASE}/kategori/bencana/"]
    assert category["og:title"] == ["Bencana – Diskominfo Provinsi Uji"]
    assert not head(built / "404.html").xpath('//script[@type="application/ld+json"]')


def test_english_site_locale(make_site, build_site):
    site = make_site({"content/a.md": release("Press Release")}, BASIC_CONFIG + 'language = "en"\n')
    build_site(site)
    doc = head(site / "output" / "2026" / "11" / "press-release" / "index.html")
    assert meta(doc)["og:locale"] == ["en_US"]
    assert json_ld(doc)["inLanguage"] == "en"
