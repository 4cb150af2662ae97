"""Counting per platform, fitting within limits, hashtags, links, templates."""
from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
import regex

from conftest import release
from humasgen import config as config_mod
from humasgen import content, theme as theme_mod
from humasgen.social import counting, snippets

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"   # 👨‍👩‍👧‍👦, 7 code points
FLAG = "\U0001F1EE\U0001F1E9"                                              # 🇮🇩
THUMB = "\U0001F44D\U0001F3FD"                                             # 👍🏽
KEYCAP = "1\uFE0F\u20E3"                                                   # 1️⃣
LONG_WORDS = ("ketidakberkesinambungannya mempertanggungjawabkannya memperkenalkan "
              "diberdayakannya keanekaragamannya")


def has_cjk(word: str) -> bool:
    return bool(regex.search(r"[\p{Han}\p{Hiragana}\p{Katakana}]", word))


def front_matter(**fields) -> str:
    """Front matter with JSON-quoted values (valid YAML) so ZWJ sequences stay raw characters."""
    lines = ["---", "date: 2026-11-19 09:00"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "\n".join(lines + ["---", ""])


def parse(site: Path, text: str, rid: str = "2026/11/uji") -> content.Release:
    settings = content.Settings("Asia/Makassar", "id", "/{year}/{month}/{slug}/")
    parsed, problems = content.parse(f"content/{rid}.md", rid, text.encode(), settings)
    assert not problems, problems
    return parsed


@pytest.fixture
def setup(make_site):
    site = make_site({})
    config = config_mod.load(site)
    return site, config, theme_mod.resolve(site, "default")


# --- counters -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, weight", [
    ("Banjir surut", 12),
    ("https://diskominfo.example.go.id/2026/11/sangat-panjang-sekali-judulnya/?utm_source=x", 23),
    ("lihat https://a.example.id/x.", 6 + 23 + 1),     # trailing full stop is not part of the link
    ("中文", 4),                                       # CJK weighs 2
    ("\U0001F600", 2), (FAMILY, 2), (FLAG, 2), (THUMB, 2), (KEYCAP, 2),   # an emoji sequence counts 2 once
    ("e\u0301", 1),                                    # NFC first: é is one light code point
    ("\u201Ckutipan\u201D", 9),                        # curly quotes are in a weight-1 range
    ("\u2026", 2),                                     # the ellipsis is not
    ("kominfo.go.id", 23),                             # a bare domain may become a t.co link
])
def test_x_weighted_count(text, weight):
    assert counting.x_weight(text) == weight


def test_grapheme_utf16_and_threads_counts():
    assert counting.grapheme_count(FAMILY + FLAG + "e\u0301") == 3
    assert counting.utf16_units(FAMILY) == 11            # 4 astral pictographs (2 each) + 3 ZWJ
    assert counting.utf16_units("中a") == 2
    assert counting.threads_count("ab" + "\U0001F600") == 2 + 4     # an emoji counts its UTF-8 bytes
    assert counting.threads_count(FAMILY) == len(FAMILY.encode())   # 25
    # Bluesky: 300 graphemes, but also 3,000 bytes: 200 family emoji are 200 graphemes, 5,000 bytes.
    assert counting.grapheme_count(FAMILY * 200) == 200
    assert counting.check("bluesky", FAMILY * 200)
    assert not counting.check("bluesky", "a" * 300)
    assert counting.check("bluesky", "a" * 301)


def test_every_platform_has_a_cited_limit():
    assert set(counting.PLATFORMS) == {"facebook", "instagram", "tiktok", "x", "threads", "bluesky",
                                       "linkedin", "whatsapp", "telegram"}
    expected = {"x": 280, "bluesky": 300, "threads": 500, "instagram": 2200, "tiktok": 2200,
                "linkedin": 3000, "telegram": 1024}
    for platform, limit in expected.items():
        assert counting.LIMITS[platform].limit == limit
    assert all(rule.source for rule in counting.LIMITS.values())
    assert counting.LIMITS["instagram"].hashtag_rule == 5 and counting.LIMITS["threads"].hashtag_rule == 1


# --- cutting ----------------------------------------------------------------------------------

