"""The user guide: both languages complete, links that resolve, examples that really work."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from humasgen import content

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_guide_exists_in_both_languages():
    indonesian = sorted(p.name for p in (DOCS / "id").glob("*.md"))
    english = sorted(p.name for p in (DOCS / "en").glob("*.md"))
    assert len(indonesian) == len(english) >= 8


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_relative_links_resolve(page):
    for target in LINK.findall(page.read_text()):
        if re.match(r"^[a-z]+:", target) or target.startswith("/") or target == "...":
            continue
        assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


@pytest.mark.parametrize("page", ["id/menulis-rilis.md", "en/writing.md"])
def test_front_matter_keys_are_all_documented_and_the_example_parses(page):
    text = (DOCS / page).read_text()
    documented = re.findall(r"^\| `([a-z_]+)` \|", text, re.M)
    assert sorted(documented) == sorted(content.KEYS)
    example = re.search(r"```markdown\n(.*?)```", text, re.S).group(1)
    settings = content.Settings("Asia/Makassar", "id", "/{year}/{month}/{slug}/")
    release, problems = content.parse("contoh.md", "contoh", example.encode(), settings)
    assert problems == [] and release is not None
    assert release.contact is not None and release.contact.email == "humas@contoh.go.id"
    assert release.body_html.startswith('<p><span class="dateline">BANDAR HARAPAN –</span>')


TOML_BLOCKS = [(page, block) for page in PAGES for block in re.findall(r"```toml\n(.*?)```", page.read_text(), re.S)]


@pytest.mark.parametrize("page, block", TOML_BLOCKS, ids=[f"{p.relative_to(DOCS).as_posix()}-{i}"
                                                          for i, (p, _) in enumerate(TOML_BLOCKS)])
def test_config_examples_are_valid(page, block, tmp_path):
    from humasgen import config
    (tmp_path / "humasgen.toml").write_text(block, encoding="utf-8")
    config.load(tmp_path)                      # raises HumasgenError on an unknown key or a wrong type
