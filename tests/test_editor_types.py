"""The browser editor for the other content types (pages, agenda, announcements, documents, galleries)
and the photos it uploads: the config follows each type's schema, a save through the local back end
is what humasgen reads, and nothing lands outside content/ and static/."""
from __future__ import annotations

import base64
import http.client
import io
import json
import re
from types import SimpleNamespace

import pytest
import yaml
from conftest import NOW, release
from PIL import Image
from pypdf import PdfWriter

from humasgen import config as config_mod, content, serve
from humasgen.editor import backend, files, schema
from humasgen.types import agenda, documents, galleries
from humasgen.types.fields import Key
from humasgen.types.load import MODULES
from humasgen.types.scaffold import TEMPLATES

API = schema.API_PATH
FOLDERS = [m.FOLDER for m in MODULES.values()]


def _collections(config=None) -> dict[str, dict]:
    """The collections of the generated config.yml, parsed back as the CMS reads it."""
    data = yaml.safe_load(files.config_yaml(config or config_mod.Config(), schema.Known()))
    return {c["folder"]: c for c in data["collections"]}


# -- the config follows each type's schema ---------------------------------------------------

def test_every_content_type_is_a_collection_in_its_loaders_folder():
    collections = _collections()
    assert list(collections) == ["content", *(f"content/{folder}" for folder in FOLDERS)]
    labels = [c["label"] for c in collections.values()]
    assert labels == ["Siaran Pers", "Halaman", "Agenda", "Pengumuman", "Dokumen PPID", "Galeri"]
    for module in MODULES.values():
        fields = collections[f"content/{module.FOLDER}"]["fields"]
        assert [f["name"] for f in fields] == [k.name for k in module.KEYS if k.name not in schema.FREE_FORM] + [
            "body"]
        assert [f["name"] for f in fields if f.get("required")] == [k.name for k in module.KEYS if k.required]


def test_the_key_order_is_the_one_humasgen_new_writes():
    for module in MODULES.values():
        keys = [k.name for k in module.KEYS]
        written = [line.split(":", 1)[0] for line in TEMPLATES[module.FOLDER].split("---")[1].splitlines()
                   if re.match(r"^[a-z_]+:", line)]
        assert [k for k in keys if k in written] == written, module.FOLDER


def test_changing_a_types_schema_changes_its_form():
    changed = SimpleNamespace(FOLDER=agenda.FOLDER, KEYS=agenda.KEYS[:3] + (Key("room"), Key("online", "bool")))
    names = [(f["name"], f["widget"]) for f in schema.type_fields(changed, config_mod.Config())]
    assert names == [("title", "string"), ("start", "datetime"), ("end", "datetime"), ("room", "string"),
                     ("online", "boolean"), ("body", "markdown")]
    odd = SimpleNamespace(FOLDER=agenda.FOLDER, KEYS=(Key("title"), Key("rooms", "list")))
    with pytest.raises(ValueError, match="'rooms' of content/agenda/ has a kind the editor has no widget for"):
        schema.type_fields(odd, config_mod.Config())


def test_each_type_gets_the_widgets_its_values_need():
    config = config_mod.Config(timezone="Asia/Jayapura")
    collections = _collections(config)
    event = {f["name"]: f for f in collections["content/agenda"]["fields"]}
    for key in ("start", "end"):
        assert event[key]["widget"] == "datetime" and event[key]["format"] == "YYYY-MM-DD HH:mm"
        assert event[key]["picker_utc"] is False and "Asia/Jayapura" in event[key]["hint"]
    assert [o["value"] for o in event["status"]["options"]] == list(agenda.STATUSES)
    document = {f["name"]: f for f in collections["content/dokumen"]["fields"]}
    assert [o["value"] for o in document["class"]["options"]] == list(documents.CLASSES)
    assert document["year"]["widget"] == "number" and document["year"]["value_type"] == "int"
    assert document["file"]["widget"] == "file"
    assert (document["file"]["media_folder"], document["file"]["public_folder"]) == ("/static/dokumen", "/dokumen")
    album = {f["name"]: f for f in collections["content/galeri"]["fields"]}
    photos = {f["name"]: f for f in album["photos"]["fields"]}
    assert album["photos"]["widget"] == "list" and list(photos) == list(galleries.PHOTO_KEYS)
    assert photos["src"]["widget"] == "image" and photos["src"]["public_folder"] == "/images"
    assert photos["src"]["required"] and photos["alt"]["required"] and not photos["caption"]["required"]
    page = {f["name"]: f for f in collections["content/halaman"]["fields"]}
    assert re.compile(page["translation_key"]["pattern"][0]).match("profil-dinas")
    assert not re.compile(page["slug"]["pattern"][0]).match("Profil Dinas")


