"""The browser editor: its config follows the schema, its local back end stays in content/ and static/."""
from __future__ import annotations

import base64
import http.client
import json
import re
import zipfile
from dataclasses import make_dataclass
from pathlib import Path

import pytest
import yaml
from conftest import BASIC_CONFIG, NOW, release

from humasgen import config as config_mod, content, serve
from humasgen.editor import backend, schema
from humasgen.errors import HumasgenError

API = schema.API_PATH


def _form(config=None, **kwargs):
    return schema.release_fields(config or config_mod.Config(), **kwargs)


# -- the config follows the schema -------------------------------------------------------------

def test_the_form_has_every_front_matter_key_in_the_schema_order():
    names = [f["name"] for f in _form()]
    assert names == [k for k in content.KEYS if k not in schema.FREE_FORM] + ["body"]
    assert set(schema.FREE_FORM) <= set(content.KEYS)       # 'extra' is kept in files, not a form field


def test_changing_the_schema_changes_the_form():
    model = make_dataclass("Release", [("subtitle", str, ""), ("featured", bool, False)],
                           bases=(content.Release,), frozen=True)
    keys = tuple(k for k in content.KEYS if k != "dateline") + ("subtitle", "featured")
    fields = {f["name"]: f for f in _form(keys=keys, model=model)}
    assert "dateline" not in fields
    assert fields["subtitle"]["widget"] == "string" and fields["featured"]["widget"] == "boolean"
    assert list(fields)[-3:] == ["subtitle", "featured", "body"]

    odd = make_dataclass("Release", [("score", float, 0.0)], bases=(content.Release,), frozen=True)
    with pytest.raises(ValueError, match="'score' has a type the editor has no widget for"):
        _form(keys=content.KEYS + ("score",), model=odd)
    with pytest.raises(ValueError, match="'nope' is not a field"):
        _form(keys=content.KEYS + ("nope",))


def _sample(field: dict):
    """What the form can write into a field (every widget filled in)."""
    widget = field["widget"]
    if widget == "object":
        return {sub["name"]: _sample(sub) for sub in field["fields"]}
    if widget == "list" and "fields" in field:
        return [{sub["name"]: _sample(sub) for sub in field["fields"]}]
    return {"string": "id", "text": "Ringkasan rilis.", "select": (field.get("options") or ["id"])[0],
            "list": ["banjir", "bantuan sosial"], "datetime": "2026-11-19 09:30", "boolean": True,
            "image": "/images/foto.jpg", "file": "/files/jadwal.pdf", "markdown": "Isi."}[widget]


def test_whatever_the_form_writes_the_build_reads():
    config = config_mod.Config(editor=config_mod.EditorConfig(categories=("Ekonomi",), units=("Dinas Sosial",)))
    fields = _form(config, known=schema.Known(("Kesehatan",), (), ("banjir",)))
    meta = {f["name"]: _sample(f) for f in fields if f["name"] != "body"}
    text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\nIsi rilis.\n"
    data = backend.canonical_release(text).encode()
    settings = content.Settings(config.timezone, config.language, config.permalink)
    parsed, problems = content.parse("content/a.md", "a", data, settings)
    assert problems == [], problems
    assert parsed.category == "Ekonomi" and parsed.tags == ("banjir", "bantuan sosial")
    assert parsed.contact.email == "id" and parsed.attachments[0].path == "/files/jadwal.pdf"
    assert parsed.image == "/images/foto.jpg" and parsed.draft is True


def test_the_form_checks_what_the_build_checks():
    fields = {f["name"]: f for f in _form()}
    for key, good, bad in (("slug", "bantuan-pangan", "Bantuan Pangan"), ("lang", "id", "Indonesia")):
        pattern = re.compile(fields[key]["pattern"][0])
        assert pattern.match(good) and not pattern.match(bad)
    assert fields["title"]["required"] and fields["date"]["required"]
    assert "20–70 karakter" in fields["title"]["hint"]
    assert "Asia/Makassar" in fields["date"]["hint"]


def test_categories_and_units_come_from_the_config_and_the_site():
    config = config_mod.Config(editor=config_mod.EditorConfig(categories=("Ekonomi",)))
    fields = {f["name"]: f for f in _form(config, known=schema.Known(("Kesehatan",), (), ("banjir", "pangan")))}
    assert fields["category"]["widget"] == "select" and fields["category"]["options"] == ["Ekonomi", "Kesehatan"]
    assert fields["unit"]["widget"] == "string"          # nothing known yet: free text
    assert "banjir, pangan" in fields["tags"]["hint"]


def test_saved_files_are_in_humasgen_form():
    decap = ("---\ndraft: false\ntitle: Judul Rilis yang Cukup Panjang\nimage: ''\ntags: []\n"
             "contact:\n  name: Rina\n  phone: ''\ndate: 2026-11-19 09:30\nnumber: '073'\nupdated: ''\n"
             "---\nIsi rilis.")
    assert backend.canonical_release(decap) == (
        "---\ntitle: Judul Rilis yang Cukup Panjang\ndate: 2026-11-19 09:30\ndraft: false\n"
        "number: '073'\ncontact:\n  name: Rina\n---\nIsi rilis.\n")