TRICKY = (f"Banjir {FAMILY} di Kota {FLAG} Samarinda {THUMB} {LONG_WORDS} 東京都庁の発表 "
          f"lihat https://contoh.example.go.id/berita/2026/11/{'panjang-' * 8}akhir dan {KEYCAP} selesai.")


def test_shorten_cuts_only_between_words_and_whole_graphemes():
    words = TRICKY.split()
    clusters = counting.graphemes(TRICKY)
    for keep in range(len(snippets.tokens(TRICKY)) + 1):
        cut = snippets.shorten(TRICKY, keep)
        if cut == TRICKY:
            continue
        assert cut.endswith(snippets.ELLIPSIS) or cut == ""
        head = cut.removesuffix(snippets.ELLIPSIS)
        assert TRICKY.startswith(head)
        # graphemes of the head are the first graphemes of the text: no emoji split
        assert counting.graphemes(head) == clusters[:len(counting.graphemes(head))]
        # every whitespace word kept is whole, except CJK runs which break per character
        for word in head.split():
            assert word in words or any(w.startswith(word) for w in words if has_cjk(w))


def test_fit_words_finds_the_longest_prefix():
    text = "satu dua tiga empat lima enam tujuh"
    fitted = snippets.fit_words(text, lambda t: len(t) <= 20)
    assert fitted == "satu dua tiga empat…"
    assert snippets.fit_words(text, lambda t: True) == text
    assert snippets.fit_words("mempertanggungjawabkannya", lambda t: len(t) <= 10) == ""


# --- hashtags and links --------------------------------------------------------------------------

def test_hashtags_camel_case_deduplicated():
    assert snippets.hashtag("pekan raya kaltim") == "#PekanRayaKaltim"
    assert snippets.hashtag("Kesehatan Ibu & Anak") == "#KesehatanIbuAnak"
    assert snippets.hashtag("UMKM") == "#UMKM"
    assert snippets.hashtag("#NusaHarapan") == "#NusaHarapan"
    assert snippets.hashtag("2026") == ""            # no letter: not a hashtag anywhere
    assert snippets.hashtag("P3K-2026") == "#P3K2026"


def test_release_hashtags_order_and_dedup(setup):
    site, config, _ = setup
    r = parse(site, release("Uji", tags="[banjir, Banjir, bantuan sosial]", category="banjir",
                            unit="BPBD Kota"))
    tags = snippets.release_hashtags(r, ("#NusaHarapan", "nusa harapan", "bantuan-sosial"))
    assert tags == ("#Banjir", "#BantuanSosial", "#BPBDKota", "#NusaHarapan")


def test_utm_per_platform_and_switch(setup):
    site, config, theme = setup
    r = parse(site, release("Judul Rilis", summary="Ringkas."))
    texts = snippets.make_snippets(r, config, theme)
    assert "utm_source=x&utm_medium=social&utm_campaign=siaran-pers" in texts["x"].text
    assert "utm_source=facebook" in texts["facebook"].text
    assert texts["x"].link.startswith("https://uji.example.go.id/2026/11/judul-rilis/?utm_source=x")
    plain = replace(config, social=replace(config.social, utm=False))
    assert "utm_" not in snippets.make_snippets(r, plain, theme)["x"].text


def test_not_clickable_platforms_say_where_to_find_the_release(setup):
    site, config, theme = setup
    r = parse(site, release("Judul Rilis", summary="Ringkas."))
    texts = snippets.make_snippets(r, config, theme)
    for platform in ("instagram", "tiktok"):
        assert "http" not in texts[platform].text
        assert "uji.example.go.id" in texts[platform].text and "bio" in texts[platform].text
        assert texts[platform].link is None


def test_english_release_uses_english_wording(setup):
    site, config, theme = setup
    r = parse(site, release("Investment Forum Opens", summary="In short.", lang="en"))
    texts = snippets.make_snippets(r, config, theme)
    assert "Read more:" in texts["facebook"].text
    assert "link in bio" in texts["instagram"].text
    indonesian = snippets.make_snippets(parse(site, release("Forum Dibuka", summary="Singkat.")), config, theme)
    assert "Baca selengkapnya:" in indonesian["facebook"].text


