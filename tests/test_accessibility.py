"""WCAG 2.2 AA for the default theme: axe-core in real headless Chromium, light and dark, plus
the structural rules axe cannot see across a whole site (one h1, lang, alt text, link names)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from demo_site import AXE, PAGES, RELEASE, RELEASE_IN_ENGLISH, build_demo, chromium, page_file, serve

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SEARCH_PAGE = "/cari/?q=jembatan"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo site built with search on, so the header search form and /cari/ are checked too."""
    pytest.importorskip("pagefind", reason="pip install '.[test]' brings Pagefind")
    return build_demo(tmp_path_factory.mktemp("a11y"), search=True)


@pytest.fixture(scope="module")
def site_url(demo):
    with serve(demo) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not AXE.is_file():
        pytest.skip("axe-core is missing: run `npm ci` in tests/js (.ci/run does)")
    with chromium() as browser:
        yield browser


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
             .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                 nodes: v.nodes.map(n => n.target.join(' '))})))""",
        AXE_TAGS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name, path", [*PAGES.items(), ("search", SEARCH_PAGE)])
def test_axe_finds_no_violations(browser, site_url, name, path, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        response = page.goto(site_url + path)
        assert response is not None and response.ok
        if name == "search":
            page.wait_for_selector("#search-results li")    # axe sees the results, not an empty list
        violations = _axe(page)
    finally:
        context.close()
    assert violations == [], f"{name} ({scheme}):\n" + json.dumps(violations, indent=1, ensure_ascii=False)


def test_axe_catches_a_contrast_failure(browser, site_url):
    """The check can fail: grey-on-white text that misses 4.5:1 is reported."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site_url + RELEASE)
        page.add_style_tag(content=".release-body p { color: #aaa !important; }")
        ids = {v["id"] for v in _axe(page)}
    finally:
        context.close()
    assert "color-contrast" in ids


def test_keyboard_focus_is_visible(browser, site_url):
    """Tab first reaches the skip link, shown on screen; links then get the yellow focus block."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(site_url + RELEASE)
        page.keyboard.press("Tab")
        skip = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
                                       return {cls: e.className, href: e.getAttribute('href'), top: r.top, h: r.height}; }""")
        assert skip["cls"] == "skip-link" and skip["href"] == "#konten"
        assert skip["top"] >= 0 and skip["h"] > 0
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                        return {tag: document.activeElement.tagName, bg: s.backgroundColor, shadow: s.boxShadow}; }""")
        assert style["tag"] == "A"
        assert style["bg"] == "rgb(255, 191, 71)" and style["shadow"] != "none"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")        # following the skip link moves to <main>
        assert page.evaluate("location.hash") == "#konten"
    finally:
        context.close()


def _every_page(output: Path):
    for path in sorted(output.rglob("*.html")):
        if "pagefind" not in path.parts:
            yield path, lxml_html.fromstring(path.read_bytes())


def test_every_page_has_the_landmarks_one_h1_and_a_language(demo):
    pages = list(_every_page(demo))
    assert len(pages) > 50
    for path, tree in pages:
        where = path.relative_to(demo)
        assert tree.get("lang") == "id", where
        assert len(tree.findall(".//h1")) == 1, where
        assert len(tree.findall(".//main")) == 1 and tree.find(".//main").get("id") == "konten", where
        assert tree.find(".//header[@class='site-header']") is not None, where
        assert tree.find(".//footer") is not None, where
        skip = tree.find(".//a[@class='skip-link']")
        assert skip is not None and skip.get("href") == "#konten", where
        for nav in tree.iter("nav"):
            assert nav.get("aria-label") or nav.get("aria-labelledby"), where


def test_images_have_alt_and_links_have_names(demo):
    vague = {"klik di sini", "di sini", "selengkapnya", "baca", "link", "tautan"}
    for path, tree in _every_page(demo):
        where = path.relative_to(demo)
        for img in tree.iter("img"):
            assert img.get("alt") is not None, f"{where}: {img.get('src')}"
        for a in tree.iter("a"):
            name = (a.get("aria-label") or a.text_content()).strip().lower()
            assert name and name not in vague, f"{where}: link to {a.get('href')} named {name!r}"


def test_release_carries_alt_text_language_and_share_link_names(demo):
    tree = lxml_html.fromstring(page_file(demo, RELEASE).read_bytes())
    lead = tree.find(".//figure[@class='lead-image']//img")
    assert lead.get("alt").startswith("Ilustrasi grafik batang")
    shares = [a.text_content() for a in tree.find(".//section[@class='share']").iter("a")]
    assert shares == ["Bagikan ke Facebook", "Bagikan ke X", "Bagikan ke WhatsApp", "Bagikan ke Telegram"]
    english = lxml_html.fromstring(page_file(demo, RELEASE_IN_ENGLISH).read_bytes())
    assert english.find(".//article[@class='release']").get("lang") == "en"
    assert english.get("lang") == "id"


def test_pagination_is_a_labelled_list_with_the_current_page_marked(demo):
    tree = lxml_html.fromstring(page_file(demo, "/").read_bytes())
    nav = tree.find(".//nav[@class='pagination']")
    assert nav.get("aria-label") == "Halaman"
    links = nav.findall(".//li/a")
    current = [a for a in links if a.get("aria-current") == "page"]
    assert [a.get("aria-label") for a in current] == ["Halaman 1"]
    assert [a.get("aria-label") for a in links if a.get("rel") is None] == ["Halaman 1", "Halaman 2"]
    assert nav.find(".//a[@rel='next']").get("href") == "/halaman/2/"


def test_every_ui_string_has_an_english_translation():
    """An English-language site gets an English interface: no Indonesian label left for a screen reader."""
    from babel.messages.pofile import read_po
    theme = Path(__file__).resolve().parents[1] / "themes" / "default"
    with (theme / "locale" / "en.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    call = re.compile(r"""(?:\b_|ngettext)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
    used = {m.group(1) or m.group(2) for path in (theme / "templates").rglob("*.html")
            for m in call.finditer(path.read_text(encoding="utf-8"))}
    assert len(used) > 40
    assert sorted(used - translated) == []