# -- the local back end -------------------------------------------------------------------------

@pytest.fixture
def served(make_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("rahasia")
    site = make_site({"content/2026/11/a.md": release("Harga Pangan Stabil Menjelang Akhir Tahun"),
                      "static/images/logo.png": b"png"})
    (site / "content" / "keluar").symlink_to(outside, target_is_directory=True)
    (site / "static" / "rahasia.txt").symlink_to(outside / "secret.txt")
    server, watcher, url = serve.start(site, "127.0.0.1", 0, clock=lambda: NOW, debounce=0.05)
    yield site, server.server_address[1], outside
    serve.stop(server, watcher)


def _post(port: int, payload: dict, host: str = "127.0.0.1", headers: dict | None = None):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("POST", API, json.dumps(payload).encode(),
                       {"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    body = json.loads(response.read() or b"null")
    connection.close()
    return response.status, body


def _media(path: str) -> dict:
    return {"action": "persistMedia", "params": {"asset": {"path": path, "encoding": "base64",
                                                          "content": base64.b64encode(b"data").decode()}}}


def test_the_back_end_reads_and_writes_content_and_static(served):
    site, port, _ = served
    status, info = _post(port, {"action": "info"})
    assert status == 200 and info["type"] == "local_fs" and info["publish_modes"] == ["simple"]
    status, entries = _post(port, {"action": "entriesByFolder",
                                   "params": {"folder": "content", "extension": "md", "depth": 3}})
    assert status == 200 and [e["file"]["path"] for e in entries] == ["content/2026/11/a.md"]
    assert _post(port, _media("static/images/baru.jpg"))[0] == 200
    assert (site / "static/images/baru.jpg").read_bytes() == b"data"
    status, media = _post(port, {"action": "getMedia", "params": {"mediaFolder": "static/images"}})
    assert sorted(m["name"] for m in media) == ["baru.jpg", "logo.png"]


@pytest.mark.parametrize("path", ["../outside/x.txt", "content/../humasgen.toml", "/etc/x.txt", "/tmp/x.txt",
                                  "humasgen.toml", "output/index.html", "themes/x/templates/base.html",
                                  "content\\..\\x.md", "content//x.md", "content/./x.md", "", "C:/x.txt"])
def test_the_back_end_refuses_paths_outside_content_and_static(served, path):
    site, port, outside = served
    before = sorted(p.name for p in site.rglob("*"))
    for payload in (_media(path),
                    {"action": "persistEntry", "params": {"dataFiles": [{"path": path, "raw": "x"}], "assets": []}},
                    {"action": "deleteFile", "params": {"path": path}},
                    {"action": "getMediaFile", "params": {"path": path}},
                    {"action": "getEntry", "params": {"path": path}}):
        status, body = _post(port, payload)
        assert status in (400, 403), (payload["action"], status, body)
        assert "error" in body
    assert sorted(p.name for p in site.rglob("*")) == before
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_the_back_end_does_not_follow_symbolic_links(served):
    site, port, outside = served
    for payload in (_media("content/keluar/x.md"), _media("static/rahasia.txt"),
                    {"action": "getMediaFile", "params": {"path": "static/rahasia.txt"}},
                    {"action": "deleteFile", "params": {"path": "content/keluar/secret.txt"}},
                    {"action": "entriesByFolder", "params": {"folder": "content/keluar", "extension": "txt",
                                                             "depth": 1}}):
        status, body = _post(port, payload)
        assert status == 403 and "symbolic links" in body["error"], (payload, body)
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_text() == "rahasia"
    # Listing content/ skips the link too.
    status, entries = _post(port, {"action": "entriesByFolder",
                                   "params": {"folder": "content", "extension": "", "depth": 5}})
    assert [e["file"]["path"] for e in entries] == ["content/2026/11/a.md"]


def test_a_release_humasgen_cannot_read_is_not_saved(served):
    site, port, _ = served
    raw = "---\ntitle: Judul\ndate: kemarin sore\n---\nIsi.\n"
    status, body = _post(port, {"action": "persistEntry", "params": {
        "dataFiles": [{"path": "content/2026/11/b.md", "raw": raw}],
        "assets": [{"path": "static/images/b.jpg", "encoding": "base64", "content": ""}]}})
    assert status == 422 and "content/2026/11/b.md:3: error: cannot read the date 'kemarin sore'" in body["error"]
    assert not (site / "content/2026/11/b.md").exists() and not (site / "static/images/b.jpg").exists()


def test_the_back_end_refuses_other_pages_and_hosts(served):
    site, port, _ = served
    status, body = _post(port, _media("static/images/x.jpg"), headers={"Origin": "https://jahat.example"})
    assert status == 403 and "other web pages" in body["error"]
    status, body = _post(port, _media("static/images/x.jpg"), headers={"Host": f"jahat.example:{port}"})
    assert status == 403 and "Host" in body["error"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", API, json.dumps(_media("static/images/x.jpg")), {"Content-Type": "text/plain"})
    assert connection.getresponse().status == 403
    assert not (site / "static/images/x.jpg").exists()


def test_serve_binds_loopback_and_refuses_writes_elsewhere(make_site):
    site = make_site({"content/a.md": release("Harga Pangan Stabil Menjelang Akhir Tahun")})
    server, watcher, url = serve.start(site, port=0, clock=lambda: NOW, debounce=0.05)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        serve.stop(server, watcher)
    server, watcher, url = serve.start(site, "0.0.0.0", 0, clock=lambda: NOW, debounce=0.05)
    try:
        status, body = _post(server.server_address[1], _media("static/images/x.jpg"))
        assert status == 403 and "127.0.0.1" in body["error"]
        assert not (site / "static/images/x.jpg").exists()
    finally:
        serve.stop(server, watcher)


def test_serve_offers_the_editor_with_a_live_config(served):
    site, port, _ = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/admin/config.yml")
    config = yaml.safe_load(connection.getresponse().read())
    assert config["local_backend"] == {"url": f"http://127.0.0.1:{port}{API}"}
    connection.request("GET", "/admin/vendor/decap-cms/decap-cms.js")
    response = connection.getresponse()
    assert response.status == 200 and len(response.read()) > 1_000_000
    connection.request("GET", "/admin/../humasgen.toml")
    assert connection.getresponse().status == 404


# -- humasgen editor, init and the build --------------------------------------------------------

def test_editor_command_writes_admin_and_the_build_publishes_it_only_when_configured(make_site, cli, build_site):
    site = make_site({"content/a.md": release("Harga Pangan Stabil Menjelang Akhir Tahun", category="Ekonomi")})
    result = cli("editor", "--site", str(site))
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "admin/config.yml").read_text())
    assert "local_backend" not in config and config["backend"]["name"] == "github"
    assert config["collections"][0]["fields"][4]["options"] == ["Ekonomi"]
    assert (site / "admin/vendor/decap-cms/decap-cms.js").is_file()
    assert "MIT License" in (site / "admin/vendor/LICENSE").read_text()
    assert (site / "admin/vendor/decap-cms/decap-cms.js.LICENSE.txt").is_file()
    build_site(site)
    assert not (site / "output/admin").exists()

    (site / "humasgen.toml").write_text(BASIC_CONFIG + '\n[editor]\npublish = true\nbackend = "gitlab"\n'
                                        'repo = "humas/situs"\nbase_url = "https://gitlab.example.go.id"\n'
                                        'app_id = "4f1c"\n')
    assert cli("editor", "--site", str(site)).exit_code == 0
    build_site(site)
    published = yaml.safe_load((site / "output/admin/config.yml").read_text())
    assert published["backend"] == {**published["backend"], "name": "gitlab", "repo": "humas/situs",
                                    "auth_type": "pkce", "app_id": "4f1c",
                                    "base_url": "https://gitlab.example.go.id",
                                    "api_root": "https://gitlab.example.go.id/api/v4"}
    assert published["publish_mode"] == "editorial_workflow"
    assert (site / "output/admin/vendor/decap-cms/decap-cms.js").is_file()


def test_publishing_without_admin_is_an_error_that_says_what_to_run(make_site, cli):
    site = make_site({"content/a.md": release("Harga Pangan Stabil Menjelang Akhir Tahun")},
                     config=BASIC_CONFIG + "\n[editor]\npublish = true\n")
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml: error: [editor] publish = true, but the site has no admin/ folder" in result.output
    assert "run 'humasgen editor'" in result.output
    assert not (site / "output").exists()


def test_init_writes_the_editor(tmp_path, cli):
    result = cli("init", str(tmp_path / "situs"), "--timezone", "WIB")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "situs/admin/index.html").is_file() and (tmp_path / "situs/admin/config.yml").is_file()


def test_an_unknown_editor_back_end_is_an_error(make_site):
    site = make_site(config=BASIC_CONFIG + '\n[editor]\nbackend = "bitbucket"\n')
    with pytest.raises(HumasgenError) as caught:
        config_mod.load(site)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.line == 6 and "unknown editor back end 'bitbucket'" in diagnostic.message


def test_the_wheel_carries_the_editor_bundle_and_its_licence(tmp_path):
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
                   cwd=root, check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"humasgen/editor/vendor/decap-cms/decap-cms.js", "humasgen/editor/vendor/LICENSE",
            "humasgen/editor/vendor/decap-cms/decap-cms.js.LICENSE.txt",
            "humasgen/editor/assets/humasgen-editor.js"} <= names