@pytest.mark.parametrize("language, locale", [("id", "id"), ("en", "en")])
def test_the_editor_speaks_the_sites_language(language, locale):
    data = yaml.safe_load(files.config_yaml(config_mod.Config(language=language), schema.Known()))
    assert data["locale"] == locale


def test_the_indonesian_phrases_are_shipped_and_loaded_before_the_start_up():
    page = files.index_html(config_mod.Config()).decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["vendor/decap-cms/decap-cms.js", "locale-id.js", "humasgen-editor.js"]
    catalogue = files.static_files()["locale-id.js"].read_text(encoding="utf-8")
    for phrase in ("Simpan", "Terbitkan", "Hapus", "Koleksi", "Pilih foto", "Pilih berkas", "%{fieldLabel} wajib diisi"):
        assert f'"{phrase}' in catalogue, phrase


# -- a real round trip per type: config -> save through the back end -> loader, check, build --------

def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _jpeg(size=(800, 600), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 90)).save(out, "JPEG", quality=85, **({"exif": exif} if exif else {}))
    return out.getvalue()


# What an officer types into each form (by field name), the file it uploads, and the page it expects.
ITEMS = {
    "halaman": ({"title": "Profil Dinas Komunikasi", "summary": "Tugas dan fungsi dinas.", "lang": "",
                 "translation_key": "", "slug": "profil-dinas"}, {}, "profil-dinas/index.html"),
    "agenda": ({"title": "Rapat Koordinasi Musim Hujan", "start": "2026-11-25 09:00", "end": "2026-11-25 11:30",
                "place": "Aula Kantor Gubernur", "status": "terjadwal", "address": "", "updated": ""}, {},
               "agenda/2026/rapat-koordinasi-musim-hujan/index.html"),
    "pengumuman": ({"title": "Penutupan Sementara Layanan Tatap Muka", "date": "2026-11-18 08:00",
                    "expires": "2026-12-31 23:59", "unit": "Bagian Umum"}, {},
                   "pengumuman/2026/penutupan-sementara-layanan-tatap-muka/index.html"),
    "dokumen": ({"title": "Laporan Kinerja 2025", "class": "berkala", "year": 2026, "unit": "Sekretariat",
                 "file": "/dokumen/lkip-2025.pdf", "reason": ""}, {"static/dokumen/lkip-2025.pdf": _pdf()},
                "ppid/dokumen/laporan-kinerja-2025/index.html"),
    "galeri": ({"title": "Apel Siaga Bencana", "date": "2026-11-10 07:30", "credit": "Foto: Tim Humas",
                "license": "https://creativecommons.org/licenses/by/4.0/",
                "photos": [{"src": "/images/apel.jpg", "alt": "Peserta apel berbaris di lapangan", "caption": "",
                            "credit": ""}]}, {"static/images/apel.jpg": _jpeg()},
               "galeri/2026/apel-siaga-bencana/index.html"),
}


