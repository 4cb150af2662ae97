"""Content types (pages, agenda, pengumuman, dokumen/PPID, galeri), translations, corrections, embargo.

Real sites built at an injected clock; read back with the real parsers (lxml, feedparser,
icalendar, csv, json) and the sitemap XSDs.
"""
from __future__ import annotations

import csv
import re
import io
import json
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from icalendar import Calendar
from lxml import etree, html as lxml_html

from conftest import NOW, SCHEMAS, release
from humasgen import content
from humasgen.errors import HumasgenError
from humasgen.types.load import FOLDERS as TYPE_FOLDERS

BASE = "https://uji.example.go.id"
SECRET = "rahasia-situs-uji-yang-cukup-panjang"
CONFIG = f'title = "Diskominfo Uji"\nbase_url = "{BASE}"\nembargo_secret = "{SECRET}"\n'
SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def doc(**front: str) -> str:
    """A content file: front matter lines (YAML values as written) and a body."""
    body = front.pop("body", "Isi.")
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n" + body + "\n"


def page(out: Path, url: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((out / url.lstrip("/") / "index.html").read_bytes())


def json_ld(tree) -> list[dict]:
    return [json.loads(s.text) for s in tree.iter("script") if s.get("type") == "application/ld+json"]


def files_containing(out: Path, text: str) -> set[str]:
    """Every output file (any kind) whose bytes contain `text`."""
    root = out.resolve()
    needle = text.encode()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()}


def errors(build_site, site: Path) -> list[str]:
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    return [d.format() for d in caught.value.diagnostics]


# --- front matter: each type's own keys, every problem with path:line -------------------------

@pytest.mark.parametrize("path, text, expected", [
    ("content/halaman/profil.md", doc(title="Profil", judul="x"),
     "content/halaman/profil.md:3: error: unknown front matter key 'judul' for a page"),
    ("content/halaman/profil.md", doc(title="Profil", draft="mungkin"),
     "content/halaman/profil.md:3: error: cannot read 'draft': 'mungkin' (write true or false)"),
    ("content/agenda/rapat.md", doc(title="Rapat", start="2026-12-01 09:00", tempat="Aula"),
     "content/agenda/rapat.md:4: error: unknown front matter key 'tempat' for an agenda item"),
    ("content/agenda/rapat.md", doc(title="Rapat", start="2026-12-01 09:00", place="Aula", status="batal"),
     "content/agenda/rapat.md:5: error: unknown status 'batal' (did you mean 'dibatalkan'?"),
    ("content/agenda/rapat.md", doc(title="Rapat", start="2026-12-01 09:00", end="2026-12-01 08:00", place="Aula"),
     "content/agenda/rapat.md:4: error: the event ends before it starts"),
    ("content/agenda/rapat.md", doc(title="Rapat", place="Aula"),
     "content/agenda/rapat.md:2: error: an agenda item has no 'start'"),
    ("content/pengumuman/a.md", doc(title="P", date="2026-11-10", expired="2026-11-30"),
     "content/pengumuman/a.md:4: error: unknown front matter key 'expired' for an announcement "
     "(did you mean 'expires'?"),
    ("content/pengumuman/a.md", doc(title="P", date="2026-11-10", expires="2026-11-01"),
     "content/pengumuman/a.md:4: error: the announcement expires before it is published"),
    ("content/dokumen/d.md", doc(title="D", **{"class": "berkla"}, year="2025", unit="Sekretariat"),
     "content/dokumen/d.md:3: error: unknown information class 'berkla' (did you mean 'berkala'?"),
    ("content/dokumen/d.md", doc(title="D", **{"class": "dikecualikan"}, year="2025", unit="Sekretariat"),
     "content/dokumen/d.md:3: error: a dikecualikan document needs the reason it is withheld"),
    ("content/dokumen/d.md", doc(title="D", **{"class": "dikecualikan"}, year="2025", unit="U", reason="Pasal 17",
                                  file="/dokumen/rahasia.pdf"),
     "content/dokumen/d.md:7: error: a dikecualikan document must not have a file"),
    ("content/dokumen/d.md", doc(title="D", **{"class": "berkala"}, year="dua ribu", unit="U"),
     "content/dokumen/d.md:4: error: cannot read 'year': 'dua ribu'"),
    ("content/dokumen/d.md", doc(title="D", **{"class": "berkala"}, year="2025", unit="U", file="/tidak-ada.pdf"),
     "content/dokumen/d.md:6: error: the file /tidak-ada.pdf does not exist"),
    ("content/galeri/g.md", doc(title="G", date="2026-11-10", photos="[{src: /a.jpg, alt: A}]"),
     "content/galeri/g.md:4: error: photo 1 has no credit"),
    ("content/galeri/g.md", doc(title="G", date="2026-11-10", credit="'Foto: Humas'", photos="[{src: /a.jpg, alt: A, "
                                                                                         "penulis: x}]"),
     "content/galeri/g.md:5: error: unknown key 'penulis' in photo 1"),
    ("content/galeri/g.md", doc(title="G", date="2026-11-10", credit="Humas", license="CC BY",
                                photos="[{src: /a.jpg, alt: A}]"),
     "content/galeri/g.md:5: error: 'license' must be the URL of the licence"),
    ("content/a.md", release("Rilis", corrections="[{time: kemarin, note: x}]"),
     "content/a.md:4: error: correction 1 has no readable 'time'"),
    ("content/a.md", release("Rilis", corrections="[{time: 2026-11-19 10:00, catatan: x}]"),
     "content/a.md:4: error: unknown key 'catatan' in correction 1 (valid keys: major, note, time)"),
    ("content/a.md", release("Rilis", embargo="ya"),
     "content/a.md:4: error: 'embargo' must be true or false"),
    ("content/a.md", release("Rilis", translation_key="'Hari Jadi'"),
     "content/a.md:4: error: invalid translation_key 'Hari Jadi'"),
])
def test_front_matter_errors_name_the_file_and_line(make_site, build_site, path, text, expected):
    site = make_site({path: text}, config=CONFIG)
    found = errors(build_site, site)
    assert any(line.startswith(expected) for line in found), found
    assert not (site / "output").exists()                     # nothing written


