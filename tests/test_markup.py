"""humasgen's faster use of Python-Markdown gives exactly the HTML of the stock converter."""
from __future__ import annotations

import sys
from pathlib import Path

import markdown
import pytest
from markdown.treeprocessors import InlineProcessor

from humasgen import markup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402  (the benchmark's seeded release generator)

# Every inline pattern and every optional extension, alone and mixed, including texts that
# hold a trigger character without forming the construct.
TRICKY = [
    "Teks biasa tanpa tanda apa pun.\n\nParagraf kedua.",
    "Kode `x = 1` dan ``a ` b`` serta \\`bukan kode\\` dan \\*bukan tebal\\*.",
    "Tautan [situs](https://contoh.go.id \"judul\") dan [rujukan][r] dan [r] dan ![gambar](a.jpg){: .lebar}.\n\n"
    "[r]: https://contoh.go.id/r",
    "Tautan otomatis <https://contoh.go.id> dan surel <humas@contoh.go.id> dan <b>tebal</b> &amp; &copy; & < >.",
    "Baris  \nbaru dan *miring* dan **tebal** dan ***keduanya*** dan _garis_ __bawah__ dan a * b _ c.",
    "Catatan kaki[^1] dan lagi[^dua].\n\n[^1]: Isi catatan.\n[^dua]: Catatan *kedua*.",
    "| Kolom | Nilai |\n|---|---:|\n| a | 1 |\n| **b** | [2](x) |",
    "Tanda pipa | di tengah kalimat, bukan tabel.",
    "## Judul {: #khusus .kelas }\n\nParagraf {: tidak berlaku",
    "```python\nprint('*bukan* tebal')\n```\n\n~~~ {.js}\nlet a = 1;\n~~~",
    "[TOC]\n\n# Satu\n\n## Dua\n\n## Dua\n\n### Tiga `kode`",
    "# Judul sama\n\n# Judul sama\n\nTeks [^bukan catatan] dan [TOC] di tengah.",
    "1. satu\n2. dua\n\n* butir\n* butir *miring*\n\n> kutipan dengan [tautan](x)\n\n<div>blok HTML *mentah*</div>",
    "Tautan [tidak lengkap( dan [kurung] saja dan !tanda seru dan \\\\ garis miring.",
]


def stock(language: str) -> markdown.Markdown:
    """Python-Markdown as shipped: every extension, the stock inline pass, block loop and block-level test."""
    title = markup.BACKLINK_TITLES[language]
    md = markdown.Markdown(extensions=[*markup.EXTENSIONS, markup.LazyImagesExtension()], output_format="html",
                           extension_configs={"footnotes": {"BACKLINK_TITLE": title}})
    assert type(md.treeprocessors["inline"]) is InlineProcessor and "parseBlocks" not in vars(md.parser)
    return md


def stock_html(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("language", ["id", "en"])
def test_tricky_texts_convert_as_stock(text, language):
    assert markup.to_html(text, language) == stock_html(stock(language), text)


def test_the_shortcuts_are_in_use():
    md = markup._converter("id", markup.EXTENSIONS, False)
    assert type(md.treeprocessors["inline"]).__name__ == "_SkippingInline"
    assert "parseBlocks" in vars(md.parser) and "is_block_level" in vars(md)
    assert type(md.treeprocessors["unescape"]).__name__ == "_SkippingUnescape"


# Blocks that hold a block processor's trigger text, with and without forming its block.
BLOCKS = [
    "# Satu\n\nTeks # bukan judul\n\n####### tujuh\n\nJudul\n=====\n\nSub\n---\n\nBaris\n- bukan garis",
    "a\n\n---\n\n- - -\n\n_  _  _\n\n***\n\n* * *\n\nmasing-masing -- dua -  -  -\n\n__tebal__ dan **tebal**",
    "> kutipan\nlanjut\n\n> > bersarang\n\nTanda > di tengah dan a>b",
    "[a]: https://contoh.go.id \"Judul\"\nTeks setelah definisi.\n\nTeks [a] dan [b]: bukan definisi\n\n"
    "Sebelum\n[b]: https://b.go.id\n\n[^1]: catatan\n\nRujuk[^1] dan [^x]: di tengah",
    "| a |\n| - |\n| 1 |\n\na | b\n--|--\n1 | 2\n\nSatu | pipa\ntanpa pemisah\n\n    kode | dengan pipa",
    "<div>\n# bukan judul\n</div>\n\n<hr>\n\n1. satu\n    > kutipan di butir\n\n    # judul di butir",
]


@pytest.mark.parametrize("text", BLOCKS)
def test_block_shortcuts_build_the_stock_tree(text):
    assert markup.to_html(text) == stock_html(stock("id"), text)


def test_demo_and_generated_releases_convert_as_stock():
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]
    texts += [corpus.humasgen_text(item) for item in corpus.releases(150, 3)]
    reference = stock("id")
    bodies = [text.split("\n---\n", 1)[1] for text in texts]
    assert len(bodies) > 150
    assert [markup.to_html(body) for body in bodies] == [stock_html(reference, body) for body in bodies]


@pytest.mark.parametrize("fence", ['```hl_lines="1"\nx = 1\n```', '``` { .python #kode }\nx = 1\n```',
                                   '~~~ {.js #kode}\nlet a = 1;\n~~~'])
def test_a_fence_renders_the_same_whatever_else_the_release_holds(fence):
    # The per-release choice of extensions must never change what a block renders to: a brace
    # in another paragraph once loaded attr_list, which changes how fenced_code reads options.
    alone = markup.to_html(fence)
    with_brace = markup.to_html(fence + "\n\nParagraf dengan kurung { di dalamnya.")
    assert with_brace.startswith(alone)
    assert alone == stock("id").convert(fence)