@pytest.fixture
def served(make_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = make_site({"content/2026/11/a.md": release("Harga Pangan Stabil Menjelang Akhir Tahun")})
    server, watcher, url = serve.start(site, "127.0.0.1", 0, clock=lambda: NOW, debounce=0.05)
    yield site, server.server_address[1], outside
    serve.stop(server, watcher)


def _request(port: int, method: str, path: str, payload: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps(payload).encode() if payload is not None else None
    connection.request(method, path, body, {"Content-Type": "application/json"} if body else {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def _post(port: int, payload: dict):
    status, data = _request(port, "POST", API, payload)
    return status, json.loads(data or b"null")


def _decap_raw(fields: list[dict], values: dict) -> str:
    """The file Decap's yaml-frontmatter format sends: every form field, empty ones as '' (and the
    switches at false), in the form's order, then the body."""
    meta = {}
    for field in fields:
        if field["name"] == "body":
            continue
        meta[field["name"]] = values.get(field["name"], False if field["widget"] == "boolean" else "")
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\nIsi yang ditulis petugas.\n"


@pytest.mark.parametrize("folder", FOLDERS)
def test_a_save_through_the_back_end_is_read_checked_and_built(served, cli, build_site, folder):
    site, port, _ = served
    status, data = _request(port, "GET", "/admin/config.yml")
    assert status == 200
    collection = {c["folder"]: c for c in yaml.safe_load(data)["collections"]}[f"{content.CONTENT_DIR}/{folder}"]
    values, uploads, page = ITEMS[folder]
    path = f"{collection['folder']}/{content.make_slug(values['title'])}.{collection['extension']}"
    status, body = _post(port, {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"slug": content.make_slug(values["title"]), "path": path,
                                         "raw": _decap_raw(collection["fields"], values)}],
        "assets": [{"path": rel, "content": base64.b64encode(data).decode(), "encoding": "base64"}
                   for rel, data in uploads.items()],
        "options": {"collectionName": collection["name"], "status": ""}}})
    assert status == 200, body

    saved = (site / path).read_text(encoding="utf-8")
    meta = yaml.safe_load(saved.split("---\n")[1])
    module = next(m for m in MODULES.values() if m.FOLDER == folder)
    order = [k.name for k in module.KEYS]
    assert list(meta) == [k for k in order if k in meta]            # the type's key order
    assert all(value not in ("", None, []) for value in meta.values()), saved       # no empty keys
    assert saved.endswith("Isi yang ditulis petugas.\n") and "\n\n\n" not in saved
    for rel, data in uploads.items():
        assert (site / rel).read_bytes() == data

    from humasgen.types import load
    types, problems = load(site, content.Settings("Asia/Makassar", "id", "/{year}/{month}/{slug}/"))
    assert problems == ()
    assert [i.title for i in types.items()] == [values["title"]]
    check = cli("check", "--site", str(site))
    assert check.exit_code == 0 and "error" not in check.output, check.output
    build_site(site)
    assert values["title"] in (site / "output" / page).read_text(encoding="utf-8")


def test_a_type_item_humasgen_cannot_read_is_not_saved_and_the_reason_is_shown(served):
    site, port, _ = served
    raw = "---\ntitle: Rapat\nstart: 2026-11-25 11:00\nend: 2026-11-25 09:00\nplace: Aula\nroom: 2\n---\nIsi.\n"
    status, body = _post(port, {"action": "persistEntry", "params": {
        "dataFiles": [{"path": "content/agenda/rapat.md", "raw": raw}], "assets": []}})
    assert status == 422
    assert "content/agenda/rapat.md:6: error: unknown front matter key 'room' for an agenda item" in body["error"]
    assert "content/agenda/rapat.md:4: error: the event ends before it starts" in body["error"]
    assert not (site / "content/agenda/rapat.md").exists()


@pytest.mark.parametrize("folder", [*FOLDERS, "../static/dokumen"])
def test_no_type_folder_opens_a_way_out_of_content_and_static(served, folder):
    site, port, outside = served
    before = sorted(str(p) for p in site.rglob("*"))
    bad = [f"content/{folder}/../../humasgen.toml", f"content/{folder}/../../../outside/x.md",
           f"/content/{folder}/x.md", f"{site}/content/{folder}/x.md", f"content\\{folder}\\x.md",
           f"content/{folder}/./x.md", f"content/{folder}//x.md", f"content/{folder}/../../output/x.md",
           f"static/{folder}/../../humasgen.toml"]
    for path in bad:
        for payload in ({"action": "persistEntry", "params": {"dataFiles": [{"path": path, "raw": "x"}],
                                                                "assets": []}},
                        {"action": "persistEntry", "params": {"dataFiles": [
                            {"path": f"content/{folder.strip('./')}/ok.md", "raw": "x", "newPath": path}],
                            "assets": []}},
                        {"action": "persistMedia", "params": {"asset": {"path": path, "encoding": "base64",
                                                                        "content": ""}}},
                        {"action": "deleteFile", "params": {"path": path}},
                        {"action": "getEntry", "params": {"path": path}}):
            status, body = _post(port, payload)
            assert status in (400, 403), (path, payload["action"], status, body)
    for path in bad[:2] + bad[3:]:      # a listing may name its folder with a leading '/', nothing more
        status, body = _post(port, {"action": "entriesByFolder", "params": {"folder": path, "extension": "md",
                                                                            "depth": 1}})
        assert status in (400, 403), (path, status, body)
    assert sorted(str(p) for p in site.rglob("*")) == before
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_a_type_folder_that_is_a_symbolic_link_is_refused(served, folder):
    site, port, outside = served
    (site / "content" / folder).symlink_to(outside, target_is_directory=True)
    (outside / "x.md").write_text("---\ntitle: Di luar\n---\n")
    for payload in ({"action": "persistEntry", "params": {"dataFiles": [
                        {"path": f"content/{folder}/baru.md", "raw": "---\ntitle: Baru\n---\n"}], "assets": []}},
                    {"action": "entriesByFolder", "params": {"folder": f"content/{folder}", "extension": "md",
                                                             "depth": 1}},
                    {"action": "getEntry", "params": {"path": f"content/{folder}/x.md"}},
                    {"action": "deleteFile", "params": {"path": f"content/{folder}/x.md"}}):
        status, body = _post(port, payload)
        assert status == 403 and "symbolic links" in body["error"], (payload, body)
    assert sorted(p.name for p in outside.iterdir()) == ["x.md"]


# -- photos: shrunk, upright and without GPS on upload ----------------------------------------

def _phone_photo(size=(4032, 3024), orientation=6, gps=True) -> bytes:
    """A phone's JPEG: lying on its side (EXIF orientation 6: turn 90° clockwise to view), with GPS."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Kamera Uji"                 # Make: kept
    if gps:
        exif[0x8825] = {1: "S", 2: (5.0, 8.0, 0.0), 3: "E", 4: (119.0, 25.0, 0.0)}
    image = Image.new("RGB", size, (200, 60, 40))
    image.paste((20, 60, 200), (0, 0, size[0] // 2, size[1] // 4))     # a blue block top left
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def _upload(port: int, rel: str, data: bytes):
    return _post(port, {"action": "persistMedia", "params": {"asset": {
        "path": rel, "encoding": "base64", "content": base64.b64encode(data).decode()}}})


def test_a_large_phone_photo_is_shrunk_upright_and_loses_its_gps_position(served):
    site, port, _ = served
    original = _phone_photo()
    status, body = _upload(port, "static/images/apel-besar.jpg", original)
    assert status == 200, body
    saved = (site / "static/images/apel-besar.jpg").read_bytes()
    assert len(saved) < len(original)
    assert base64.b64decode(body["content"]) == saved      # the CMS is told what was kept
    with Image.open(io.BytesIO(saved)) as image:
        assert image.format == "JPEG"
        assert image.size == (1536, 2048)           # 3024 x 4032 upright, longer side 2048
        exif = image.getexif()
        assert 0x8825 not in exif and exif.get(0x0112, 1) == 1
        assert exif.get(0x010F) == "Kamera Uji"
        # Turned clockwise: the blue block that was top left is now top right.
        assert image.getpixel((1536 - 40, 40))[2] > 150 and image.getpixel((40, 40))[0] > 150


def test_a_photo_within_the_limits_is_kept_byte_for_byte_and_other_files_too(served):
    site, port, _ = served
    small, pdf = _jpeg((1200, 800)), _pdf()
    assert _upload(port, "static/images/kecil.jpg", small)[0] == 200
    assert _upload(port, "static/dokumen/laporan.pdf", pdf)[0] == 200
    assert _upload(port, "static/images/bukan-foto.jpg", b"not a photo")[0] == 200
    assert (site / "static/images/kecil.jpg").read_bytes() == small
    assert (site / "static/dokumen/laporan.pdf").read_bytes() == pdf
    assert (site / "static/images/bukan-foto.jpg").read_bytes() == b"not a photo"


def test_a_small_photo_with_a_gps_position_loses_it_and_keeps_its_size(served):
    site, port, _ = served
    assert _upload(port, "static/images/lokasi.jpg", _phone_photo((1000, 750), orientation=1))[0] == 200
    with Image.open(site / "static/images/lokasi.jpg") as image:
        assert image.size == (1000, 750) and 0x8825 not in image.getexif()


def test_the_limit_comes_from_the_config(make_site, tmp_path):
    site = make_site({}, config='title = "Uji"\n[editor]\nimage_max_px = 1000\nimage_quality = 70\n')
    assert _persist_media(site, "static/images/p.png", _png((3000, 1500))).status == 200
    with Image.open(site / "static/images/p.png") as image:
        assert image.format == "PNG" and image.size == (1000, 500)


def _persist_media(site, rel: str, data: bytes):
    """An upload as Decap's local back end sends it, answered without a server."""
    return backend.handle(site, config_mod.load(site), json.dumps({"action": "persistMedia", "params": {
        "asset": {"path": rel, "encoding": "base64", "content": base64.b64encode(data).decode()}}}).encode())


def _png(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 10, 10)).save(out, "PNG")
    return out.getvalue()