def test_type_folders_are_not_releases():
    """content.py skips the type folders that humasgen/types loads (one list, checked here)."""
    assert set(content.TYPE_FOLDERS) == set(TYPE_FOLDERS)


# --- pages, navigation, translations ----------------------------------------------------------

def translated_site(make_site, extra: dict | None = None) -> Path:
    return make_site({
        "content/halaman/profil.md": doc(title="Profil Dinas", translation_key="profil", body="Kami dinas."),
        "content/halaman/about.md": doc(title="About Us", lang="en", translation_key="profil", body="We are."),
        "content/a.md": release("Rilis Banjir Bahasa Indonesia", translation_key="banjir"),
        "content/b.md": release("Flood Release In English", "2026-11-19 10:00", lang="en", translation_key="banjir"),
        "content/c.md": release("Rilis Lain Tanpa Terjemahan", "2026-11-18 10:00"),
        **(extra or {}),
    }, config=CONFIG + 'menu = ["profil"]\n')


def test_pages_have_no_date_in_the_url_and_are_in_the_menu(make_site, build_site):
    site = translated_site(make_site)
    result = build_site(site)
    out = site / "output"
    tree = page(out, "/profil/")
    assert tree.findtext(".//h1").strip() == "Profil Dinas"
    nav = [a.get("href") for a in page(out, "/").findall(".//nav[@class='site-nav']//a")]
    assert "/profil/" in nav and "/about/" not in nav          # in the menu because the config names it
    assert result.announcements.new == ()                       # pages are never announced
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert "Profil Dinas" not in [e.title for e in feed.entries]


def test_a_menu_entry_that_is_no_page_is_an_error(make_site, build_site):
    site = make_site({"content/halaman/profil.md": doc(title="Profil")}, config=CONFIG + 'menu = ["profl"]\n')
    assert any(e.startswith("humasgen.toml:4: error: menu names 'profl', which is no page (did you mean "
                            "'profil'?") for e in errors(build_site, site))


def hreflangs(tree) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in tree.iter("link")
            if link.get("rel") == "alternate" and link.get("hreflang")}


@pytest.mark.parametrize("one, other", [("/2026/11/rilis-banjir-bahasa-indonesia/", "/2026/11/flood-release-in-english/"),
                                        ("/profil/", "/about/")])
def test_translations_link_each_other_in_head_and_switch(make_site, build_site, one, other):
    site = translated_site(make_site)
    build_site(site)
    out = site / "output"
    for here, there, lang in ((one, other, "en"), (other, one, "id")):
        tree = page(out, here)
        links = hreflangs(tree)
        assert links == {"id": BASE + one, "en": BASE + other, "x-default": BASE + one}    # reciprocal, self too
        switch = tree.find(".//nav[@class='language-switch']//a")
        assert switch.get("href") == there and switch.get("hreflang") == lang
    assert hreflangs(page(out, "/2026/11/rilis-lain-tanpa-terjemahan/")) == {}


