"""Live preview in a real headless Chromium: saves show up without touching the browser."""
from __future__ import annotations

import pytest
from conftest import NOW, release
from playwright import sync_api

from humasgen import serve

WAIT_MS = 20_000       # liveness cap, not a speed requirement


@pytest.fixture
def site_server(make_site):
    site = make_site({
        "content/2026/11/jembatan.md": release("Jembatan Sungai Harapan Dibuka", "2026-11-18 09:00",
                                               "Jembatan sepanjang 180 meter resmi dibuka.",
                                               slug="jembatan-sungai-harapan", category="Infrastruktur"),
        "content/2026/11/pasar.md": release("Harga Pangan Stabil", "2026-11-17 09:00", category="Ekonomi"),
    })
    server, watcher, url = serve.start(site, "127.0.0.1", 0, clock=lambda: NOW, debounce=0.05)
    yield site, url
    serve.stop(server, watcher)


def test_the_open_page_follows_every_save(browser, site_server):
    site, url = site_server
    source = site / "content/2026/11/jembatan.md"
    good = source.read_text()
    page = browser.new_page()
    page.goto(url + "/2026/11/jembatan-sungai-harapan/")
    heading = page.locator("h1")
    assert heading.inner_text() == "Jembatan Sungai Harapan Dibuka"

    # A new title: the open page reloads by itself.
    source.write_text(good.replace("Jembatan Sungai Harapan Dibuka", "Jembatan Sungai Harapan Diresmikan"))
    sync_api.expect(heading).to_have_text("Jembatan Sungai Harapan Diresmikan", timeout=WAIT_MS)

    # The home page lists it under its new title.
    home = browser.new_page()
    home.goto(url + "/")
    assert "Jembatan Sungai Harapan Diresmikan" in home.locator(".cards").inner_text()

    # Broken front matter: the open page turns into the error page, with file and line.
    source.write_text(good.replace("category: Infrastruktur", "category: [Infrastruktur"))
    sync_api.expect(page.locator("h1")).to_contain_text("could not be updated", timeout=WAIT_MS)
    assert "content/2026/11/jembatan.md:" in page.locator(".diagnostics").inner_text()
    sync_api.expect(home.locator("h1")).to_contain_text("could not be updated", timeout=WAIT_MS)

    # Fixed: both pages come back without anyone touching the browser.
    source.write_text(good.replace("Jembatan Sungai Harapan Dibuka", "Jembatan Sungai Harapan Kembali"))
    sync_api.expect(page.locator("h1")).to_have_text("Jembatan Sungai Harapan Kembali", timeout=WAIT_MS)
    sync_api.expect(home.locator(".cards")).to_contain_text("Jembatan Sungai Harapan Kembali", timeout=WAIT_MS)
    page.screenshot(path=str(site.parent / "serve-page.png"))
