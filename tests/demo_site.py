"""The repository's demo site, built and served the way a reader gets it, and a real browser to read it.

Used by the reader-experience tests (accessibility, weight, search, print): the demo
is copied to a temporary folder, built at a fixed DEMO_NOW, served by http.server on
127.0.0.1 and opened in Debian's headless Chromium through Playwright.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path
from datetime import datetime, timezone
from typing import Iterator

import pytest

from humasgen.build import BuildOptions, build

REPO = Path(__file__).resolve().parents[1]
DEMO_NOW = datetime(2026, 11, 28, 4, 0, tzinfo=timezone.utc)    # the demo's "today": all but the 2027 release are out
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"

# The pages every reader-experience check looks at (site path -> what it is).
HOME = "/"
RELEASE = "/2026/11/harga-kebutuhan-pokok-menjelang-akhir-tahun-terpantau-stabil/"          # table, contact
RELEASE_WITH_BODY_IMAGE = "/2026/11/progres-jembatan-sungai-harapan-capai-18-persen-lebih-cepat-dari-jadwal/"
RELEASE_IN_ENGLISH = "/2026/10/nusa-harapan-investment-forum-2026/"
CATEGORY = "/kategori/ekonomi/"
NOT_FOUND = "/404.html"
# The content types' page kinds (humasgen/types): each is checked like the releases.
TYPE_PAGES = {"page": "/profil/", "page-en": "/about/", "agenda": "/agenda/",
              "event": "/agenda/2026/kunjungan-kerja-gubernur-ke-kabupaten-pesisir-timur/",
              "announcements": "/pengumuman/",
              "announcement-expired": "/pengumuman/2026/pemeliharaan-pusat-data-layanan-daring-terhenti-sementara/",
              "dip": "/ppid/dip/", "dik": "/ppid/dik/",
              "document": "/ppid/dokumen/laporan-kinerja-instansi-pemerintah-lkip-diskominfo-2025/",
              "galleries": "/galeri/", "gallery": "/galeri/2026/apel-siaga-bencana-musim-hujan-2026/",
              "language": "/en/", "release-corrected": "/2026/11/posko-siaga-musim-hujan-2026/",
              "embargo-preview": "/pratinjau/8aadcdf2fcb1eef966944290432e5075/"}   # from the demo secret
PAGES = {"home": HOME, "release": RELEASE, "release-image": RELEASE_WITH_BODY_IMAGE,
         "release-en": RELEASE_IN_ENGLISH, "category": CATEGORY, "404": NOT_FOUND, **TYPE_PAGES}


def build_demo(target: Path, *, search: bool = False) -> Path:
    """Copy the demo site to `target`, build it there, return the output folder."""
    site = target / "site"
    site.mkdir(parents=True)
    for name in ("content", "static"):
        shutil.copytree(REPO / name, site / name)
    config = (REPO / "humasgen.toml").read_text(encoding="utf-8")
    if search:
        config += "\nsearch = true\n"
    (site / "humasgen.toml").write_text(config, encoding="utf-8")
    output = site / "output"
    build(BuildOptions(site_dir=site, output_dir=output, now=DEMO_NOW, jobs=1))
    return output


def page_file(output: Path, path: str) -> Path:
    """The file a static server sends for a site path."""
    return output / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]' brings Playwright")
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()