def schema_of(folder: Path, extra: str = "") -> etree.XMLSchema:
    names = {"http://www.google.com/schemas/sitemap-news/0.9": "sitemap-news.xsd",
             "http://www.google.com/schemas/sitemap-image/1.1": "sitemap-image.xsd",
             "http://www.sitemaps.org/schemas/sitemap/0.9": "sitemap.xsd"}
    if not all((SCHEMAS / n).is_file() for n in names.values()):
        pytest.skip(f"sitemap schemas not found in {SCHEMAS}")
    imports = "".join(f'<xsd:import namespace="{ns}" schemaLocation="{(SCHEMAS / n).as_uri()}"/>'
                      for ns, n in names.items())
    wrapper = folder / f"wrapper{bool(extra)}.xsd"
    wrapper.write_text(f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}{extra}</xsd:schema>')
    return etree.XMLSchema(etree.parse(str(wrapper)))


@pytest.fixture(scope="module")
def shared_schema(tmp_path_factory):
    """The shared sitemap XSDs alone (sitemaps.org with Google's news and image extensions)."""
    return schema_of(tmp_path_factory.mktemp("xsd"))


@pytest.fixture(scope="module")
def translations_schema(tmp_path_factory):
    """The shared XSDs plus a declaration of xhtml:link, which has no published schema."""
    folder = tmp_path_factory.mktemp("xsd")
    (folder / "xhtml-link.xsd").write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/1999/xhtml" '
        'elementFormDefault="qualified"><xsd:element name="link"><xsd:complexType>'
        '<xsd:attribute name="rel" type="xsd:string" use="required"/>'
        '<xsd:attribute name="hreflang" type="xsd:language" use="required"/>'
        '<xsd:attribute name="href" type="xsd:anyURI" use="required"/>'
        '</xsd:complexType></xsd:element></xsd:schema>')
    return schema_of(folder, f'<xsd:import namespace="{SM["xhtml"]}" '
                             f'schemaLocation="{(folder / "xhtml-link.xsd").as_uri()}"/>')


def test_sitemap_alternates_are_reciprocal_and_valid(make_site, build_site, shared_schema, translations_schema):
    site = translated_site(make_site)
    build_site(site)
    out = site / "output"
    sitemap = etree.fromstring((out / "sitemap.xml").read_bytes())
    assert shared_schema.validate(sitemap), shared_schema.error_log       # the shared XSDs alone
    assert sitemap.findall(".//xhtml:link", SM) == []
    listed = {u.findtext("s:loc", namespaces=SM) for u in sitemap.findall("s:url", SM)}
    translations = etree.fromstring((out / "sitemap-translations.xml").read_bytes())
    assert translations_schema.validate(translations), translations_schema.error_log
    alternates = {u.findtext("s:loc", namespaces=SM): {l.get("hreflang"): l.get("href")
                                                       for l in u.findall("xhtml:link", SM)}
                  for u in translations.findall("s:url", SM)}
    assert set(alternates) == {f"{BASE}/2026/11/rilis-banjir-bahasa-indonesia/", f"{BASE}/2026/11/flood-release-in-english/",
                               f"{BASE}/profil/", f"{BASE}/about/"} and set(alternates) <= listed
    for loc, links in alternates.items():
        assert loc in links.values() and "x-default" in links                  # each lists itself
        for target in links.values():
            assert alternates[target] == links                                  # and the others list the same set
    robots = (out / "robots.txt").read_text()
    assert f"Sitemap: {BASE}/sitemap-translations.xml" in robots.splitlines()


