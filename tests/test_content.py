"""Release files: front matter into the model, slugs, dates and timezones, Markdown body."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import lxml.html
import pytest

from conftest import release
from humasgen import content
from humasgen.content import Settings, make_slug, parse

MAKASSAR = Settings("Asia/Makassar", "id", "/{year}/{month}/{slug}/")

FULL = '''---
title: "Gubernur Resmikan   Jembatan Sungai Harapan"
date: 2026-11-15 14:30
updated: 2026-11-16T08:00:00+07:00
slug: jembatan-sungai-harapan
summary: Jembatan sepanjang 420 meter diresmikan.
category: Infrastruktur
tags: [jembatan, Transportasi, jembatan]
unit: Dinas Pekerjaan Umum
author: Rina Marlina
image: /images/jembatan.jpg
image_alt: Jembatan baja di atas sungai
image_caption: Jembatan Sungai Harapan saat peresmian.
image_credit: "Foto: Diskominfo/Rina"
draft: false
lang: id
number: 120
dateline: Samarinda
contact:
  name: Budi Santoso
  role: Kepala Bidang Humas
  phone: "0812-0000-1111"
  email: humas@example.go.id
attachments:
  - path: /files/spesifikasi.pdf
    title: Spesifikasi Jembatan
  - /files/foto.zip
extra:
  kegiatan_id: 77
  tanggal_rapat: 2026-11-10
---
Gubernur meresmikan jembatan pada Minggu pagi.

Paragraf kedua.
'''


def parsed(text: str, settings: Settings = MAKASSAR, source: str = "content/a.md"):
    return parse(source, "a", text.encode("utf-8"), settings)


def parsed_ok(text: str, settings: Settings = MAKASSAR):
    item, problems = parsed(text, settings)
    assert problems == [], [p.format() for p in problems]
    return item


def only_problem(text: str | bytes):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    item, problems = parse("content/a.md", "a", data, MAKASSAR)
    assert item is None
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def test_every_contract_key_reaches_the_model():
    r = parsed_ok(FULL)
    wita = timezone(timedelta(hours=8))
    assert r.title == "Gubernur Resmikan Jembatan Sungai Harapan"
    assert r.date == datetime(2026, 11, 15, 14, 30, tzinfo=wita)
    assert r.updated == datetime(2026, 11, 16, 9, 0, tzinfo=wita)
    assert r.slug == "jembatan-sungai-harapan"
    assert r.url == "/2026/11/jembatan-sungai-harapan/"
    assert r.summary == "Jembatan sepanjang 420 meter diresmikan."
    assert (r.category, r.unit, r.author) == ("Infrastruktur", "Dinas Pekerjaan Umum", "Rina Marlina")
    assert r.tags == ("jembatan", "Transportasi")
    assert (r.image, r.image_alt, r.image_caption, r.image_credit) == (
        "/images/jembatan.jpg", "Jembatan baja di atas sungai", "Jembatan Sungai Harapan saat peresmian.",
        "Foto: Diskominfo/Rina")
    assert r.draft is False and r.lang == "id"
    assert r.number == "120" and r.dateline == "Samarinda"
    assert (r.contact.name, r.contact.role, r.contact.phone, r.contact.email) == (
        "Budi Santoso", "Kepala Bidang Humas", "0812-0000-1111", "humas@example.go.id")
    assert [(a.path, a.title) for a in r.attachments] == [
        ("/files/spesifikasi.pdf", "Spesifikasi Jembatan"), ("/files/foto.zip", "foto.zip")]
    assert dict(r.extra) == {"kegiatan_id": 77, "tanggal_rapat": "2026-11-10"}
    assert r.lines["title"] == 2 and r.lines["attachments"] == 24
    assert r.body_line == 32


def test_release_survives_the_cache_round_trip():
    r = parsed_ok(FULL)
    again = content.release_from_json(content.release_to_json(r), MAKASSAR and r.date.tzinfo)
    assert again == r


def test_the_cache_leaves_default_values_out_and_gives_them_back():
    """Half the fields of most releases hold their default: the cached form has only the others,
    and a value that differs from a default that is not empty (video: false, lang: en) is kept."""
    plain = parsed_ok("---\ntitle: Rapat Koordinasi\ndate: 2026-11-15 09:00\n---\nIsi.\n")
    cached = content.release_to_json(plain)
    assert not {"category", "tags", "updated", "contact", "attachments", "draft", "video", "lang",
                "extra", "corrections", "body_images"} & cached.keys()
    assert content.release_from_json(cached, plain.date.tzinfo) == plain
    # A cache written before defaults were left out (every key present) still reads the same.
    every_key = {**cached, "updated": None, "category": "", "tags": [], "contact": None, "attachments": [],
                 "draft": False, "video": True, "lang": "id", "extra": {}, "corrections": [], "body_images": []}
    assert content.release_from_json(every_key, plain.date.tzinfo) == plain
    odd = parsed_ok("---\ntitle: Rapat Koordinasi\ndate: 2026-11-15 09:00\nvideo: false\nlang: en\n"
                    "draft: true\n---\nIsi.\n")
    cached = content.release_to_json(odd)
    assert (cached["video"], cached["lang"], cached["draft"]) == (False, "en", True)
    again = content.release_from_json(cached, odd.date.tzinfo)
    assert again == odd and (again.video, again.lang, again.draft) == (False, "en", True)


def test_values_repeated_across_releases_are_kept_once_after_a_load_from_the_cache(make_site):
    """Units, tags, contacts and line maps repeat in thousands of releases: a load from the cache
    keeps one of each (a quarter of the model's memory at 100,000 releases), the values unchanged."""
    contact = "contact:\n  name: Ani\n  role: Kepala Bidang\n  phone: 0812-0000-0001\n  email: ani@uji.go.id"
    site = make_site({f"content/2026/11/r{i}.md": release(f"Rilis {i}", unit="Biro Hukum", tags="[banjir, pangan]",
                                                         **{"category": "Sosial\n" + contact})
                      for i in range(3)})
    settings = Settings("Asia/Makassar", "id", "/:year/:month/:slug/")
    cold, _ = content.load(site, settings, cache_dir=site / ".humasgen")
    warm, _ = content.load(site, settings, cache_dir=site / ".humasgen")
    assert warm == cold
    first, second = warm[0], warm[1]
    assert first.unit is second.unit and first.tags is second.tags and first.contact is second.contact
    assert first.lines is second.lines and first.contact.name == "Ani" and first.tags == ("banjir", "pangan")


@pytest.mark.parametrize("key, suggestion", [("tittle", "title"), ("categori", "category"), ("tag", "tags"),
                                             ("image_credits", "image_credit")])
def test_unknown_key_did_you_mean(key, suggestion):
    d = only_problem(release("Judul", **{key: "x"}))
    assert d.line == 4
    assert f"unknown front matter key '{key}'" in d.message
    assert f"did you mean '{suggestion}'?" in d.hint and "extra:" in d.hint


def test_extra_takes_any_keys():
    r = parsed_ok(release("Judul", extra="{anggaran: 12000000, lokasi: {kota: Bontang}}"))
    assert r.extra["anggaran"] == 12000000 and r.extra["lokasi"] == {"kota": "Bontang"}


@pytest.mark.parametrize("title, slug", [
    ("Pekan Raya Kaltim 2026 — Gubernur Buka Expo", "pekan-raya-kaltim-2026-gubernur-buka-expo"),
    ("Harga Beras & Gula Turun 5%", "harga-beras-gula-turun-5"),
    ("Rapat Koordinasi Penanganan Banjir di Kec. Muara Kaman", "rapat-koordinasi-penanganan-banjir-di-kec-muara-kaman"),
    ("Pemprov Raih Predikat \u201cInformatif\u201d", "pemprov-raih-predikat-informatif"),
    ("Café Kopi Lokal Dapat Sertifikat Halal", "cafe-kopi-lokal-dapat-sertifikat-halal"),
])
def test_slug_from_title(title, slug):
    assert make_slug(title) == slug
    assert parsed_ok(release(title)).slug == slug


def test_long_title_slug_is_bounded_at_a_word():
    slug = make_slug("Kata " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.startswith("kata-kata")


def test_explicit_bad_slug_is_an_error():
    d = only_problem(release("Judul", slug="'Judul Rilis'"))
    assert d.line == 4 and "invalid slug" in d.message and "judul-rilis" in d.hint


def test_naive_date_is_in_site_timezone():
    r = parsed_ok(release("A", date="2026-11-19 09:00"))
    assert r.date.isoformat() == "2026-11-19T09:00:00+08:00"
    jakarta = parsed_ok(release("A", date="2026-11-19 09:00"), Settings("Asia/Jakarta", "id", "/{slug}/"))
    assert jakarta.date.isoformat() == "2026-11-19T09:00:00+07:00"


def test_date_only_is_midnight_in_site_timezone():
    r = parsed_ok(release("A", date="2026-11-19"))
    assert r.date.isoformat() == "2026-11-19T00:00:00+08:00"


@pytest.mark.parametrize("written", ["2026-11-19T01:00:00Z", "2026-11-19T01:00:00+00:00",
                                     "'2026-11-19T08:00:00+07:00'", "2026-11-19 10:00:00+09:00"])
def test_aware_date_is_converted_to_site_timezone(written):
    r = parsed_ok(release("A", date=written))
    assert r.date.isoformat() == "2026-11-19T09:00:00+08:00"


def test_permalink_uses_the_local_date():
    # 23:30 UTC on the 31st is already 1 December in Makassar: the URL follows the local date.
    r = parsed_ok(release("Tahun Baru", date="2026-11-30T23:30:00Z"))
    assert r.url == "/2026/12/tahun-baru/"


def test_summary_defaults_to_first_paragraph_as_plain_text():
    r = parsed_ok(release("A", body="Gubernur **meresmikan** [jembatan](/x/) & pasar.\n\nKedua."))
    assert r.summary == "Gubernur meresmikan jembatan & pasar."


def test_dateline_before_first_paragraph():
    r = parsed_ok(release("A", dateline="Samarinda", body="Pemerintah provinsi membuka pameran."))
    assert r.body_html.startswith('<p><span class="dateline">SAMARINDA –</span> Pemerintah provinsi')
    assert r.summary == "Pemerintah provinsi membuka pameran."


def test_dateline_is_escaped():
    r = parsed_ok(release("A", dateline="'Kota <B> & C'"))
    assert "KOTA &lt;B&gt; &amp; C –" in r.body_html


def test_images_get_lazy_loading_and_alt():
    r = parsed_ok(release("A", body="![Gubernur menyapa warga](/images/a.jpg)\n\n![](/images/b.jpg)"))
    images = lxml.html.fragment_fromstring(r.body_html, create_parent="div").findall(".//img")
    assert [(i.get("src"), i.get("alt"), i.get("loading")) for i in images] == [
        ("/images/a.jpg", "Gubernur menyapa warga", "lazy"), ("/images/b.jpg", "", "lazy")]


def test_markdown_extensions():
    body = '''
## Latar Belakang

Anggaran[^1] sebagai berikut.
{: .lead }

| Kabupaten | Penerima |
|-----------|---------:|
| Paser     | 1.200    |

```python
if a < b: print("ok")
```

### Judul Khusus {#khusus}

[^1]: APBD 2026.
'''
    html = parsed_ok(release("A", body=body)).body_html
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert tree.find(".//h2").get("id") == "latar-belakang"
    assert tree.find(".//h3").get("id") == "khusus"
    assert tree.find(".//p[@class='lead']") is not None
    assert [c.text for c in tree.findall(".//td")] == ["Paser", "1.200"]
    code = tree.find(".//pre/code")
    assert code.get("class") == "language-python" and 'if a < b: print("ok")' in code.text
    assert tree.find(".//div[@class='footnote']//li").get("id") == "fn:1"
    assert tree.find(".//sup/a").get("href") == "#fn:1"


def test_footnote_backlink_title_follows_release_language():
    body = "Teks[^1].\n\n[^1]: Catatan."
    html_id = parsed_ok(release("A", body=body)).body_html
    html_en = parsed_ok(release("A", body=body, lang="en")).body_html
    assert "Jump back" not in html_id
    assert "Jump back" in html_en


def test_attachment_sizes_come_from_static(make_site):
    site = make_site({
        "content/a.md": release("A", attachments="[/files/laporan.pdf, /files/hilang.pdf]"),
        "static/files/laporan.pdf": b"%PDF" + b"0" * 2044,
    })
    (r,), problems = content.load(site, MAKASSAR)
    assert problems == ()
    assert [(a.title, a.size) for a in r.attachments] == [("laporan.pdf", 2048), ("hilang.pdf", None)]


def test_empty_contact_is_no_contact():
    # `humasgen new` writes contact with empty values: the page must not show an empty box.
    r = parsed_ok(release("A", contact="{name: '', role: '', phone: '', email: ''}"))
    assert r.contact is None


def test_contact_as_plain_name():
    assert parsed_ok(release("A", contact="Budi")).contact.name == "Budi"


def test_sources_are_found_at_any_depth_hidden_skipped(make_site):
    site = make_site({
        "content/2026/11/a.md": release("A"),
        "content/b.md": release("B"),
        "content/.drafts/c.md": release("C"),
        "content/catatan.txt": "bukan rilis",
    })
    assert [s for s, _, _ in content.find_sources(site)] == ["content/2026/11/a.md", "content/b.md"]


# Problems in one file: each reported with its line.

def test_missing_title():
    d = only_problem("---\ndate: 2026-11-19\n---\nIsi.\n")
    assert "no title" in d.message and d.line == 2


def test_empty_title():
    d = only_problem("---\ntitle: '  '\ndate: 2026-11-19\n---\nIsi.\n")
    assert "no title" in d.message and d.line == 2


def test_unparseable_date():
    d = only_problem("---\ntitle: A\ndate: kemarin sore\n---\nIsi.\n")
    assert d.line == 3 and "cannot read the date" in d.message and "2026-12-05 21.50 WITA" in d.hint


def test_missing_date():
    d = only_problem("---\ntitle: A\n---\nIsi.\n")
    assert "no date" in d.message


def test_unclosed_front_matter():
    d = only_problem("---\ntitle: A\ndate: 2026-11-19\n\nIsi tanpa penutup.\n")
    assert d.line == 1 and "not closed" in d.message and "'---'" in d.hint


def test_missing_front_matter():
    d = only_problem("Hanya teks.\n")
    assert d.line == 1 and "missing front matter" in d.message


def test_front_matter_not_a_mapping():
    d = only_problem("---\n- title\n- date\n---\nIsi.\n")
    assert d.line == 2 and "mapping" in d.message


def test_invalid_yaml_gives_its_line():
    d = only_problem("---\ntitle: A\ndate: 2026-11-19\ncategory: [Ekonomi\n---\nIsi.\n")
    assert "not valid YAML" in d.message and d.line in (4, 5)


def test_wrong_types_are_each_reported():
    item, problems = parsed("---\ntitle: A\ndate: 2026-11-19\ncategory: [a, b]\ndraft: 'ya'\ntags: {a: 1}\n---\nx\n")
    assert item is None
    assert sorted((p.line, p.message.split()[0]) for p in problems) == [
        (4, "'category'"), (5, "'draft'"), (6, "'tags'")]


def test_non_utf8():
    d = only_problem(b"---\ntitle: Caf\xe9\ndate: 2026-11-19\n---\nIsi.\n")
    assert d.line == 2 and "UTF-8" in d.message


def test_empty_file():
    d = only_problem(b"")
    assert d.line == 1 and "empty" in d.message


def test_bom_is_accepted():
    item, problems = parse("content/a.md", "a", "\ufeff".encode() + release("Judul").encode(), MAKASSAR)
    assert problems == [] and item.title == "Judul"


@pytest.mark.parametrize("written", ["2026-02-30", "2026-13-01 10:00:00", "2026-11-19 25:00"])
def test_impossible_date_is_reported_not_raised(written):
    d = only_problem(release("A", date=written))
    assert d.line == 3 and f"'{written}' does not exist" in d.message


def test_duplicate_key():
    d = only_problem("---\ntitle: A\ndate: 2026-11-19\ntags: [a]\ntags: [b]\n---\nIsi.\n")
    assert d.line == 5 and "duplicate key 'tags'" in d.message and "line 4" in d.message


def test_explicit_yaml_tag_that_fails():
    d = only_problem("---\ntitle: A\ndate: 2026-11-19\nnumber: !!int abc\n---\nIsi.\n")
    assert "cannot read" in d.message


def test_python_tags_are_refused():
    d = only_problem("---\ntitle: !!python/object/apply:os.system ['true']\ndate: 2026-11-19\n---\nIsi.\n")
    assert "not valid YAML" in d.message


def test_windows_line_endings():
    r = parsed_ok("---\r\ntitle: Judul\r\ndate: 2026-11-19 09:00\r\n---\r\nIsi pertama.\r\n\r\nKedua.\r\n")
    assert (r.title, r.summary, r.date.hour) == ("Judul", "Isi pertama.", 9)


def test_leading_zeros_are_kept_not_octal():
    r = parsed_ok(release("A", number="073", contact="{name: Budi, phone: 0541736}", tags="[007, 2026]"))
    assert r.number == "073" and r.contact.phone == "0541736" and r.tags == ("007", "2026")


def test_empty_slug_means_derived():
    assert parsed_ok(release("Judul Rilis", slug="''")).slug == "judul-rilis"


def test_tags_with_commas_but_no_brackets_are_an_error_with_the_list_to_write():
    d = only_problem(release("A", tags="jembatan, konektivitas"))
    assert d.line == 4 and "one text with commas" in d.message
    assert "tags: [jembatan, konektivitas]" in d.hint


def test_a_single_tag_without_commas_is_one_tag():
    assert parsed_ok(release("A", tags="jembatan gantung")).tags == ("jembatan gantung",)


@pytest.mark.parametrize("word, fix", [("ya", "draft: true"), ("tidak", "draft: false")])
def test_draft_in_indonesian_is_explained_with_the_fix(word, fix):
    d = only_problem(release("A", draft=word))
    assert d.line == 4 and f"not '{word}'" in d.message and fix in d.hint