def test_wide_tables_scroll_in_a_box_keyboard_users_can_reach():
    from humasgen.markup import to_html
    out = to_html("Teks.\n\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n\nSesudah.\n")
    tree = lxml_html.fromstring(f"<div>{out}</div>")
    (box,) = tree.findall(".//div[@class='table-scroll']")
    assert box.get("tabindex") == "0" and box[0].tag == "table"
    assert box.getparent().tag == "blockquote"
    assert tree.findall(".//p")[-1].text == "Sesudah."


def test_pages_reflow_at_320_px_without_sideways_scrolling(browser, site_url):
    """WCAG 1.4.10: at 320 CSS px (400% zoom of a 1280 px screen) nothing makes the page scroll sideways."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        widths = {}
        for name, path in [*PAGES.items(), ("search", SEARCH_PAGE)]:
            page.goto(site_url + path)
            widths[name] = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert widths == {name: 320 for name in widths}


def test_home_leads_with_the_newest_release_across_the_column(browser, site_url):
    """On a desktop the first card is wide, picture beside text; on a phone it stacks like the others."""
    boxes = {}
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto(site_url + "/")
            boxes[width] = page.evaluate("""() => {
                const card = document.querySelector('.cards .card'), box = e => e.getBoundingClientRect();
                const img = box(card.querySelector('img')), body = box(card.querySelector('.card-body'));
                return {imgRight: img.right, imgBottom: img.bottom, imgHeight: img.height, bodyLeft: body.left,
                        bodyTop: body.top, cardHeight: box(card).height, second: box(card.nextElementSibling).top > box(card).bottom - 1};
            }""")
        finally:
            context.close()
    wide, phone = boxes[1280], boxes[390]
    assert wide["bodyLeft"] >= wide["imgRight"] - 1 and wide["second"]
    assert wide["imgHeight"] >= wide["cardHeight"] - 2          # the picture fills the card's height
    assert phone["bodyTop"] >= phone["imgBottom"] - 1
