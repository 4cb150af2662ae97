"""Messages for officers: Indonesian on an Indonesian site, English on an English one, plain words
for YAML mistakes, and counts in good grammar."""
from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po

from conftest import BASIC_CONFIG, release
from humasgen import messages

ENGLISH = BASIC_CONFIG + 'language = "en"\n'


def test_a_tab_in_front_matter_in_plain_words(make_site, cli):
    site = make_site({"content/a.md": "---\ntitle: Rapat Koordinasi\n\tdate: 2026-11-19\n---\nIsi.\n"})
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "content/a.md:3: error: ada karakter tab di baris 3 (gunakan spasi, bukan tab)" in result.output


def test_an_unquoted_colon_says_to_quote_the_title(make_site, cli):
    site = make_site({"content/a.md": "---\ntitle: Rapat Koordinasi: Hasil Evaluasi\ndate: 2026-11-19\n---\nIsi.\n"})
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert ('content/a.md:2: error: teks \'title\' memuat \': \' (beri tanda kutip pada judul: '
            'title: "Rapat Koordinasi: Hasil Evaluasi")') in result.output


def test_the_same_in_english_on_an_english_site(make_site, cli):
    site = make_site({"content/a.md": "---\ntitle: Meeting: Results\ndate: 2026-11-19\n---\nText.\n"}, config=ENGLISH)
    result = cli("build", "--site", str(site))
    assert 'content/a.md:2: error: the text of \'title\' contains \': \' (put the title in quotes: ' \
           'title: "Meeting: Results")' in result.output
    assert "1 error; nothing was written." in result.output


def test_draft_tidak_is_explained_in_indonesian(make_site, cli):
    site = make_site({"content/a.md": release("Rapat Koordinasi Daerah", draft="tidak")})
    result = cli("build", "--site", str(site))
    assert ("content/a.md:4: error: 'draft' harus true atau false, bukan 'tidak' "
            "(tulis 'draft: false' untuk menerbitkannya, atau hapus barisnya)") in result.output


@pytest.mark.parametrize("count, expected", [(1, "1 error stops the build; fix it"),
                                             (2, "2 errors stop the build; fix them")])
def test_counts_in_good_grammar_when_check_cannot_load(make_site, cli, count, expected):
    files = {f"content/{i}.md": "---\ntitle: [\n---\n" for i in range(count)}
    result = cli("check", "--site", str(make_site(files, config=ENGLISH)))
    assert expected in result.output


def test_built_1_release_not_1_releases(make_site, cli):
    site = make_site({"content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan")}, config=ENGLISH)
    result = cli("build", "--site", str(site))
    assert re.search(r"^Built 1 release, \d+ pages \(", result.output, re.M), result.output
    (site / "content/b.md").write_text(release("Gubernur Buka Pekan Raya Nusa Harapan 2026"), encoding="utf-8")
    assert "Built 2 releases, " in cli("build", "--site", str(site)).output


def test_check_summary_in_indonesian(make_site, cli):
    site = make_site({"content/a.md": release("Banjir")})
    result = cli("check", "--site", str(site))
    assert "content/a.md:2: warning: judul ini hanya 6 karakter" in result.output
    assert "0 error, 1 peringatan pada 1 rilis; zona waktu WITA (Asia/Makassar)." in result.output


def test_json_format_keeps_the_english_messages_for_tools(make_site, cli):
    site = make_site({"content/a.md": release("Banjir")})
    items = json.loads(cli("check", "--site", str(site), "--format", "json").stdout)
    assert items[0]["message"] == "the title is only 6 characters"


def test_every_translation_keeps_the_placeholders_of_its_message():
    with (messages.LOCALE_DIR / "id.po").open("rb") as handle:
        catalog = read_po(handle, locale="id")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {ids[0]!r}"
        wanted = set(re.findall(r"\{(\w+)\}", ids[0]))
        for text in strings:
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, ids[0]


def test_an_unknown_message_stays_as_it_is():
    assert messages.translate("a message nobody wrote a translation for", "id") == \
        "a message nobody wrote a translation for"