def test_a_site_without_translations_has_no_translations_sitemap(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Tanpa Terjemahan")}, config=CONFIG)
    build_site(site)
    assert not (site / "output/sitemap-translations.xml").exists()
    assert "translations" not in (site / "output/robots.txt").read_text()


def test_feeds_per_language(make_site, build_site):
    site = translated_site(make_site)
    build_site(site)
    out = site / "output"
    main = feedparser.parse((out / "feed.xml").read_bytes())
    english = feedparser.parse((out / "en/feed.xml").read_bytes())
    assert [e.title for e in main.entries] == ["Rilis Banjir Bahasa Indonesia", "Rilis Lain Tanpa Terjemahan"]
    assert [e.title for e in english.entries] == ["Flood Release In English"]
    assert english.feed.language == "en"
    assert f"{BASE}/en/feed.xml" in [l.get("href") for l in page(out, "/en/").iter("link")]


def test_read_also_lists_releases_in_the_page_language_never_the_translation(make_site, build_site):
    site = make_site({
        "content/a.md": release("Rilis Banjir Bahasa Indonesia", translation_key="banjir", category="Bencana",
                                tags="[banjir, pengungsi]"),
        "content/b.md": release("Flood Release In English", "2026-11-19 10:00", lang="en", translation_key="banjir",
                                category="Bencana", tags="[banjir, pengungsi]"),
        "content/c.md": release("Rilis Bantuan Pengungsi Banjir", "2026-11-18 10:00", category="Bencana",
                                tags="[banjir]"),
        "content/d.md": release("Flood Relief Reaches The Camps", "2026-11-18 11:00", lang="en",
                                category="Bencana", tags="[banjir]"),
    }, config=CONFIG)
    build_site(site)
    out = site / "output"

    def read_also(url: str) -> list[str]:
        return [a.get("href") for a in page(out, url).findall(".//section[@class='related']//a")]
    assert read_also("/2026/11/rilis-banjir-bahasa-indonesia/") == ["/2026/11/rilis-bantuan-pengungsi-banjir/"]
    assert read_also("/2026/11/flood-release-in-english/") == ["/2026/11/flood-relief-reaches-the-camps/"]


def test_two_versions_in_one_language_is_an_error(make_site, build_site):
    site = translated_site(make_site, {"content/d.md": release("Rilis Kedua", translation_key="banjir")})
    assert any(e.startswith("content/d.md:4: error: translation_key 'banjir' in language 'id' is also used by "
                            "content/a.md") for e in errors(build_site, site))


# --- corrections ------------------------------------------------------------------------------

CORRECTION = ("\n  - time: 2026-11-19 15:00\n    note: Jumlah pengungsi yang benar 200 orang\n"
              "    major: true")


def test_a_correction_is_shown_and_keeps_the_feed_id(make_site, build_site, tmp_path):
    received = tmp_path / "received.json"
    script = tmp_path / "catch.py"
    script.write_text(textwrap.dedent(f"""
        import json, os, sys
        data = json.loads(sys.stdin.buffer.read())
        if data["event"] == "release_corrected":
            open({str(received)!r}, "w").write(json.dumps(data))
    """))
    site = make_site({"content/a.md": release("Rilis Pengungsi Banjir", "2026-11-19 09:00")},
                     config=CONFIG + f'[hooks]\ncommands = [{json.dumps(f"{sys.executable} {script}")}]\n')
    build_site(site)
    out = site / "output"
    rss_before, atom_before = (feedparser.parse((out / name).read_bytes()).entries[0]
                               for name in ("feed.xml", "atom.xml"))
    (site / "content/a.md").write_text(release("Rilis Pengungsi Banjir", "2026-11-19 09:00",
                                               corrections=CORRECTION))
    result = build_site(site)
    rss, atom = (feedparser.parse((out / name).read_bytes()).entries for name in ("feed.xml", "atom.xml"))
    assert len(rss) == len(atom) == 1
    assert rss[0].id == rss_before.id and atom[0].id == atom_before.id      # the same item, no duplicate
    assert atom[0].updated == "2026-11-19T15:00:00+08:00" and atom_before.updated == "2026-11-19T09:00:00+08:00"
    tree = page(out, "/2026/11/rilis-pengungsi-banjir/")
    listed = tree.find(".//section[@class='corrections']//li")
    assert listed.find("time").get("datetime") == "2026-11-19T15:00:00+08:00"
    assert "Jumlah pengungsi yang benar 200 orang" in listed.text_content()
    article = next(d for d in json_ld(tree) if d["@type"] == "NewsArticle")
    assert article["dateModified"] == "2026-11-19T15:00:00+08:00"
    assert [r.id for r in result.announcements.corrected] == ["a"] and result.announcements.new == ()
    payload = json.loads(received.read_text())
    assert payload["correction"] == {"time": "2026-11-19T15:00:00+08:00", "note": "Jumlah pengungsi yang benar 200 orang"}
    received.unlink()
    build_site(site)
    assert not received.exists()                                           # announced once


def test_a_minor_correction_is_not_announced(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Pengungsi Banjir")}, config=CONFIG)
    build_site(site)
    (site / "content/a.md").write_text(release("Rilis Pengungsi Banjir", corrections=CORRECTION.replace("true", "false")))
    result = build_site(site)
    assert result.announcements.corrected == () and [r.id for r in result.announcements.updated] == ["a"]


# --- embargo ----------------------------------------------------------------------------------

EMBARGOED = release("Kartu Sehat Rahasia Diluncurkan", "2026-11-25 10:00", embargo="true", category="Kesehatan",
                    tags="[kesehatan]", body="Isi rahasia xylofon.")


def embargo_site(make_site, config: str = CONFIG) -> Path:
    return make_site({"content/a.md": release("Rilis Biasa Sudah Terbit", category="Kesehatan"),
                      "content/e.md": EMBARGOED}, config=config + "search = false\n")


def preview_of(result) -> str:
    (preview,) = result.site.previews
    return preview.url


def test_before_its_time_an_embargoed_release_is_only_at_its_preview(make_site, build_site):
    site = embargo_site(make_site)
    result = build_site(site)
    out = site / "output"
    url = preview_of(result)
    assert url.startswith("/pratinjau/") and len(url) == len("/pratinjau/") + 33
    for secret in ("Kartu Sehat Rahasia", "xylofon", "kartu-sehat-rahasia"):
        assert files_containing(out, secret) == {url.lstrip("/") + "index.html"}, secret
    tree = page(out, url)
    assert tree.find(".//meta[@name='robots']").get("content").startswith("noindex")
    assert tree.find(".//link[@rel='canonical']") is None
    assert "EMBARGO" in tree.find(".//p[@class='preview-banner embargo']").text_content()
    assert json_ld(tree) == []                                             # no NewsArticle for crawlers
    assert result.announcements.new == ()
    again = build_site(site, output_dir=site / "other")
    assert preview_of(again) == url                                        # stable across builds


def test_the_preview_url_comes_from_the_secret(make_site, build_site):
    first = preview_of(build_site(embargo_site(make_site)))
    site = embargo_site(make_site, CONFIG.replace(SECRET, "sebuah-rahasia-yang-lain-sama-sekali"))
    assert preview_of(build_site(site)) != first


def test_an_embargo_without_a_secret_is_an_error(make_site, build_site):
    site = embargo_site(make_site, f'title = "Uji"\nbase_url = "{BASE}"\n')
    found = errors(build_site, site)
    assert any(e.startswith("content/e.md:4: error: the release is embargoed but the site's secret is not set")
               for e in found), found


def test_at_its_time_the_release_is_published_and_the_preview_is_gone(make_site, build_site, cli):
    site = embargo_site(make_site)
    before = build_site(site)
    url = preview_of(before)
    after = build_site(site, now=datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc))    # 10:00 WITA
    out = site / "output"
    assert after.site.previews == ()
    assert not (out / url.lstrip("/")).exists()
    assert [r.id for r in after.announcements.new] == ["e"]
    assert "Kartu Sehat Rahasia Diluncurkan" in [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert (out / "2026/11/kartu-sehat-rahasia-diluncurkan/index.html").is_file()


def test_the_preview_url_is_printed_for_the_officer(make_site, cli):
    site = embargo_site(make_site)
    result = cli("build", "--site", str(site), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Diembargo sampai 2026-11-25T10:00:00+08:00: e" in result.output       # an Indonesian site
    assert f"pratinjau (kirim hanya kepada wartawan): {BASE}/pratinjau/" in result.output


# --- agenda -----------------------------------------------------------------------------------

AGENDA = {
    "content/agenda/rapat.md": doc(title="Rapat Koordinasi Banjir", start="2026-11-25 09:00", end="2026-11-25 12:00",
                                   place="Aula Gubernur", address="Jalan Pahlawan 1", organizer="BPBD"),
    "content/agenda/lalu.md": doc(title="Peresmian Pasar", start="2026-11-02 09:00", place="Pasar Baru"),
    "content/agenda/batal.md": doc(title="Dialog Publik APBD", start="2026-12-01 13:00", place="Aula",
                                   status="dibatalkan"),
}


def test_agenda_pages_lists_and_event_json_ld(make_site, build_site):
    site = make_site(AGENDA, config=CONFIG)
    build_site(site)
    out = site / "output"
    event = next(d for d in json_ld(page(out, "/agenda/2026/rapat-koordinasi-banjir/")) if d["@type"] == "Event")
    assert event["startDate"] == "2026-11-25T09:00:00+08:00" and event["endDate"] == "2026-11-25T12:00:00+08:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["location"] == {"@type": "Place", "name": "Aula Gubernur", "address": "Jalan Pahlawan 1"}
    assert event["organizer"]["name"] == "BPBD"
    cancelled = next(d for d in json_ld(page(out, "/agenda/2026/dialog-publik-apbd/")) if d["@type"] == "Event")
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    listing = page(out, "/agenda/")
    upcoming = [a.text for a in listing.findall(".//section[@aria-labelledby='agenda-mendatang']//h3/a")]
    past = [a.text for a in listing.findall(".//section[@aria-labelledby='agenda-lalu']//h3/a")]
    assert upcoming == ["Rapat Koordinasi Banjir", "Dialog Publik APBD"] and past == ["Peresmian Pasar"]


def test_agenda_ics_parses_back_and_is_valid(make_site, build_site):
    site = make_site(AGENDA, config=CONFIG)
    build_site(site)
    data = (site / "output/agenda.ics").read_bytes()
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))     # RFC 5545 folding
    calendar = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Rapat Koordinasi Banjir", "Peresmian Pasar", "Dialog Publik APBD"}
    for event in calendar.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event)                      # required by RFC 5545
        assert event.errors == []
    rapat = events["Rapat Koordinasi Banjir"]
    assert rapat.decoded("DTSTART") == datetime(2026, 11, 25, 1, 0, tzinfo=timezone.utc)
    assert rapat["DTSTART"].params["TZID"] == "Asia/Makassar"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Makassar"]     # every TZID defined
    assert str(rapat["LOCATION"]) == "Aula Gubernur, Jalan Pahlawan 1"
    assert str(events["Dialog Publik APBD"]["STATUS"]) == "CANCELLED"
    assert len({str(e["UID"]) for e in calendar.walk("VEVENT")}) == 3
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()


