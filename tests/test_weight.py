"""The weight budget: what a reader on metered mobile data downloads, images aside.

Each page's HTML plus everything it needs to render (stylesheets, scripts, fonts),
gzip-compressed as a web server sends them, stays under 40 KB; reading needs no
JavaScript and no web font; images carry their size and load lazily below the fold.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from demo_site import HOME, PAGES, RELEASE, RELEASE_WITH_BODY_IMAGE, build_demo, page_file

BUDGET = 40 * 1024
FONT_URL = re.compile(r"@font-face|\.(?:woff2?|ttf|otf|eot)\b", re.I)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("weight"))


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(output: Path, path: str) -> dict[str, int]:
    """Compressed bytes of a page and of each stylesheet, script and font it loads (images aside)."""
    html = page_file(output, path).read_bytes()
    tree = lxml_html.fromstring(html)
    parts = {path: compressed(html)}
    assets = [link.get("href") for link in tree.iter("link") if "stylesheet" in (link.get("rel") or "").split()]
    assets += [script.get("src") for script in tree.iter("script") if script.get("src")]
    for href in assets:
        data = (output / href.lstrip("/")).read_bytes()
        parts[href] = compressed(data)
        assert not FONT_URL.search(data.decode("utf-8", "replace")), f"{href} loads a web font"
    return parts


@pytest.mark.parametrize("name", list(PAGES))
def test_page_with_its_css_stays_under_the_budget(demo, name):
    parts = page_weight(demo, PAGES[name])
    total = sum(parts.values())
    print(f"{name}: {total / 1024:.1f} KB compressed ({', '.join(f'{k} {v / 1024:.1f}' for k, v in parts.items())})")
    assert total < BUDGET, f"{name} weighs {total} bytes compressed: {parts}"


def test_the_budget_check_can_fail(demo):
    """A page bloated past the budget is caught (the measure counts what is really sent)."""
    bloated = demo / "bloated" / "index.html"
    bloated.parent.mkdir()
    text = page_file(demo, RELEASE).read_text(encoding="utf-8")
    noise = "".join(f"<p>{i * 7919 % 1000003:x}{i * 104729 % 999983:x}</p>" for i in range(6000))
    bloated.write_text(text.replace("</main>", noise + "</main>"), encoding="utf-8")
    assert sum(page_weight(demo, "/bloated/").values()) > BUDGET


@pytest.mark.parametrize("path", [HOME, RELEASE, RELEASE_WITH_BODY_IMAGE])
def test_reading_needs_no_javascript(demo, path):
    tree = lxml_html.fromstring(page_file(demo, path).read_bytes())
    for script in tree.iter("script"):
        assert script.get("type") == "application/ld+json", f"{path} runs a script: {lxml_html.tostring(script)[:80]!r}"


@pytest.mark.parametrize("path", [HOME, RELEASE, RELEASE_WITH_BODY_IMAGE])
def test_images_have_a_size_and_load_lazily_below_the_fold(demo, path):
    tree = lxml_html.fromstring(page_file(demo, path).read_bytes())
    images = list(tree.iter("img"))
    assert len(images) > 2
    for img in images:
        src = img.get("src")
        assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), f"{path}: {src} has no size"
        above_the_fold = "logo" in (img.get("class") or "") or any(
            parent.get("class") == "lead-image" for parent in img.iterancestors())
        if not above_the_fold:
            assert img.get("loading") == "lazy", f"{path}: {src} is not lazy"


def test_body_images_get_their_real_size(demo):
    tree = lxml_html.fromstring(page_file(demo, RELEASE_WITH_BODY_IMAGE).read_bytes())
    body_images = tree.findall(".//div[@class='release-body']//img")
    assert [(img.get("width"), img.get("height")) for img in body_images] == [("1200", "675")]
