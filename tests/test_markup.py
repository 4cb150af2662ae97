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
    """Python-Markdown as shipped: every extension, the stock inline pass."""
    title = markup.BACKLINK_TITLES[language]
    md = markdown.Markdown(extensions=[*markup.EXTENSIONS, markup.LazyImagesExtension()], output_format="html",
                           extension_configs={"footnotes": {"BACKLINK_TITLE": title}})
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    return md


def stock_html(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("language", ["id", "en"])
def test_tricky_texts_convert_as_stock(text, language):
    assert markup.to_html(text, language) == stock_html(stock(language), text)


def test_the_fast_inline_pass_is_in_use():
    md = markup._converter("id", markup.EXTENSIONS, False)
    assert type(md.treeprocessors["inline"]).__name__ == "_SkippingInline"


def test_demo_and_generated_releases_convert_as_stock():
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]
    texts += [corpus.humasgen_text(item) for item in corpus.releases(150, 3)]
    reference = stock("id")
    bodies = [text.split("\n---\n", 1)[1] for text in texts]
    assert len(bodies) > 150
    assert [markup.to_html(body) for body in bodies] == [stock_html(reference, body) for body in bodies]
