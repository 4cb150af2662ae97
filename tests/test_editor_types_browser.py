"""The editor's collections for every content type, in Indonesian, driven in headless Chromium."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from conftest import release
from playwright import sync_api

from humasgen import serve

WAIT_MS = 30_000       # liveness cap, not a speed requirement
MAIN_SCREENS = ["app.header", "collection.sidebar", "collection.collectionTop", "collection.entries",
                "editor.editor", "editor.editorToolbar", "editor.editorControlPane.widget", "editor.editorWidgets",
                "mediaLibrary.mediaLibraryModal", "ui.toast", "workflow.workflowList"]
EVENT = "---\ntitle: Rapat Koordinasi Siaga Bencana\nstart: 2026-11-24 09:00\nplace: Aula Kantor Gubernur\n---\nIsi.\n"


@pytest.fixture
def editor_site(make_site):
    site = make_site({"content/2026/11/pasar.md": release("Harga Pangan Stabil Menjelang Akhir Tahun",
                                                            "2026-11-17 09:00"),
                      "content/agenda/rapat-siaga.md": EVENT})
    server, watcher, url = serve.start(site, "127.0.0.1", 0, debounce=0.05)
    yield site, url
    serve.stop(server, watcher)


def test_every_content_type_is_listed_in_indonesian_and_an_event_is_written(browser, editor_site, tmp_path):
    site, url = editor_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.goto(url + "/admin/")
    page.get_by_role("button", name="Masuk").click()
    sync_api.expect(page.get_by_text("Harga Pangan Stabil Menjelang Akhir Tahun")).to_be_visible()
    sync_api.expect(page.get_by_role("heading", name="Koleksi")).to_be_visible()
    for label in ("Siaran Pers", "Halaman", "Agenda", "Pengumuman", "Dokumen PPID", "Galeri"):
        sync_api.expect(page.get_by_role("link", name=label, exact=True)).to_be_visible()
    # The releases are everything in content/ but the types' folders: the event is not one of them.
    assert page.get_by_text("Rapat Koordinasi Siaga Bencana").count() == 0
    page.screenshot(path=str(tmp_path / "collections.png"))
    # The Indonesian catalogue covers every phrase of the main screens of this Decap version.
    missing = page.evaluate("""sections => {
        const en = CMS.getLocale("en"), id = CMS.getLocale("id"), out = [];
        const walk = (a, b, at) => Object.keys(a).forEach(k => typeof a[k] === "object"
            ? walk(a[k], (b || {})[k], at + k + ".") : (b && k in b) || out.push(at + k));
        sections.forEach(s => { const path = s.split("."); walk(path.reduce((o, k) => o[k], en),
                                                               path.reduce((o, k) => (o || {})[k], id), s + "."); });
        return out; }""", MAIN_SCREENS)
    assert missing == []

    page.get_by_role("link", name="Agenda", exact=True).click()
    sync_api.expect(page.get_by_text("Rapat Koordinasi Siaga Bencana")).to_be_visible()
    assert page.get_by_text("Harga Pangan Stabil Menjelang Akhir Tahun").count() == 0
    page.get_by_role("link", name="Kegiatan baru").click()
    sync_api.expect(page.get_by_text("Mulai", exact=True).first).to_be_visible()
    page.locator('[id^="title-field-"]').first.fill("Dialog Publik Rencana Anggaran")
    page.locator('[id^="start-field-"]').first.fill("2026-11-26T13:30")
    page.locator('[id^="place-field-"]').first.fill("Ruang Pola Kantor Gubernur")
    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("Terbitkan sekarang").click()
    sync_api.expect(page.get_by_text("Tersimpan").first).to_be_visible()

    saved = site / "content/agenda/dialog-publik-rencana-anggaran.md"
    sync_api.expect(page.get_by_role("button", name="Hapus", exact=True)).to_be_visible()
    text = saved.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert list(meta) == ["title", "start", "place", "draft"], text
    assert meta["start"] == "2026-11-26 13:30" and meta["place"] == "Ruang Pola Kantor Gubernur"
    check = subprocess.run([sys.executable, "-m", "humasgen", "check", "--site", str(site)],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "error" not in check.stdout + check.stderr, check.stdout + check.stderr

    view = browser.new_page()
    view.goto(url + "/agenda/2026/dialog-publik-rencana-anggaran/")
    sync_api.expect(view.locator("h1")).to_have_text("Dialog Publik Rencana Anggaran", timeout=WAIT_MS)
    assert "Ruang Pola Kantor Gubernur" in view.locator("body").inner_text()


def test_an_album_with_a_large_photo_is_written_and_the_photo_shrunk(browser, editor_site, tmp_path):
    import io

    from PIL import Image
    site, url = editor_site
    photo = tmp_path / "apel-siaga.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (40, 110, 170)).save(buffer, "JPEG", quality=90)
    photo.write_bytes(buffer.getvalue())
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.goto(url + "/admin/#/collections/galeri/new")
    page.get_by_role("button", name="Masuk").click()
    sync_api.expect(page.get_by_text("Pengantar album")).to_be_visible()
    page.locator('[id^="title-field-"]').first.fill("Apel Siaga Bencana Musim Hujan")
    page.locator('[id^="date-field-"]').first.fill("2026-11-18T07:30")
    page.locator('[id^="credit-field-"]').last.fill("Foto: Tim Humas")
    photos = page.locator('[id^="photos-field-"]')
    photos.get_by_role("button", name="Tambah").click()
    photos.get_by_role("button", name="Pilih foto").click()
    modal = page.get_by_role("dialog")
    modal.locator('input[type="file"]').set_input_files(str(photo))
    choose = modal.get_by_role("button", name="Pilih", exact=True)
    sync_api.expect(choose).to_be_enabled()
    choose.click()
    sync_api.expect(modal).to_be_hidden()
    photos.locator('input[id^="alt-field-"]').fill("Peserta apel berbaris di halaman kantor gubernur")
    page.screenshot(path=str(tmp_path / "album-form.png"), full_page=True)
    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("Terbitkan sekarang").click()
    sync_api.expect(page.get_by_text("Tersimpan").first).to_be_visible()

    saved = site / "content/galeri/apel-siaga-bencana-musim-hujan.md"
    sync_api.expect(page.get_by_role("button", name="Hapus", exact=True)).to_be_visible()
    meta = yaml.safe_load(saved.read_text(encoding="utf-8").split("---\n")[1])
    assert list(meta) == ["title", "date", "credit", "photos", "draft"], meta
    assert meta["photos"] == [{"src": "/images/apel-siaga.jpg",
                               "alt": "Peserta apel berbaris di halaman kantor gubernur"}]
    with Image.open(site / "static/images/apel-siaga.jpg") as image:
        assert image.size == (2048, 1365)
    check = subprocess.run([sys.executable, "-m", "humasgen", "check", "--site", str(site)],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "error" not in check.stdout + check.stderr, check.stdout + check.stderr
