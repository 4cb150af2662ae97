"""sitemap.xml, the Google News sitemap and robots.txt, validated with lxml against the official XSDs."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from lxml import etree

from conftest import BASIC_CONFIG, NOW, SCHEMAS, need_schemas, release
from humasgen import config as config_mod, sitemaps
from humasgen.build import load_site

BASE = "https://uji.example.go.id"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "image": "http://www.google.com/schemas/sitemap-image/1.1"}
TRICKY = 'Banjir & Longsor: <Siaga> "Darurat" 🌧️'
WITA = "+08:00"


@pytest.fixture(scope="module")
def urlset_schema(tmp_path_factory):
    """sitemap.xsd with the news and image extensions loaded, as sitemaps that use them need."""
    names = ("sitemap.xsd", "sitemap-news.xsd", "sitemap-image.xsd")
    need_schemas(*names)
    imports = "".join(f'<xsd:import namespace="{ns}" schemaLocation="{(SCHEMAS / name).as_uri()}"/>'
                      for ns, name in zip((NS["s"], NS["news"], NS["image"]), names))
    wrapper = tmp_path_factory.mktemp("xsd") / "wrapper.xsd"
    wrapper.write_text(f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>')
    return etree.XMLSchema(etree.parse(str(wrapper)))


@pytest.fixture(scope="module")
def index_schema():
    need_schemas("siteindex.xsd")
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd")))


def validate(schema, data: bytes) -> etree._Element:
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    return doc


def hours_ago(hours: float) -> str:
    """A front matter date that many hours before NOW, in the site timezone (WITA)."""
    return (NOW - timedelta(hours=hours)).astimezone(config_mod.Config().tz).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def fresh_site(make_site):
    files = {
        "content/baru.md": release(TRICKY, hours_ago(20), slug="banjir-siaga", image="/images/foto.jpg",
                                   category="Bencana", tags="[banjir]"),
        "content/kemarin.md": release("Rilis Kemarin", hours_ago(40), lang="en"),
        "content/lama.md": release("Rilis Tiga Hari Lalu", hours_ago(72), updated="2026-11-19 10:00"),
        "content/nanti.md": release("Rilis Terjadwal", "2026-12-01 09:00"),
        "static/images/foto.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
    }
    return make_site(files)


def test_sitemap_lists_every_page_and_validates(fresh_site, build_site, urlset_schema):
    build_site(fresh_site)
    out = fresh_site / "output"
    doc = validate(urlset_schema, (out / "sitemap.xml").read_bytes())
    locs = {u.findtext("s:loc", namespaces=NS): u for u in doc.findall("s:url", NS)}
    folders = (p.parent.relative_to(out).as_posix() for p in out.rglob("index.html"))
    pages = {f"{BASE}/" if folder == "." else f"{BASE}/{folder}/" for folder in folders}
    assert set(locs) == pages
    assert f"{BASE}/2026/12/rilis-terjadwal/" not in locs                    # not published yet
    old = locs[f"{BASE}/2026/11/rilis-tiga-hari-lalu/"]
    assert old.findtext("s:lastmod", namespaces=NS) == "2026-11-19T10:00:00+08:00"   # 'updated' wins
    fresh = locs[f"{BASE}/2026/11/banjir-siaga/"]
    assert fresh.findtext("image:image/image:loc", namespaces=NS) == f"{BASE}/images/foto.jpg"
    assert locs[f"{BASE}/"].findtext("s:lastmod", namespaces=NS) == \
        (NOW - timedelta(hours=20)).astimezone(config_mod.Config().tz).isoformat()


def test_news_sitemap_has_only_the_last_two_days(fresh_site, build_site, urlset_schema):
    build_site(fresh_site, future=True)
    doc = validate(urlset_schema, (fresh_site / "output" / "sitemap-news.xml").read_bytes())
    urls = doc.findall("s:url", NS)
    assert [u.findtext("s:loc", namespaces=NS) for u in urls] == [f"{BASE}/2026/11/banjir-siaga/",
                                                                   f"{BASE}/2026/11/rilis-kemarin/"]
    first, second = (u.find("news:news", NS) for u in urls)
    assert first.findtext("news:publication/news:name", namespaces=NS) == "Diskominfo Provinsi Uji"
    assert first.findtext("news:publication/news:language", namespaces=NS) == "id"
    assert second.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert first.findtext("news:title", namespaces=NS) == TRICKY
    published = first.findtext("news:publication_date", namespaces=NS)
    assert published.endswith(WITA)
    assert datetime.fromisoformat(published) == NOW - timedelta(hours=20)
    assert urls[0].findtext("image:image/image:loc", namespaces=NS) == f"{BASE}/images/foto.jpg"
    assert b"Rilis Tiga Hari Lalu" not in (fresh_site / "output" / "sitemap-news.xml").read_bytes()


def test_news_sitemap_with_nothing_fresh_is_an_empty_urlset(make_site, build_site):
    site = make_site({"content/lama.md": release("Rilis Lama", "2026-10-01 09:00")})
    build_site(site)
    doc = etree.fromstring((site / "output" / "sitemap-news.xml").read_bytes())
    assert doc.tag == f"{{{NS['s']}}}urlset" and len(doc) == 0


def test_news_sitemap_caps_at_one_thousand(make_site, urlset_schema):
    files = {f"content/r{i:04d}.md": release(f"Rilis {i:04d}", hours_ago(1 + i * 0.04)) for i in range(1001)}
    site = make_site(files)
    loaded = load_site(site, NOW)             # the real content and site model; rendering 1,001 pages adds nothing here
    assert len(loaded.site.releases) == 1001
    doc = validate(urlset_schema, sitemaps.build(loaded.site, ())[sitemaps.NEWS_SITEMAP])
    titles = [n.text for n in doc.iterfind("s:url/news:news/news:title", NS)]
    assert len(titles) == 1000
    assert titles[0] == "Rilis 0000" and titles[-1] == "Rilis 0999"        # the newest thousand


def test_robots_txt_names_both_sitemaps(fresh_site, build_site):
    build_site(fresh_site)
    lines = (fresh_site / "output" / "robots.txt").read_text().splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert f"Sitemap: {BASE}/sitemap-news.xml" in lines
    assert "User-agent: *" in lines


def test_own_robots_txt_is_kept(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis A"), "static/robots.txt": "User-agent: *\nDisallow: /draf/\n"})
    build_site(site)
    assert (site / "output" / "robots.txt").read_text() == "User-agent: *\nDisallow: /draf/\n"


def test_sitemap_index_past_fifty_thousand_urls(urlset_schema, index_schema):
    config = config_mod.Config(base_url=BASE)
    when = datetime.fromisoformat("2026-11-19T09:00:00+08:00")
    entries = [sitemaps.Entry(f"/2026/11/rilis-{i}/", when - timedelta(minutes=i)) for i in range(50_001)]
    files = sitemaps.split(entries, config)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    index = validate(index_schema, files["sitemap.xml"])
    assert [s.findtext("s:loc", namespaces=NS) for s in index] == [f"{BASE}/sitemap-1.xml", f"{BASE}/sitemap-2.xml"]
    assert index[0].findtext("s:lastmod", namespaces=NS) == "2026-11-19T09:00:00+08:00"
    first = validate(urlset_schema, files["sitemap-1.xml"])
    second = validate(urlset_schema, files["sitemap-2.xml"])
    assert (len(first), len(second)) == (50_000, 1)
    assert second[0].findtext("s:loc", namespaces=NS) == f"{BASE}/2026/11/rilis-50000/"


def test_sitemap_splits_by_size_too(urlset_schema):
    config = config_mod.Config(base_url=BASE)
    entries = [sitemaps.Entry(f"/rilis-{i}/") for i in range(300)]
    whole = sitemaps.split(entries, config)
    assert list(whole) == ["sitemap.xml"]
    parts = sitemaps.split(entries, config, max_bytes=len(whole["sitemap.xml"]) // 3)
    assert len(parts) == 1 + 4
    assert all(len(data) <= len(whole["sitemap.xml"]) // 3 for name, data in parts.items() if name != "sitemap.xml")
    assert sum(len(validate(urlset_schema, data)) for name, data in parts.items() if name != "sitemap.xml") == 300


def test_indexnow_key_file(make_site, build_site, cli):
    site = make_site({"content/a.md": release("Rilis A")},
                     BASIC_CONFIG + '[feeds]\nindexnow_key = "0123456789abcdef0123456789abcdef"\n')
    build_site(site)
    key = site / "output" / "0123456789abcdef0123456789abcdef.txt"
    assert key.read_text() == "0123456789abcdef0123456789abcdef"


def test_bad_feed_settings_are_config_errors(make_site, cli):
    site = make_site({}, BASIC_CONFIG + '[feeds]\nindexnow_key = "kunci rahasia!"\nhub = "hub.example.org"\n')
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml:5: error: feeds.indexnow_key must be 8 to 128 letters" in result.output
    assert "humasgen.toml:6: error: feeds.hub must be an absolute http(s) URL" in result.output
    assert not (site / "output").exists()


def test_own_indexnow_key_file_is_kept(make_site, build_site):
    key = "0123456789abcdef0123456789abcdef"
    site = make_site({"content/a.md": release("Rilis A"), f"static/{key}.txt": key + "\n"},
                     BASIC_CONFIG + f'[feeds]\nindexnow_key = "{key}"\n')
    build_site(site)
    assert (site / "output" / f"{key}.txt").read_text() == key + "\n"