# --- pengumuman: expiry ------------------------------------------------------------------------

NOTICES = {
    "content/pengumuman/seleksi.md": doc(title="Seleksi Pegawai Dibuka", date="2026-11-10 08:00",
                                         expires="2026-11-22 16:00"),
    "content/pengumuman/tetap.md": doc(title="Jam Layanan Baru", date="2026-11-12 08:00"),
    "content/a.md": release("Rilis Biasa Untuk Beranda"),
}
AFTER_EXPIRY = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)      # 16:00 WITA


def notice_titles(out: Path) -> dict[str, list[str]]:
    return {
        "home": [a.text for a in page(out, "/").findall(".//section[@class='home-notices']//h3/a")],
        "list": [a.text for a in page(out, "/pengumuman/").findall(".//article//h2/a")],
        "feed": [e.title for e in feedparser.parse((out / "pengumuman/feed.xml").read_bytes()).entries],
        "atom": [e.title for e in feedparser.parse((out / "pengumuman/atom.xml").read_bytes()).entries],
    }


def test_an_announcement_leaves_lists_and_feeds_when_it_expires(make_site, build_site):
    site = make_site(NOTICES, config=CONFIG)
    out = site / "output"
    build_site(site)
    both = ["Jam Layanan Baru", "Seleksi Pegawai Dibuka"]
    assert notice_titles(out) == {"home": both, "list": both, "feed": both, "atom": both}
    assert page(out, "/pengumuman/2026/seleksi-pegawai-dibuka/").find(".//p[@class='notice expired']") is None
    build_site(site, now=AFTER_EXPIRY)
    only = ["Jam Layanan Baru"]
    assert notice_titles(out) == {"home": only, "list": only, "feed": only, "atom": only}
    expired = page(out, "/pengumuman/2026/seleksi-pegawai-dibuka/")            # the page stays, marked
    assert "sudah tidak berlaku" in expired.find(".//p[@class='notice expired']").text_content()


