"""RSS 2.0, Atom and JSON Feed as real clients read them (feedparser, lxml RELAX NG)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from PIL import Image

from conftest import BASIC_CONFIG, NOW, SCHEMAS, need_schemas, release

BASE = "https://uji.example.go.id"
TRICKY = 'Banjir & Longsor: <Siaga> "Darurat" 🌧️ di Kota Hujan'
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}$")


def jpeg(width: int = 120, height: int = 80) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 20)).save(buffer, "JPEG")
    return buffer.getvalue()


def yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)   # a JSON string is a YAML double-quoted string


@pytest.fixture
def news_site(make_site):
    """Five releases over two categories and two units, one with an image and tricky text."""
    body = """
        Paragraf pertama dengan [tautan internal](/2026/11/rilis-a/), [relatif](lampiran.pdf),
        catatan kaki[^1] dan ![foto](/images/foto.jpg) serta [surel](mailto:humas@example.go.id).

        Teks aneh: ]]> dan kontrol \x07 di sini.

        [^1]: Catatan.
    """
    files = {
        "content/a.md": release("Rilis A", "2026-11-15 08:00", category="Ekonomi", unit="Biro Ekonomi",
                                tags="[pasar]", slug="rilis-a"),
        "content/b.md": release("Rilis B", "2026-11-16 08:00", category="Kesehatan", unit="Dinas Kesehatan"),
        "content/c.md": release("Rilis C", "2026-11-17 08:00", category="Ekonomi", unit="Dinas Kesehatan",
                                author="Rina Wulandari", updated="2026-11-18 10:00"),
        "content/d.md": release("Rilis D", "2026-11-18 08:00", category="Kesehatan",
                                summary='"Ringkasan ]]> dengan bel \\a di tengah"'),
        "content/e.md": release("X", "2026-11-19 09:00", body=body, category="Ekonomi", unit="Biro Ekonomi",
                                author="Rina Wulandari", tags="[banjir, siaga]", image="/images/foto.jpg", slug="banjir-siaga",
                                image_alt=yaml_str("Foto <posko> & perahu"),
                                image_caption="Posko siaga").replace("title: 'X'", f"title: {yaml_str(TRICKY)}"),
        "static/images/foto.jpg": jpeg(),
    }
    config = BASIC_CONFIG + 'logo = "/images/foto.jpg"\nemail = "humas@uji.example.go.id"\n'
    return make_site(files, config)


def parse(path):
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, getattr(feed, "bozo_exception", None)
    return feed


def test_site_rss_items_order_titles_links_dates(news_site, build_site):
    build_site(news_site)
    out = news_site / "output"
    feed = parse(out / "feed.xml")
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == [TRICKY, "Rilis D", "Rilis C", "Rilis B", "Rilis A"]
    assert feed.entries[4].link == f"{BASE}/2026/11/rilis-a/"
    assert feed.feed.language == "id"
    assert feed.feed.image.href == f"{BASE}/images/foto.jpg"
    assert "Diskominfo Provinsi Uji" in feed.feed.rights
    # Dates: RFC 822 with English names and the site's offset (Asia/Makassar, +0800).
    raw = etree.fromstring((out / "feed.xml").read_bytes())
    dates = [d.text for d in raw.iter("pubDate")]
    assert all(RFC822.match(d) for d in dates), dates
    assert raw.find("channel/item/pubDate").text == "Thu, 19 Nov 2026 09:00:00 +0800"
    # lastBuildDate comes from the newest release, not the clock.
    assert raw.find("channel/lastBuildDate").text == "Thu, 19 Nov 2026 09:00:00 +0800"
    self_link = raw.find("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == f"{BASE}/feed.xml"


def test_rss_item_details(news_site, build_site):
    build_site(news_site)
    data = (news_site / "output" / "feed.xml").read_bytes()
    raw = etree.fromstring(data)
    item = raw.find("channel/item")
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text == "tag:uji.example.go.id,2026:e"
    assert item.find("author") is None                      # RSS <author> must be an e-mail address
    assert item.find("{http://purl.org/dc/elements/1.1/}creator").text == "Rina Wulandari"
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{BASE}/images/foto.jpg"
    assert enclosure.get("length") == str(len(jpeg())) and enclosure.get("type") == "image/jpeg"
    media = item.find("{http://search.yahoo.com/mrss/}content")
    assert (media.get("url"), media.get("width"), media.get("height")) == (f"{BASE}/images/foto.jpg", "120", "80")
    categories = {(c.text, c.get("domain")) for c in item.findall("category")}
    assert categories == {("Ekonomi", f"{BASE}/kategori/"), ("banjir", f"{BASE}/tag/"), ("siaga", f"{BASE}/tag/"),
                          ("Biro Ekonomi", f"{BASE}/unit/")}
    content = item.find("{http://purl.org/rss/1.0/modules/content/}encoded").text
    assert f'href="{BASE}/2026/11/rilis-a/"' in content
    assert f'href="{BASE}/2026/11/banjir-siaga/lampiran.pdf"' in content
    assert f'href="{BASE}/2026/11/banjir-siaga/#fn:1"' in content
    assert f'src="{BASE}/images/foto.jpg"' in content
    assert 'href="mailto:humas@example.go.id"' in content
    assert not re.search(r'(href|src)="(?!https?:|mailto:)', content), "a relative link is left"
    assert "]]&gt;" in content and "\x07" not in content
    assert item.find("description").text.startswith("Paragraf pertama")


def test_cdata_end_and_control_characters_never_break_a_feed(news_site, build_site):
    build_site(news_site)
    out = news_site / "output"
    for name in ("feed.xml", "atom.xml"):
        entry = parse(out / name).entries[1]
        assert entry.title == "Rilis D"
        assert entry.summary == "Ringkasan ]]> dengan bel  di tengah"
    item = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][1]
    assert item["summary"] == "Ringkasan ]]> dengan bel  di tengah"


def test_tricky_title_survives_every_format(news_site, build_site):
    build_site(news_site)
    out = news_site / "output"
    assert parse(out / "feed.xml").entries[0].title == TRICKY
    assert parse(out / "atom.xml").entries[0].title == TRICKY
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == TRICKY
    assert b"&amp; Longsor: &lt;Siaga&gt;" in (out / "feed.xml").read_bytes()


def test_atom_feed(news_site, build_site):
    build_site(news_site)
    out = news_site / "output"
    feed = parse(out / "atom.xml")
    assert feed.version == "atom10"
    entry = feed.entries[0]
    assert entry.id == "tag:uji.example.go.id,2026:e"
    assert entry.link == f"{BASE}/2026/11/banjir-siaga/"
    assert entry.published == "2026-11-19T09:00:00+08:00"
    assert feed.entries[2].updated == "2026-11-18T10:00:00+08:00"        # Rilis C's 'updated'
    assert entry.author == "Rina Wulandari"
    assert [l.rel for l in entry.links].count("alternate") == 1
    assert any(l.rel == "enclosure" and l.length == str(len(jpeg())) for l in entry.links)
    assert feed.feed.updated == "2026-11-19T09:00:00+08:00"


def atom_schema():
    need_schemas("atom.rng")
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


def test_every_atom_feed_validates_against_relax_ng(news_site, build_site):
    schema = atom_schema()
    build_site(news_site)
    files = sorted((news_site / "output").rglob("atom.xml"))
    assert len(files) == 1 + 2 + 2        # site, 2 categories, 2 units (Rilis D has none)
    atom = "{http://www.w3.org/2005/Atom}"
    for path in files:
        doc = etree.parse(str(path))
        assert schema.validate(doc), f"{path}: {schema.error_log}"
        # RFC 4287 rules the RELAX NG grammar cannot state (its Schematron part):
        root = doc.getroot()
        for entry in root.iter(f"{atom}entry"):
            assert root.find(f"{atom}author") is not None or entry.find(f"{atom}author") is not None
            alternates = [l for l in entry.findall(f"{atom}link") if l.get("rel", "alternate") == "alternate"]
            assert len(alternates) == 1 or entry.find(f"{atom}content") is not None


def test_category_and_unit_feeds(news_site, build_site):
    build_site(news_site)
    out = news_site / "output"
    economy = parse(out / "kategori" / "ekonomi" / "feed.xml")
    assert [e.title for e in economy.entries] == [TRICKY, "Rilis C", "Rilis A"]
    assert economy.feed.link == f"{BASE}/kategori/ekonomi/"
    health_unit = parse(out / "unit" / "dinas-kesehatan" / "atom.xml")
    assert [e.title for e in health_unit.entries] == ["Rilis C", "Rilis B"]
    assert not (out / "tag" / "banjir" / "feed.xml").exists()           # per_tag is off by default
    page = (out / "kategori" / "ekonomi" / "index.html").read_text(encoding="utf-8")
    assert f'type="application/rss+xml" title="Diskominfo Provinsi Uji – Ekonomi" href="{BASE}/kategori/ekonomi/feed.xml"' in page
    assert f'href="{BASE}/kategori/ekonomi/atom.xml"' in page
    for html in (out / "index.html", out / "2026" / "11" / "rilis-a" / "index.html"):
        text = html.read_text(encoding="utf-8")
        assert f'<link rel="alternate" type="application/rss+xml" title="Diskominfo Provinsi Uji" href="{BASE}/feed.xml">' in text
        assert f'type="application/atom+xml" title="Diskominfo Provinsi Uji" href="{BASE}/atom.xml"' in text


def test_tag_feeds_when_configured(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis A", tags="[banjir, siaga]")},
                     BASIC_CONFIG + "[feeds]\nper_tag = true\n")
    build_site(site)
    out = site / "output"
    assert [e.title for e in parse(out / "tag" / "banjir" / "feed.xml").entries] == ["Rilis A"]
    assert parse(out / "tag" / "siaga" / "atom.xml").entries[0].title == "Rilis A"
    page = (out / "tag" / "banjir" / "index.html").read_text(encoding="utf-8")
    assert f'href="{BASE}/tag/banjir/feed.xml"' in page


def test_item_count_is_configurable_and_newest_first(make_site, build_site):
    files = {f"content/r{i:02d}.md": release(f"Rilis {i:02d}", f"2026-11-{i:02d} 08:00") for i in range(1, 13)}
    site = make_site(files, BASIC_CONFIG + "[feeds]\nitems = 5\n")
    build_site(site)
    out = site / "output"
    titles = [e.title for e in parse(out / "feed.xml").entries]
    assert titles == ["Rilis 12", "Rilis 11", "Rilis 10", "Rilis 09", "Rilis 08"]
    assert len(parse(out / "atom.xml").entries) == 5
    assert len(json.loads((out / "feed.json").read_bytes())["items"]) == 5


def test_guid_survives_title_and_permalink_change(make_site, build_site):
    site = make_site({"content/posko.md": release("Judul Lama")})
    build_site(site)
    before = parse(site / "output" / "feed.xml").entries[0]
    (site / "content" / "posko.md").write_text(release("Judul Baru", slug="judul-baru"), encoding="utf-8")
    build_site(site)
    after = parse(site / "output" / "feed.xml").entries[0]
    assert after.id == before.id == "tag:uji.example.go.id,2026:posko"
    assert before.link != after.link and after.title == "Judul Baru"


def test_dates_use_english_names_and_offset_in_english_and_indonesian_sites(make_site, build_site):
    config = BASIC_CONFIG + 'timezone = "Asia/Jayapura"\n'
    site = make_site({"content/a.md": release("Rilis Sabtu", "2026-08-15 07:05:09")}, config)
    build_site(site)
    item = etree.fromstring((site / "output" / "feed.xml").read_bytes()).find("channel/item")
    assert item.find("pubDate").text == "Sat, 15 Aug 2026 07:05:09 +0900"
    published = parse(site / "output" / "feed.xml").entries[0].published_parsed
    assert published[:6] == (2026, 8, 14, 22, 5, 9)            # feedparser normalises to UTC


def test_feeds_are_deterministic_and_ignore_the_clock(news_site, build_site):
    build_site(news_site)
    out = news_site / "output"
    first = {p: (out / p).read_bytes() for p in ("feed.xml", "atom.xml", "feed.json", "kategori/ekonomi/feed.xml")}
    build_site(news_site, now=NOW + timedelta(hours=5))
    assert {p: (out / p).read_bytes() for p in first} == first


def test_feed_stays_under_two_megabytes(make_site, build_site):
    line = "Data mentah tabel anggaran daerah per kecamatan dan per bulan, tahun 2026.\n"
    body = "Paragraf pembuka.\n\n```\n" + line * 800 + "```\n"   # ~60 KB per release, cheap to parse
    files = {f"content/r{i:02d}.md": release(f"Rilis {i:02d}", f"2026-10-{i:02d} 08:00", body=body)
             for i in range(1, 31)}
    files.update({f"content/s{i:02d}.md": release(f"Rilis Nov {i:02d}", f"2026-11-{i:02d} 08:00", body=body)
                  for i in range(1, 19)})
    site = make_site(files)
    build_site(site)
    out = site / "output"
    for name in ("feed.xml", "atom.xml", "feed.json"):
        data = (out / name).read_bytes()
        assert len(data) <= 2_000_000, name
    feed = parse(out / "feed.xml")
    assert 20 < len(feed.entries) < 48
    assert feed.entries[0].title == "Rilis Nov 18"              # the oldest are dropped, not the newest
    newest_first = [f"Rilis Nov {i:02d}" for i in range(18, 0, -1)] + [f"Rilis {i:02d}" for i in range(30, 0, -1)]
    assert [e.title for e in feed.entries] == newest_first[:len(feed.entries)]


def test_hub_links_when_configured(news_site, build_site):
    (news_site / "humasgen.toml").write_text(
        (news_site / "humasgen.toml").read_text() + '[feeds]\nhub = "https://hub.example.org/"\n')
    build_site(news_site)
    out = news_site / "output"
    rss = etree.fromstring((out / "feed.xml").read_bytes())
    links = {l.get("rel"): l.get("href") for l in rss.iter("{http://www.w3.org/2005/Atom}link")}
    assert links == {"self": f"{BASE}/feed.xml", "hub": "https://hub.example.org/"}
    atom = parse(out / "kategori" / "ekonomi" / "atom.xml")
    atom_links = {l.rel: l.href for l in atom.feed.links}
    assert atom_links["hub"] == "https://hub.example.org/"
    assert atom_links["self"] == f"{BASE}/kategori/ekonomi/atom.xml"
    assert json.loads((out / "feed.json").read_bytes())["hubs"] == [{"type": "WebSub", "url": "https://hub.example.org/"}]


def test_json_feed_shape(news_site, build_site):
    build_site(news_site)
    feed = json.loads((news_site / "output" / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Diskominfo Provinsi Uji"
    assert feed["home_page_url"] == f"{BASE}/" and feed["feed_url"] == f"{BASE}/feed.json"
    assert feed["language"] == "id"
    assert isinstance(feed["items"], list) and len(feed["items"]) == 5
    allowed = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
               "banner_image", "date_published", "date_modified", "authors", "tags", "language", "attachments"}
    for item in feed["items"]:
        assert set(item) <= allowed
        assert isinstance(item["id"], str) and item["id"]
        assert "content_html" in item or "content_text" in item
        assert item["url"].startswith(BASE + "/")
        for key in ("date_published", "date_modified"):
            stamp = datetime.fromisoformat(item[key])
            assert stamp.utcoffset() is not None                 # RFC 3339 needs the offset
        assert all(isinstance(a["name"], str) for a in item["authors"])
    first = feed["items"][0]
    assert first["id"] == "tag:uji.example.go.id,2026:e"
    assert first["image"] == f"{BASE}/images/foto.jpg"
    assert first["tags"] == ["Ekonomi", "banjir", "siaga", "Biro Ekonomi"]
    assert "\x07" not in first["content_html"]


def test_base_url_with_a_path(make_site, build_site):
    config = 'title = "Uji"\nbase_url = "https://portal.example.go.id/humas"\n'
    site = make_site({"content/a.md": release("Rilis A", body="Lihat [rilis](/2026/11/rilis-a/).")}, config)
    build_site(site)
    entry = parse(site / "output" / "feed.xml").entries[0]
    assert entry.link == "https://portal.example.go.id/humas/2026/11/rilis-a/"
    assert 'href="https://portal.example.go.id/humas/2026/11/rilis-a/"' in entry.content[0].value


def test_pubdate_stays_english_under_an_indonesian_process_locale(make_site, tmp_path):
    """Pelican and Yoast shipped localized pubDates; a plugin that calls setlocale must not cause it here."""
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("localedef (glibc) is not installed, cannot make an id_ID locale to test under")
    locales = tmp_path / "locales"
    locales.mkdir()
    subprocess.run([localedef, "-i", "id_ID", "-f", "UTF-8", str(locales / "id_ID.UTF-8")],
                   capture_output=True, check=False)
    site = make_site({"content/a.md": release("Rilis Kamis", "2026-08-13 09:00")})
    script = ("import datetime, locale, sys\n"
              "locale.setlocale(locale.LC_ALL, 'id_ID.UTF-8')\n"
              "assert datetime.date(2026, 8, 13).strftime('%a %b') == 'Kam Agu', 'the id_ID locale is not active'\n"
              "from humasgen.cli import main\n"
              "main(['build', '--site', sys.argv[1]])\n")
    env = {**os.environ, "LOCPATH": str(locales), "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
           "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    result = subprocess.run([sys.executable, "-c", script, str(site)], env=env, capture_output=True, text=True)
    if "locale.Error" in result.stderr:
        pytest.skip(f"could not build an id_ID locale with localedef: {result.stderr.strip()[-200:]}")
    assert result.returncode == 0, result.stderr
    item = etree.fromstring((site / "output" / "feed.xml").read_bytes()).find("channel/item")
    assert item.find("pubDate").text == "Thu, 13 Aug 2026 09:00:00 +0800"


def test_a_site_without_releases_has_valid_empty_feeds(make_site, build_site):
    site = make_site({})
    build_site(site)
    out = site / "output"
    for name in ("feed.xml", "atom.xml"):
        assert parse(out / name).entries == []
    assert atom_schema().validate(etree.parse(str(out / "atom.xml")))
    assert json.loads((out / "feed.json").read_bytes())["items"] == []


def test_a_single_release_over_two_megabytes_is_carried_as_summary_and_link(make_site, build_site):
    huge = "Pembuka.\n\n```\n" + "Baris data lampiran yang sangat panjang sekali untuk uji ukuran.\n" * 36_000 + "```\n"
    site = make_site({"content/besar.md": release("Rilis Besar", "2026-11-19 09:00", body=huge,
                                                  summary='"Ringkasan rilis besar"'),
                      "content/kecil.md": release("Rilis Kecil", "2026-11-18 09:00")})
    build_site(site)
    for name in ("feed.xml", "atom.xml"):
        path = site / "output" / name
        assert len(path.read_bytes()) <= 2_000_000
        [entry] = parse(path).entries
        assert entry.title == "Rilis Besar"
        assert entry.content[0].value.startswith("<p>Ringkasan rilis besar</p>")
        assert f"{BASE}/2026/11/rilis-besar/" in entry.content[0].value
    data = (site / "output" / "feed.json").read_bytes()
    assert len(data) <= 2_000_000
    [item] = json.loads(data)["items"]
    assert item["title"] == "Rilis Besar" and item["content_html"].startswith("<p>Ringkasan rilis besar</p>")


def test_external_lead_image_has_media_content_but_no_enclosure(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis A", image="https://cdn.example.org/foto%20besar.webp")})
    build_site(site)
    item = etree.fromstring((site / "output" / "feed.xml").read_bytes()).find("channel/item")
    assert item.find("enclosure") is None                    # RSS requires a length we do not know
    media = item.find("{http://search.yahoo.com/mrss/}content")
    assert (media.get("url"), media.get("type")) == ("https://cdn.example.org/foto%20besar.webp", "image/webp")
    assert parse(site / "output" / "feed.xml").entries[0].title == "Rilis A"
