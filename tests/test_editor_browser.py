"""The browser editor (Decap CMS) on `humasgen serve`, driven through its form in headless Chromium."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import release
from PIL import Image
from playwright import sync_api

from humasgen import serve

WAIT_MS = 30_000       # liveness cap, not a speed requirement
CONFIG = '''
title = "Diskominfo Provinsi Uji"
base_url = "https://uji.example.go.id"

[editor]
categories = ["Ekonomi", "Kesehatan"]
'''
TITLE = "Pemprov Salurkan Bantuan Pangan untuk 5.000 Keluarga"
SHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def editor_site(make_site):
    site = make_site({"content/2026/11/pasar.md": release("Harga Pangan Stabil Menjelang Akhir Tahun",
                                                            "2026-11-17 09:00", category="Ekonomi",
                                                            tags="[pangan, pasar]")}, config=CONFIG)
    server, watcher, url = serve.start(site, "127.0.0.1", 0, debounce=0.05)
    yield site, url
    serve.stop(server, watcher)


def _files(tmp: Path) -> tuple[Path, Path]:
    photo, pdf = tmp / "penyaluran-bantuan.jpg", tmp / "jadwal-penyaluran.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 110, 170)).save(buffer, "JPEG", quality=80)
    photo.write_bytes(buffer.getvalue())
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return photo, pdf


def _field(page, name: str):
    return page.locator(f'[id^="{name}-field-"]').first


def _upload(page, file: Path) -> None:
    """In the open media library: upload a file and choose it."""
    modal = page.get_by_role("dialog")
    modal.locator('input[type="file"]').set_input_files(str(file))
    choose = modal.get_by_role("button", name="Pilih", exact=True)
    sync_api.expect(choose).to_be_enabled()
    choose.click()


def test_an_officer_writes_edits_and_deletes_a_release(browser, editor_site, tmp_path):
    site, url = editor_site
    photo, pdf = _files(tmp_path)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.goto(url + "/admin/")
    page.get_by_role("button", name="Masuk").click()
    sync_api.expect(page.get_by_text("Harga Pangan Stabil Menjelang Akhir Tahun")).to_be_visible()

    page.get_by_role("link", name="Siaran Pers baru").click()
    _field(page, "title").fill(TITLE)
    _field(page, "date").fill("2026-11-19T09:30")
    _field(page, "category").click()
    page.get_by_text("Kesehatan", exact=True).click()
    _field(page, "tags").fill("bantuan sosial, pangan")
    page.get_by_role("button", name="Pilih foto").click()
    _upload(page, photo)
    _field(page, "image_alt").fill("Petugas menyerahkan paket beras kepada warga")
    _field(page, "image_caption").fill("Penyaluran bantuan di Kecamatan Tamalate")
    _field(page, "image_credit").fill("Tim Humas")
    _field(page, "number").fill("073/HUMAS/XI/2026")
    _field(page, "dateline").fill("Makassar")
    page.locator('[id^="attachments-field-"]').get_by_role("button", name="Tambah").click()
    page.get_by_role("button", name="Pilih berkas").click()
    _upload(page, pdf)
    page.locator('[id^="attachments-field-"] input[id^="title-field-"]').fill("Jadwal penyaluran")
    markdown = page.locator('[aria-label="kolom markdown"]')
    markdown.get_by_role("switch").click()
    body = markdown.get_by_role("textbox")
    body.click()
    body.press_sequentially("Bantuan beras disalurkan kepada 5.000 keluarga penerima.")
    for line in ("", "| Kecamatan | Keluarga |", "| --- | --- |", "| Tamalate | 2.000 |", "| Rappocini | 3.000 |"):
        body.press("Enter")
        body.press_sequentially(line)
    page.screenshot(path=str(tmp_path / "form.png"))

    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("Terbitkan sekarang").click()
    sync_api.expect(page.get_by_text("Tersimpan").first).to_be_visible()

    saved = site / "content/2026/11/pemprov-salurkan-bantuan-pangan-untuk-5-000-keluarga.md"
    found = sorted((site / "content").rglob("*.md"))
    assert saved in found, found
    text = saved.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    meta = yaml.safe_load(front)
    assert list(meta) == ["title", "date", "category", "tags", "image", "image_alt", "image_caption",
                          "image_credit", "draft", "number", "dateline", "attachments"], text
    assert meta["title"] == TITLE and meta["date"] == "2026-11-19 09:30"
    assert meta["category"] == "Kesehatan" and meta["tags"] == ["bantuan sosial", "pangan"]
    assert meta["image"] == "/images/penyaluran-bantuan.jpg", text
    assert meta["attachments"] == [{"path": "/files/jadwal-penyaluran.pdf", "title": "Jadwal penyaluran"}]
    assert "| Tamalate | 2.000 |" in text
    assert (site / "static/images/penyaluran-bantuan.jpg").read_bytes() == photo.read_bytes()
    assert (site / "static/files/jadwal-penyaluran.pdf").read_bytes() == pdf.read_bytes()
    check = subprocess.run([sys.executable, "-m", "humasgen", "check", "--site", str(site)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "error" not in check.stdout + check.stderr

    # The preview serves the new release page, table and all.
    view = browser.new_page()
    view.goto(url + "/2026/11/pemprov-salurkan-bantuan-pangan-untuk-5-000-keluarga/")
    sync_api.expect(view.locator("h1")).to_have_text(TITLE, timeout=WAIT_MS)
    assert "Rappocini" in view.locator("table").inner_text()
    assert view.locator('img[alt="Petugas menyerahkan paket beras kepada warga"]').count() >= 1

    # Edit: the caption changes in the same file; the open preview reloads by itself.
    _field(page, "image_caption").fill("Penyaluran bantuan di Kecamatan Rappocini")
    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("Terbitkan sekarang").click()
    sync_api.expect(view.locator("body")).to_contain_text("Kecamatan Rappocini", timeout=WAIT_MS)
    edited = saved.read_text(encoding="utf-8")
    assert edited == text.replace("di Kecamatan Tamalate", "di Kecamatan Rappocini")

    # Delete: the file goes; the list no longer shows it.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hapus", exact=True).click()
    sync_api.expect(page.get_by_text("Harga Pangan Stabil Menjelang Akhir Tahun")).to_be_visible()
    assert not saved.exists()
    assert (site / "content/2026/11/pasar.md").exists()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 860)])
def test_the_list_and_the_form_fit_a_phone_and_a_desktop(browser, editor_site, width, height, tmp_path):
    site, url = editor_site
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(WAIT_MS)
    page.goto(url + "/admin/")
    page.get_by_role("button", name="Masuk").click()
    sync_api.expect(page.get_by_text("Harga Pangan Stabil Menjelang Akhir Tahun")).to_be_visible()
    new = page.get_by_role("link", name="Siaran Pers baru")
    assert new.inner_text().strip() == "+ Siaran Pers baru"
    for shot in ("list", "form"):
        if shot == "form":
            new.click()
            _field(page, "title").fill(TITLE)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if shot == "form":      # the save button and the form are on screen, not pushed off it
            for box in (page.get_by_role("button", name="Terbitkan").bounding_box(),
                        _field(page, "title").bounding_box()):
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        page.screenshot(path=str(tmp_path / f"editor-{shot}-{width}.png"))


def test_the_published_editor_loads_its_gitlab_config_without_any_server_of_humasgen(browser, make_site, cli,
                                                                                   build_site, tmp_path):
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    site = make_site({"content/a.md": release("Harga Pangan Stabil Menjelang Akhir Tahun")},
                     config=CONFIG.replace("[editor]", '[editor]\npublish = true\nbackend = "gitlab"\n'
                                           'repo = "humas/situs"\nbase_url = "https://gitlab.example.go.id"\n'
                                           'app_id = "4f1c"'))
    assert cli("editor", "--site", str(site)).exit_code == 0
    build_site(site)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/admin/")
        sync_api.expect(page.get_by_role("button", name="Masuk dengan GitLab")).to_be_visible(timeout=WAIT_MS)
        assert all(r.startswith(f"http://127.0.0.1:{server.server_address[1]}/") or r.startswith("data:")
                   for r in requests), requests     # no public CDN: the page needs nothing but the site
    finally:
        server.shutdown()
        server.server_close()