# --- dokumen / PPID ---------------------------------------------------------------------------

def ppid_site(make_site) -> Path:
    from pypdf import PdfWriter
    pdf = io.BytesIO()
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(300, 400)
    writer.write(pdf)
    return make_site({
        "static/dokumen/lkip.pdf": pdf.getvalue(),
        "content/dokumen/lkip.md": doc(title="Laporan Kinerja 2025", **{"class": "berkala"}, year="2025",
                                       unit="Sekretariat", file="/dokumen/lkip.pdf"),
        "content/dokumen/siaga.md": doc(title="Peringatan Dini Banjir", **{"class": "serta-merta"}, year="2026",
                                        unit="BPBD"),
        "content/dokumen/sop.md": doc(title="SOP Layanan Informasi", **{"class": "setiap-saat"}, year="2024",
                                      unit="PPID"),
        "content/dokumen/rahasia.md": doc(title="Rencana Pengamanan Gedung", **{"class": "dikecualikan"},
                                          year="2026", unit="Satpol PP", reason="'Pasal 17 huruf c UU 14/2008'",
                                          body="Denah ruang server di lantai sembilan zamrud."),
    }, config=CONFIG)


def test_dip_and_dik_pages_and_lists(make_site, build_site):
    site = ppid_site(make_site)
    build_site(site)
    out = site / "output"
    dip = page(out, "/ppid/dip/")
    assert [h.text for h in dip.findall(".//main//h2")] == ["Informasi Berkala", "Informasi Serta Merta",
                                                             "Informasi Setiap Saat"]
    row = dip.find(".//tbody/tr")
    assert re.search(r"PDF, \d+ B, 3 halaman", row.text_content())
    document = page(out, "/ppid/dokumen/laporan-kinerja-2025/")
    assert document.find(".//a[@download]").get("href") == "/dokumen/lkip.pdf"
    rows = list(csv.DictReader(io.StringIO((out / "ppid/dip.csv").read_text(encoding="utf-8-sig"))))
    assert [r["judul"] for r in rows] == ["Laporan Kinerja 2025", "Peringatan Dini Banjir", "SOP Layanan Informasi"]
    assert rows[0]["jumlah_halaman"] == "3" and rows[0]["berkas"] == f"{BASE}/dokumen/lkip.pdf"
    listed = json.loads((out / "ppid/dip.json").read_text())
    assert [d["klasifikasi"] for d in listed["dokumen"]] == ["Informasi Berkala", "Informasi Serta Merta",
                                                              "Informasi Setiap Saat"]
    dik = list(csv.DictReader(io.StringIO((out / "ppid/dik.csv").read_text(encoding="utf-8-sig"))))
    assert dik == [{"judul": "Rencana Pengamanan Gedung", "tahun": "2026", "unit": "Satpol PP",
                    "alasan": "Pasal 17 huruf c UU 14/2008"}]
    assert json.loads((out / "ppid/dik.json").read_text())["dokumen"][0]["alasan"] == "Pasal 17 huruf c UU 14/2008"
    assert "Pasal 17 huruf c" in page(out, "/ppid/dik/").find(".//tbody").text_content()