def test_theme_overrides_a_platform_template(make_site):
    site = make_site({"themes/kantor/social/x.txt": "[KANTOR] {{ title }} {{ link }}\n",
                      "themes/kantor/templates/.keep": ""},
                     config='base_url = "https://uji.example.go.id"\ntheme = "kantor"\n')
    config = config_mod.load(site)
    theme = theme_mod.resolve(site, "kantor")
    r = parse(site, release("Judul", summary="Ringkas."))
    texts = snippets.make_snippets(r, config, theme)
    assert texts["x"].text.startswith("[KANTOR] Judul https://")
    assert texts["facebook"].text.startswith("📢 Judul")          # the others still come from the default


# --- every snippet within its limits, whatever the text ----------------------------------------

def _tricky_releases(site: Path) -> list[content.Release]:
    rng = random.Random(7)
    pool = [*LONG_WORDS.split(), FAMILY, FLAG, THUMB, KEYCAP, "東京都", "中文字", "Rp9,42", "(24/11/2026)",
            "https://contoh.example.go.id/a/b/c", "kominfo.go.id", "banjir", "warga", "#tagar", "dan", "di"]
    made = []
    for i in range(12):
        title = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 60)))
        summary = " ".join(rng.choice(pool) for _ in range(rng.randint(0, 120)))
        body = "\n\n".join(" ".join(rng.choice(pool) for _ in range(rng.randint(20, 400))) for _ in range(3))
        tags = [f"{rng.choice(pool).strip('#')} {i}" for _ in range(rng.randint(0, 9))]
        text = front_matter(title=title, summary=summary, tags=tags, category="Kesehatan Ibu & Anak",
                            unit="Dinas Komunikasi dan Informatika") + body + "\n"
        made.append(parse(site, text, f"2026/11/uji-{i}"))
    return made


def test_no_snippet_over_its_limit_and_no_split_word(setup):
    site, config, theme = setup
    config = replace(config, social=replace(config.social, hashtags=("NusaHarapan", "Berita Baik", "Humas")))
    for r in _tricky_releases(site):
        sources = set((r.title + " " + r.summary + " " + snippets.lead_text(r)).split())
        for platform, snippet in snippets.make_snippets(r, config, theme).items():
            assert counting.check(platform, snippet.text) == [], (platform, snippet.text)
            assert snippet.count == counting.LIMITS[platform].count(snippet.text) <= snippet.limit
            for word in snippet.text.split():
                if word.endswith(snippets.ELLIPSIS) and word != snippets.ELLIPSIS:
                    head = word.removesuffix(snippets.ELLIPSIS).strip("*_")
                    # a cut word is a whole source word (or a CJK prefix): never half an Indonesian word
                    assert head in sources or any(s.startswith(head) and has_cjk(s) for s in sources), \
                        (platform, word)
            assert "\uFFFD" not in snippet.text
            clusters = counting.graphemes(snippet.text)
            assert all(c != "\u200D" and not c.startswith("\u200D") for c in clusters)


def test_hard_rules_on_hashtags_and_links(setup):
    site, config, theme = setup
    r = parse(site, release("Banyak Tagar", summary="Ringkas.",
                            tags="[satu, dua, tiga, empat, lima, enam, tujuh, delapan]"))
    texts = snippets.make_snippets(r, config, theme)
    assert len(counting.hashtags(texts["instagram"].text)) == 5
    assert len(counting.hashtags(texts["threads"].text)) == 1
    assert len(counting.urls(texts["threads"].text)) <= 5
    assert counting.hashtags(texts["whatsapp"].text) == []


def test_a_long_summary_is_cut_with_an_ellipsis_on_x(setup):
    site, config, theme = setup
    summary = " ".join(["Pemerintah provinsi memperkenalkan program pemberdayaan masyarakat"] * 12)
    r = parse(site, release("Program Baru", summary=f'"{summary}"'))
    x = snippets.make_snippets(r, config, theme)["x"]
    line = next(line for line in x.text.split("\n") if line.endswith(snippets.ELLIPSIS))
    head = line.removesuffix(snippets.ELLIPSIS)
    assert summary.startswith(head) and summary[len(head)] == " "
    assert 250 <= x.count <= 280


