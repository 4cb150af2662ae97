"""check in a publishing pipeline: drafts do not stop it, placeholders do; the site's zone is shown."""
from __future__ import annotations

import pytest

from conftest import BASIC_CONFIG, release

ENGLISH = BASIC_CONFIG + 'language = "en"\n'
GOOD = release("Gubernur Resmikan Jembatan Sungai Harapan di Kota", image_alt="''")


def draft_without_alt() -> str:
    return release("Draf Rilis Peresmian Pasar Rakyat Baru", "2026-11-19 10:00", draft="true",
                   body="Isi draf.\n\n![](/images/tidak-ada.jpg)")


def test_published_only_turns_errors_in_drafts_into_warnings(make_site, cli):
    site = make_site({"content/baik.md": GOOD, "content/draf.md": draft_without_alt()})
    strict = cli("check", "--site", str(site))
    assert strict.exit_code == 1 and "content/draf.md:8: error:" in strict.output
    relaxed = cli("check", "--site", str(site), "--published-only")
    assert relaxed.exit_code == 0, relaxed.output
    assert "content/draf.md:8: warning:" in relaxed.output and "(dalam draf)" in relaxed.output
    assert "error:" not in relaxed.output


def test_published_only_keeps_errors_of_published_releases(make_site, cli):
    broken = release("Rilis Terbit dengan Gambar Tanpa Teks Alt", body="![](/images/tidak-ada.jpg)")
    site = make_site({"content/terbit.md": broken, "content/draf.md": draft_without_alt()})
    result = cli("check", "--site", str(site), "--published-only")
    assert result.exit_code == 1 and "content/terbit.md:5: error:" in result.output


@pytest.mark.parametrize("body, what", [
    ("Lorem ipsum dolor sit amet.", "Lorem ipsum"),
    ("Paragraf pertama.\n\nTODO: kutipan Kepala Dinas", "TODO"),
    ("Tulis paragraf pembuka di sini: apa, siapa, kapan, di mana, mengapa, dan bagaimana.", "sample text"),
    ("Kutipan “resmi” — LOREM IP\u017fUM dolor.", "Lorem ipsum"),     # a long s: the pattern ignores case
])
def test_placeholder_text_in_a_published_release_is_an_error(make_site, cli, body, what):
    site = make_site({"content/rilis.md": release("Peresmian Jembatan Sungai Harapan di Kota", body=body)},
                     config=ENGLISH)
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "error: placeholder text" in result.output and what in result.output and "[placeholder]" in result.output


def test_placeholder_title_and_draft_placeholders(make_site, cli):
    site = make_site({"content/a.md": release("Judul Rilis"),
                      "content/b.md": release("Draf Yang Belum Selesai Ditulis Sama Sekali", draft="true",
                                              body="Lorem ipsum.")})
    result = cli("check", "--site", str(site))          # an Indonesian site: the default
    assert "content/a.md:2: error: teks contoh di rilis yang bukan draf: 'Judul rilis'" in result.output
    assert "content/b.md:6: warning: teks contoh: 'Lorem ipsum' (ganti sebelum rilis diterbitkan)" in result.output


def test_scaffold_sample_release_is_flagged(tmp_path, cli):
    site = tmp_path / "situs"
    assert cli("init", str(site), "--timezone", "WITA").exit_code == 0
    result = cli("check", "--site", str(site))
    assert "teks contoh rilis baru" in result.output and result.exit_code == 0    # a draft: a warning


@pytest.mark.parametrize("written, shown", [("WIB", "WIB (Asia/Jakarta)"), ("wita", "WITA (Asia/Makassar)"),
                                            ("WIT", "WIT (Asia/Jayapura)"), ("Asia/Jakarta", "WIB (Asia/Jakarta)")])
def test_timezone_names_and_check_shows_the_zone(make_site, cli, build_site, written, shown):
    site = make_site({"content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan", date="2026-11-19 09.00")},
                     config=BASIC_CONFIG + f'language = "en"\ntimezone = "{written}"\n')
    result = cli("check", "--site", str(site))
    assert shown in result.output
    (only,) = build_site(site).site.releases
    assert only.date.utcoffset().total_seconds() / 3600 == {"WIB": 7, "WITA": 8, "WIT": 9}[shown.split()[0]]


def test_placeholder_in_an_imported_archive_is_a_warning(make_site, cli):
    site = make_site({"content/lama.md": release("Rilis Lama dari Situs Sebelumnya yang Diimpor", imported="true",
                                                 body="Lorem ipsum dolor sit amet.")}, config=ENGLISH)
    result = cli("check", "--site", str(site))
    assert result.exit_code == 0 and "warning: placeholder text: 'Lorem ipsum'" in result.output


def test_the_quick_look_for_placeholders_never_misses_what_the_patterns_find():
    """Bodies are looked at for plain substrings before the slow patterns run: every text a
    pattern finds (in any case, with the letters that match ASCII ones: İ ı ſ K) passes the look."""
    import random
    import re
    from humasgen import lint_rules
    patterns = lint_rules._placeholder_patterns()
    anywhere = re.compile("|".join(pattern.pattern for pattern, _ in patterns), re.M)
    clues = lint_rules._placeholder_clues()
    seeds = ["lorem ipsum", "judul rilis", "Judul", "TODO", "TBD", "XXX", *lint_rules._sample_starts()]
    alike = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}
    rng = random.Random(7)
    matched = 0
    for _ in range(4000):
        seed = rng.choice(seeds)
        variant = "".join(rng.choice([c, c.upper(), c.lower(), *alike.get(c.lower(), "")]) for c in seed)
        text = (rng.choice(["", "Paragraf “kutipan” — ", "Teks biasa"]) + rng.choice(["\n", " ", ""]) + variant
                + rng.choice(["", ".", "\nLanjutan teks."]))
        if anywhere.search(text):
            matched += 1
            assert lint_rules.could_hold_placeholder(text, clues), text
    assert matched > 1500
    assert not lint_rules.could_hold_placeholder("Gubernur meresmikan “Jembatan” — rilis resmi.\n", clues)