def test_a_dikecualikan_document_is_never_published(make_site, build_site):
    site = ppid_site(make_site)
    build_site(site)
    out = site / "output"
    assert files_containing(out, "zamrud") == set()                          # its text: nowhere
    assert files_containing(out, "rencana-pengamanan-gedung") == set()      # no page of its own
    assert files_containing(out, "Rencana Pengamanan Gedung") == {"ppid/dik/index.html", "ppid/dik.csv",
                                                                  "ppid/dik.json"}   # only listed, with the reason


# --- galeri -----------------------------------------------------------------------------------

def test_gallery_photos_carry_their_credit(make_site, build_site):
    from PIL import Image
    image = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(image, "JPEG")
    site = make_site({
        "static/images/a.jpg": image.getvalue(), "static/images/b.jpg": image.getvalue(),
        "content/galeri/banjir.md": doc(
            title="Evakuasi Warga", date="2026-11-19 10:00", credit="'Foto: Diskominfo Uji'",
            copyright="'© 2026 Diskominfo Uji'", license="https://creativecommons.org/licenses/by/4.0/",
            photos="\n  - {src: /images/a.jpg, alt: Petugas menolong warga, caption: Evakuasi}"
                   "\n  - {src: /images/b.jpg, alt: Perahu karet, credit: 'Foto: BPBD/Rina'}"),
    }, config=CONFIG)
    build_site(site)
    out = site / "output"
    tree = page(out, "/galeri/2026/evakuasi-warga/")
    gallery = next(d for d in json_ld(tree) if d["@type"] == "ImageGallery")
    first, second = gallery["image"]
    assert first["@type"] == "ImageObject" and first["contentUrl"] == f"{BASE}/images/a.jpg"
    assert (first["creditText"], second["creditText"]) == ("Foto: Diskominfo Uji", "Foto: BPBD/Rina")
    assert first["copyrightNotice"] == "© 2026 Diskominfo Uji"
    assert first["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert (first["width"], first["height"]) == (64, 48)
    captions = [f.text_content() for f in tree.findall(".//figure/figcaption")]
    assert "Foto: BPBD/Rina" in captions[1] and "Foto: Diskominfo Uji" in captions[0]
    assert page(out, "/galeri/").find(".//h2/a").get("href") == "/galeri/2026/evakuasi-warga/"


# --- humasgen new --type, check ---------------------------------------------------------------

@pytest.mark.parametrize("kind, folder", [("halaman", "halaman"), ("agenda", "agenda"), ("pengumuman", "pengumuman"),
                                          ("dokumen", "dokumen"), ("galeri", "galeri")])
def test_new_creates_each_type_and_the_site_still_builds(make_site, build_site, cli, kind, folder):
    site = make_site({"content/a.md": release("Rilis Pertama")}, config=CONFIG)
    result = cli("new", "--type", kind, "Contoh Isian Baru", "--site", str(site))
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path == site / "content" / folder / "contoh-isian-baru.md" and path.is_file()
    build_site(site)                                                         # a draft: valid, not published
    assert not (site / "output" / folder / "2026" / "contoh-isian-baru").exists()
    assert cli("new", "--type", kind, "Contoh Isian Baru", "--site", str(site)).exit_code == 1


def test_check_reports_the_types_rules(make_site, cli):
    site = make_site({"content/agenda/rapat.md": doc(title="Rapat", start="2026-12-01 09:00", place="Aula",
                                                     status="batal"),
                      "content/a.md": release("Rilis Dengan Embargo Yang Sudah Lewat", embargo="true")}, config=CONFIG)
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/agenda/rapat.md:5: error: status 'batal' tidak dikenal" in result.output   # an Indonesian site
    fixed = site / "content/agenda/rapat.md"
    fixed.write_text(fixed.read_text().replace("batal", "dibatalkan"))
    result = cli("check", "--site", str(site))
    assert "content/a.md:4: warning: rilis ini diembargo tetapi tanggalnya sudah lewat" in result.output   # Indonesian site
    assert "[embargo-past]" in result.output


def test_check_knows_the_type_pages_a_release_links_to(make_site, cli):
    site = make_site({"content/dokumen/lkip.md": doc(title="Laporan Kinerja", **{"class": "berkala"}, year="2025",
                                                     unit="Setda"),
                      "content/agenda/rapat.md": doc(title="Rapat", start="2026-12-01 09:00", place="Aula"),
                      "content/a.md": release("Rilis Yang Menautkan Daftar Informasi Publik",
                                              body="Lihat [DIP](/ppid/dip/), [agenda](/agenda/) dan [x](/ppid/tidak/).")},
                     config=CONFIG)
    result = cli("check", "--site", str(site))
    assert "/ppid/dip/" not in result.output and "/agenda/ " not in result.output
    assert "content/a.md:5: error: /ppid/tidak/ tidak ada di situs" in result.output


def test_the_new_atom_feeds_validate_against_relax_ng(make_site, build_site):
    schema_file = SCHEMAS / "atom.rng"
    if not schema_file.is_file():
        pytest.skip(f"RELAX NG schema not found at {schema_file}")
    schema = etree.RelaxNG(etree.parse(str(schema_file)))
    site = translated_site(make_site, NOTICES)
    build_site(site)
    for name in ("pengumuman/atom.xml", "en/atom.xml", "atom.xml"):
        feed = etree.parse(str(site / "output" / name))
        assert schema.validate(feed), (name, schema.error_log)


def test_a_page_is_converted_within_the_same_limits_as_a_release(make_site, cli):
    # Content types share the releases' safety: raw HTML cut to the safe subset, nesting bounded.
    site = make_site({"content/halaman/profil.md": "---\ntitle: Profil Dinas\n---\nIsi <script>alert(1)</script> profil.\n",
                      "content/halaman/dalam.md": "---\ntitle: Bertingkat\n---\n" + "> " * 300 + "kutipan\n"})
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "content/halaman/dalam.md:4:" in result.output
    (site / "content/halaman/dalam.md").unlink()
    assert cli("build", "--site", str(site)).exit_code == 0
    page = next((site / "output").rglob("profil*/index.html")).read_text()
    assert "<script>alert(1)" not in page and "Isi" in page