# --- officer-proof social texts (issue 14, item 15) ---------------------------------------------

def test_bluesky_counts_a_link_as_the_app_shows_it():
    url = ("https://diskominfo.example.go.id/2026/11/gubernur-resmikan-jembatan-sungai-harapan/"
           "?utm_source=bluesky&utm_medium=social&utm_campaign=siaran-pers")
    assert counting.bluesky_short_url(url) == "diskominfo.example.go.id/2026/11/gube..."
    assert counting.bluesky_short_url("https://uji.example.id/") == "uji.example.id"
    text = f"Jembatan diresmikan.\n\n{url}"
    posted, facets = counting.bluesky_as_posted(text)
    assert posted == "Jembatan diresmikan.\n\ndiskominfo.example.go.id/2026/11/gube..."
    (start, end, link), = facets
    assert posted.encode()[start:end].decode() == "diskominfo.example.go.id/2026/11/gube..." and link == url
    assert counting.LIMITS["bluesky"].count(text) == len(posted) < len(text) - 60


def test_bluesky_post_keeps_the_summary_that_a_tracking_url_used_to_eat(setup):
    site, config, theme = setup
    summary = ("Jembatan sepanjang 420 meter menghubungkan dua kecamatan dan memangkas waktu tempuh warga "
               "ke pusat kota dari satu jam menjadi lima belas menit.")
    r = parse(site, release("Gubernur Resmikan Jembatan Sungai Harapan Sepanjang 420 Meter di Kabupaten Contoh",
                            summary=json.dumps(summary), tags="[jembatan, infrastruktur]"))
    post = snippets.make_snippets(r, config, theme, ["bluesky"])["bluesky"]
    assert summary in post.text                                   # whole, not cut with an ellipsis
    assert "utm_source=bluesky" in post.text and post.link and "utm_source=bluesky" in post.link
    assert post.count <= 300 < counting.grapheme_count(post.text)


def test_long_unit_names_use_their_short_form_as_hashtag(make_site):
    site = make_site({}, config='title = "Uji"\nbase_url = "https://uji.example.go.id"\n'
                                '[units."Dinas Pekerjaan Umum dan Penataan Ruang"]\nshort = "DinasPUPR"\n')
    config = config_mod.load(site)
    theme = theme_mod.resolve(site, "default")
    r = parse(site, release("Perbaikan Jalan Poros Desa Dimulai Pekan Ini",
                            unit="Dinas Pekerjaan Umum dan Penataan Ruang"))
    assert snippets.release_hashtags(r, (), config) == ("#DinasPUPR",)
    for snippet in snippets.make_snippets(r, config, theme).values():
        assert "#DinasPekerjaanUmum" not in snippet.text
    # No short form: no 35-letter hashtag either; a short unit name is used as it is.
    plain = config_mod.load(make_site({}, config='title = "Uji"\n'))
    assert snippets.release_hashtags(r, (), plain) == ()
    assert snippets.release_hashtags(parse(site, release("Uji", unit="BPBD Kota")), (), plain) == ("#BPBDKota",)


def test_units_table_errors_name_the_line(make_site):
    from humasgen.errors import HumasgenError
    site = make_site({}, config='title = "Uji"\n[units."Dinas PU"]\nsingkat = "PU"\n')
    with pytest.raises(HumasgenError) as error:
        config_mod.load(site)
    assert "unknown key 'units.Dinas PU.singkat'" in str(error.value.diagnostics[0].format())
    assert "short" in error.value.diagnostics[0].format()


def test_init_config_has_an_agency_hashtag_that_posts_carry(cli, tmp_path):
    site = tmp_path / "situs"
    assert cli("init", str(site), "--timezone", "WITA", "--title", "Diskominfo Kota Contoh").exit_code == 0
    config = config_mod.load(site)
    assert config.social.hashtags == ("#DiskominfoKotaContoh",)
    r = parse(site, release("Pelayanan Perizinan Daring Dibuka Mulai Senin", summary="Ringkas."))
    texts = snippets.make_snippets(r, config, theme_mod.resolve(site, "default"))
    assert "#DiskominfoKotaContoh" in texts["facebook"].text