def test_a_photo_with_too_many_pixels_is_refused(served):
    site, port, _ = served
    out = io.BytesIO()
    Image.new("1", (9500, 9500)).save(out, "PNG")
    status, body = _upload(port, "static/images/raksasa.png", out.getvalue())
    assert status == 422 and "more than the limit" in body["error"]
    assert not (site / "static/images/raksasa.png").exists()


def test_the_checks_limit_is_kept_too(make_site, cli):
    site = make_site({}, config='title = "Uji"\n[check]\nimage_max_px = 800\n')
    assert _persist_media(site, "static/images/p.jpg", _jpeg((1600, 1200))).status == 200
    with Image.open(site / "static/images/p.jpg") as image:
        assert image.size == (800, 600)
    result = cli("check", "--site", str(site))
    assert result.exit_code == 0 and "image-size" not in result.output, result.output


@pytest.mark.parametrize("setting, value", [("image_max_px", 100), ("image_max_px", 99999),
                                            ("image_quality", 5)])
def test_photo_settings_out_of_range_are_errors(make_site, cli, setting, value):
    site = make_site({}, config=f'title = "Uji"\n[editor]\n{setting} = {value}\n')
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert f"humasgen.toml:3: error: [editor] {setting} = {value} is out of range" in result.output


def test_units_in_use_by_announcements_and_documents_are_offered():
    known = schema.Known.from_releases([], [SimpleNamespace(unit="Sekretariat"), SimpleNamespace(title="x")])
    config = config_mod.Config(editor=config_mod.EditorConfig(units=("Bagian Umum",)))
    collections = yaml.safe_load(files.config_yaml(config, known))["collections"]
    document = {f["name"]: f for f in collections[4]["fields"]}
    assert document["unit"]["widget"] == "select" and document["unit"]["options"] == ["Bagian Umum", "Sekretariat"]


def test_a_phones_multi_picture_jpeg_is_shrunk_to_a_plain_jpeg(served):
    site, port, _ = served
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 90, 90)).save(out, "MPO", save_all=True,
                                                      append_images=[Image.new("RGB", (640, 480))])
    with Image.open(io.BytesIO(out.getvalue())) as original:
        assert original.format == "MPO" and original.n_frames == 2
    assert _upload(port, "static/images/ponsel.jpg", out.getvalue())[0] == 200
    with Image.open(site / "static/images/ponsel.jpg") as image:
        assert image.format == "JPEG" and image.size == (2048, 1536)


def test_an_upload_that_is_not_base64_is_refused_with_a_message(served):
    site, port, _ = served
    status, body = _post(port, {"action": "persistMedia", "params": {"asset": {
        "path": "static/images/rusak.jpg", "encoding": "base64", "content": "abc"}}})
    assert status == 400 and "not valid base64" in body["error"]
    assert not (site / "static/images/rusak.jpg").exists()
