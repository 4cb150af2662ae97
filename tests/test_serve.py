"""`humasgen serve`: a real server on 127.0.0.1, real HTTP requests, real file watching."""
from __future__ import annotations

import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from conftest import NOW, release

from humasgen import build, content, outputs, render, serve

WAIT = 20.0      # liveness cap for "eventually" checks; never an assertion about speed


def png_bytes() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def three_releases() -> dict[str, str | bytes]:
    common = dict(category="Kesehatan", unit="'Dinas Kesehatan'", tags="[imunisasi, posyandu]")
    return {
        "content/2026/11/campak.md": release("Imunisasi Campak Serentak", "2026-11-18 09:00",
                                             "Isi campak.", slug="imunisasi-campak-serentak", **common),
        "content/2026/11/posyandu.md": release("Posyandu Digital di 40 Desa", "2026-11-17 09:00",
                                               "Isi posyandu.", **common),
        "content/2026/11/stunting.md": release("Penurunan Stunting Dipercepat", "2026-11-16 09:00",
                                               "Isi stunting.", **common),
        "content/2026/11/draf.md": release("Rancangan Rilis Rahasia", "2026-11-19 10:00", draft="true"),
        "content/2027/01/terjadwal.md": release("Rilis Tahun Baru", "2027-01-02 09:00"),
        "static/images/foto.png": png_bytes(),
    }


def feed_titles(text: str, path: str) -> list[str]:
    """Entry titles of an RSS/Atom feed (feedparser) or a JSON Feed."""
    if path.endswith(".json"):
        return [item["title"] for item in json.loads(text)["items"]]
    return [entry.title for entry in feedparser.parse(text).entries]


class Client:
    def __init__(self, url: str, preview: serve.Preview):
        self.url = url
        self.preview = preview
        host, port = url.removeprefix("http://").rsplit(":", 1)
        self.host, self.port = host, int(port)

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
        """Send `path` exactly as given (no client-side normalisation of '..' or '%2e')."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body.decode("utf-8", "replace")
        finally:
            connection.close()

    def text(self, path: str) -> str:
        return self.get(path)[2]

    def eventually(self, path: str, check, what: str) -> str:
        """The body of `path` once check(body) holds (the watcher and debounce take a moment)."""
        deadline = time.monotonic() + WAIT
        body = ""
        while time.monotonic() < deadline:
            body = self.text(path)
            if check(body):
                return body
            time.sleep(0.05)
        pytest.fail(f"{path}: never saw {what}; last body:\n{body[:2000]}")


@pytest.fixture
def served(make_site):
    started = []

    def start(files: dict[str, str | bytes] | None = None, prepare=None, poll: bool = False) -> tuple[Client, Path]:
        site = make_site(files or three_releases())
        if prepare:
            prepare(site)
        server, watcher, url = serve.start(site, "127.0.0.1", 0, clock=lambda: NOW, debounce=0.05, poll=poll)
        started.append((server, watcher))
        return Client(url, server.preview), site
    yield start
    for server, watcher in started:
        serve.stop(server, watcher)


RELEASE = "/2026/11/imunisasi-campak-serentak/"
FEEDS = ("/feed.xml", "/atom.xml", "/feed.json", "/kategori/kesehatan/feed.xml", "/unit/dinas-kesehatan/atom.xml")


def test_serves_pages_with_correct_types_and_the_reload_script(served):
    client, site = served()
    status, headers, body = client.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "Imunisasi Campak Serentak" in body and serve.EVENTS_PATH in body
    status, headers, body = client.get(RELEASE)
    assert status == 200 and "<h1>Imunisasi Campak Serentak</h1>" in body
    assert client.get("/css/style.css")[1]["content-type"].startswith("text/css")
    status, headers, _ = client.get("/images/foto.png")
    assert status == 200 and headers["content-type"] == "image/png"
    status, headers, body = client.get("/manifest.json")
    assert status == 200 and headers["content-type"] == "application/json" and "Imunisasi Campak" in body
    loaded = client.preview.snapshot.loaded
    generated = outputs.all_generated(loaded.site, render.plan(loaded.site, loaded.theme_key), loaded.static)
    assert {"feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt"} <= set(generated)
    for path in generated:
        status, headers, _ = client.get("/" + path)
        assert status == 200, path
        if path.endswith(".xml"):
            assert headers["content-type"] == "application/xml; charset=utf-8", path
        if path.endswith(".json"):
            assert headers["content-type"] == "application/json", path
    assert feedparser.parse(client.text("/feed.xml")).version == "rss20"
    assert feedparser.parse(client.text("/atom.xml")).version == "atom10"
    assert client.get("/robots.txt")[1]["content-type"] == "text/plain; charset=utf-8"
    status, headers, body = client.get("/kategori/kesehatan")
    assert status == 301 and headers["location"] == "/kategori/kesehatan/"
    assert client.get("/", method="HEAD")[0] == 200


def test_preview_shows_drafts_and_scheduled_releases_with_banners(served):
    client, _ = served()
    draft = client.text("/2026/11/rancangan-rilis-rahasia/")
    assert "preview-banner draft" in draft and "DRAF" in draft
    scheduled = client.text("/2027/01/rilis-tahun-baru/")
    assert "preview-banner scheduled" in scheduled and "TERJADWAL" in scheduled
    assert "Rancangan Rilis Rahasia" in client.text("/")
    assert "preview-banner" not in client.text(RELEASE)


def test_unknown_paths_get_the_themes_404_page(served):
    client, _ = served()
    status, headers, body = client.get("/tidak/ada/")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert "Halaman tidak ditemukan" in body


@pytest.mark.parametrize("path", [
    "/../humasgen.toml",
    "/../../../../etc/passwd",
    "/css/../../humasgen.toml",
    "/%2e%2e/humasgen.toml",
    "/%2E%2E/%2e%2e/etc/passwd",
    "/css/%2e%2e/%2e%2e/humasgen.toml",
    "/..%2fhumasgen.toml",
    "/css%2f..%2f..%2fhumasgen.toml",
    "/%252e%252e/humasgen.toml",
    "/..%5chumasgen.toml",
    "/..\\humasgen.toml",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/../humasgen.toml",
    "/humasgen.toml",
    "/content/2026/11/campak.md",
    "/./humasgen.toml",
    "/%00../humasgen.toml",
])
def test_traversal_attempts_get_404(served, path):
    client, site = served()
    status, _, body = client.get(path)
    assert status == 404 and "Halaman tidak ditemukan" in body      # the theme's 404 page
    assert "base_url" not in body and "root:" not in body and "Isi campak." not in body


def test_symlinks_out_of_the_site_get_404(served, tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA SANDI RAHASIA")
    outside = tmp_path / "luar"
    outside.mkdir()
    (outside / "dalam.txt").write_text("KATA SANDI RAHASIA")
    files = three_releases()
    files["static/ok.txt"] = "boleh"

    def links(site: Path) -> None:
        (site / "static" / "bocor.txt").symlink_to(secret)
        (site / "static" / "folder").symlink_to(outside, target_is_directory=True)
    client, site = served(files, prepare=links)
    # A link out of the site is an error in every command (as in `build`): the preview shows it.
    status, _, body = client.get("/")
    assert status == 500 and "static/bocor.txt" in body and "outside the site folder" in body
    for path in ("/bocor.txt", "/folder/dalam.txt"):
        status, _, body = client.get(path)
        assert "RAHASIA" not in body, path
    (site / "static" / "bocor.txt").unlink()
    (site / "static" / "folder").unlink()
    client.eventually("/ok.txt", lambda body: body == "boleh", "the preview once the links are gone")
    for path in ("/bocor.txt", "/folder/dalam.txt"):
        status, _, body = client.get(path)
        assert status == 404 and "RAHASIA" not in body, path
    status, headers, body = client.get("/ok.txt")
    assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8" and body == "boleh"


def test_a_new_title_shows_on_every_page_that_lists_the_release(served):
    client, site = served()
    before = {path: client.text(path) for path in (
        RELEASE, "/", "/kategori/kesehatan/", "/tag/imunisasi/", "/unit/dinas-kesehatan/",
        "/2026/11/posyandu-digital-di-40-desa/", "/arsip/2026/11/")}
    assert all("Imunisasi Campak Serentak" in body for body in before.values()), \
        [p for p, b in before.items() if "Imunisasi Campak Serentak" not in b]
    path = site / "content/2026/11/campak.md"
    path.write_text(path.read_text().replace("Imunisasi Campak Serentak", "Imunisasi Campak Diperluas"))
    client.eventually(RELEASE, lambda body: "<h1>Imunisasi Campak Diperluas</h1>" in body, "the new title")
    for page in before:
        body = client.text(page)
        assert "Imunisasi Campak Diperluas" in body, page
        assert "Imunisasi Campak Serentak" not in body, page
    related = client.text("/2026/11/posyandu-digital-di-40-desa/").split('class="related"', 1)[1]
    assert "Imunisasi Campak Diperluas" in related
    assert "Imunisasi Campak Diperluas" in client.text("/manifest.json")
    for feed in FEEDS:
        titles = feed_titles(client.text(feed), feed)
        assert "Imunisasi Campak Diperluas" in titles and "Imunisasi Campak Serentak" not in titles, feed


def test_a_deleted_release_disappears_from_every_list(served):
    client, site = served()
    lists = ("/", "/kategori/kesehatan/", "/tag/posyandu/", "/unit/dinas-kesehatan/",
             "/2026/11/imunisasi-campak-serentak/", "/arsip/2026/11/", "/manifest.json")
    assert all("Posyandu Digital" in client.text(p) for p in lists)
    assert all("posyandu-digital" in client.text(feed) for feed in FEEDS + ("/sitemap.xml",))
    (site / "content/2026/11/posyandu.md").unlink()
    client.eventually("/", lambda body: "Posyandu Digital" not in body, "the release gone")
    for page in lists + FEEDS + ("/sitemap.xml",):
        assert "Posyandu Digital" not in client.text(page), page
        assert "posyandu-digital" not in client.text(page), page
    assert client.get("/2026/11/posyandu-digital-di-40-desa/")[0] == 404


def test_an_editor_style_save_is_followed(served):
    """Write a temp file, rename it over the release: one update, the new text."""
    client, site = served()
    path = site / "content/2026/11/campak.md"
    temp = path.with_name(".campak.md.swp")
    temp.write_text(path.read_text().replace("Isi campak.", "Isi baru setelah rename."))
    os.replace(temp, path)
    client.eventually(RELEASE, lambda body: "Isi baru setelah rename." in body, "the renamed file's text")


def test_the_polling_watcher_follows_edits_too(served):
    """--poll: for Docker volumes and network drives, where inotify sees nothing."""
    client, site = served(poll=True)
    assert client.preview.snapshot is not None
    path = site / "content/2026/11/campak.md"
    path.write_text(path.read_text().replace("Isi campak.", "Isi lewat polling."))
    client.eventually(RELEASE, lambda body: "Isi lewat polling." in body, "the polled edit")
    (site / "content/2026/11/stunting.md").unlink()
    client.eventually("/", lambda body: "Penurunan Stunting" not in body, "the polled deletion")


def test_a_new_release_and_a_new_folder_appear(served):
    client, site = served()
    folder = site / "content/2026/12"
    folder.mkdir()
    (folder / "baru.md").write_text(release("Rilis Desember", "2026-11-19 11:00", category="Kesehatan"))
    client.eventually("/", lambda body: "Rilis Desember" in body, "the new release")
    assert "Rilis Desember" in client.text("/kategori/kesehatan/")


def test_broken_front_matter_shows_an_error_page_and_recovers(served):
    client, site = served()
    path = site / "content/2026/11/campak.md"
    good = path.read_text()
    path.write_text(good.replace("category: Kesehatan", "category: [Kesehatan"))
    error = client.eventually(RELEASE, lambda body: "humasgen-error" in body, "the error page")
    assert re.search(r"content/2026/11/campak\.md:\d+</code>: front matter is not valid YAML", error)
    assert serve.EVENTS_PATH in error        # so the browser recovers by itself
    status, _, other = client.get("/kategori/kesehatan/")
    assert status == 500 and "content/2026/11/campak.md:" in other
    assert client.get("/css/style.css")[0] == 200
    path.write_text(good.replace("Imunisasi Campak Serentak", "Imunisasi Campak Pulih"))
    client.eventually(RELEASE, lambda body: "<h1>Imunisasi Campak Pulih</h1>" in body, "the page back")


def test_unknown_key_error_names_the_line(served):
    client, site = served()
    path = site / "content/2026/11/campak.md"
    path.write_text(path.read_text().replace("category:", "kategory:"))
    error = client.eventually("/", lambda body: "humasgen-error" in body, "the error page")
    assert "content/2026/11/campak.md:5</code>: unknown front matter key" in error
    assert "did you mean" in error


def test_template_and_config_errors_do_not_stop_the_server(served):
    client, site = served(prepare=lambda site: (site / "themes/default/templates").mkdir(parents=True))
    templates = site / "themes/default/templates"
    (templates / "home.html").write_text('{% extends "base.html" %}{% block main %}{{ page.nope( }}{% endblock %}')
    error = client.eventually("/", lambda body: "humasgen-error" in body, "the template error")
    assert "template syntax error" in error and "home.html:1" in error
    assert "<h1>Imunisasi Campak Serentak</h1>" in client.text(RELEASE)   # other pages still render
    (templates / "home.html").write_text('{% extends "base.html" %}{% block main %}<p>BERANDA BARU</p>{% endblock %}')
    client.eventually("/", lambda body: "BERANDA BARU" in body, "the fixed template")
    toml = site / "humasgen.toml"
    good = toml.read_text()
    toml.write_text(good + "\ntitel = 'x'\n")
    error = client.eventually("/", lambda body: "humasgen-error" in body, "the config error")
    assert "humasgen.toml" in error and "titel" in error
    toml.write_text(good.replace("Diskominfo Provinsi Uji", "Diskominfo Provinsi Baru"))
    client.eventually("/", lambda body: "Diskominfo Provinsi Baru" in body, "the new site title")


def test_reload_events_announce_each_update(served):
    client, site = served()
    connection = http.client.HTTPConnection(client.host, client.port, timeout=WAIT)
    connection.request("GET", serve.EVENTS_PATH)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_version() -> str:
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                return line[6:].strip()
    first = next_version()
    assert first == client.preview.snapshot.version
    assert f'var version = "{first}"' in client.text("/")
    path = site / "content/2026/11/campak.md"
    path.write_text(path.read_text().replace("Isi campak.", "Isi kedua."))
    second = next_version()
    assert second != first
    assert "Isi kedua." in client.text(RELEASE)
    connection.close()


def test_serve_never_writes_output_and_build_has_no_reload_script(served, build_site):
    client, site = served()
    path = site / "content/2026/11/campak.md"
    path.write_text(path.read_text().replace("Isi campak.", "Isi lain."))
    client.eventually(RELEASE, lambda body: "Isi lain." in body, "the edit")
    assert not (site / "output").exists()
    build_site(site)
    for page in (site / "output").rglob("*.html"):
        text = page.read_text()
        assert "EventSource" not in text and serve.EVENTS_PATH not in text, page


def test_router_finds_the_same_pages_as_the_plan(make_site):
    files = three_releases()
    files.update({f"content/2026/10/r{i}.md": release(f"Rilis Oktober {i}", f"2026-10-{i + 1:02d} 08:00",
                                                       tags=f"[tag{i % 3}]", category="Ekonomi")
                  for i in range(25)})
    site = make_site(files)
    loaded = build.load_site(site, NOW, drafts=True, future=True, preview=True)
    router = render.router(loaded.site, loaded.theme_key)
    pages = render.plan(loaded.site, loaded.theme_key)
    assert any(p.pagination and p.pagination.number > 1 for p in pages)
    for page in pages:
        assert router.page(page.path) == page, page.path
    for path in ("halaman/1/index.html", "halaman/99/index.html", "halaman/02/index.html", "nope/index.html",
                 "2026/index.html", "kategori/ekonomi/halaman/0/index.html", "xindex.html"):
        assert router.page(path) is None, path


def test_content_memo_follows_edits_additions_and_deletions(make_site):
    site = make_site(three_releases())
    settings = content.Settings("Asia/Makassar", "id", "/{year}/{month}/{slug}/")
    memo = content.Memo()
    first, problems = content.load(site, settings, memo=memo)
    assert len(first) == 5 and not problems and memo.complete
    (site / "content/2026/11/campak.md").write_text(release("Judul Baru", "2026-11-18 09:00"))
    (site / "content/2026/11/stunting.md").unlink()
    (site / "content/2026/11/baru.md").write_text(release("Rilis Tambahan"))
    (site / "content/2026/11/rusak.md").write_text("---\ntitle: [\n---\n")
    memo.mark({"content/2026/11/campak.md", "content/2026/11/stunting.md", "content/2026/11/baru.md",
               "content/2026/11/rusak.md"})
    releases, problems = content.load(site, settings, memo=memo)
    fresh, fresh_problems = content.load(site, settings)
    assert releases == fresh and problems == fresh_problems
    assert {r.title for r in releases} >= {"Judul Baru", "Rilis Tambahan"}
    assert [p.path for p in problems] == ["content/2026/11/rusak.md"]
    again, problems_again = content.load(site, settings, memo=memo)      # broken file still reported
    assert again == fresh and problems_again == fresh_problems
    memo.mark(None)
    assert content.load(site, settings, memo=memo) == (fresh, fresh_problems)


def test_site_path_refuses_anything_outside():
    assert serve.site_path("/") == "index.html"
    assert serve.site_path("/a/b/?x=1") == "a/b/index.html"
    assert serve.site_path("/images/foto%20baru.png") == "images/foto baru.png"
    for bad in ("/../x", "/a/%2e%2e/x", "/a%2fb", "//x", "x", "/a/./b", "/a\\b", "/%00", "http://h/x"):
        assert serve.site_path(bad) is None, bad


def test_port_in_use_is_a_one_line_error(cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"port {port} on 127.0.0.1 is already in use" in lines[0]


def test_other_hosts_get_a_warning(cli):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--host", "0.0.0.0", "--port", str(port))
    assert result.exit_code == 1
    assert "warning: listening on 0.0.0.0" in result.output and "already in use" in result.output


def test_ctrl_c_stops_cleanly_and_port_0_prints_the_url(make_site):
    site = make_site(three_releases())
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen([sys.executable, "-m", "humasgen", "serve", "--site", str(site), "--port", "0"],
                               cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match and int(match[1]) > 0, line
        client = Client(f"http://127.0.0.1:{match[1]}", None)
        assert "Imunisasi Campak Serentak" in client.text("/")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Stopped." in err


HOOKS = '''
import humasgen


@humasgen.hookimpl
def page_context(page, site):
    return {"catatan": "%s"}
'''


def test_hooks_py_is_followed_and_its_errors_shown(served):
    def prepare(site: Path) -> None:
        templates = site / "themes/default/templates"
        templates.mkdir(parents=True)
        (templates / "home.html").write_text(
            '{% extends "base.html" %}{% block main %}<p id="catatan">{{ catatan }}</p>{% endblock %}')
        (site / "hooks.py").write_text(HOOKS % "DARI HOOK SATU")
    client, site = served(prepare=prepare)
    assert '<p id="catatan">DARI HOOK SATU</p>' in client.text("/")
    (site / "hooks.py").write_text(HOOKS % "DARI HOOK DUA")
    client.eventually("/", lambda body: "DARI HOOK DUA" in body, "the edited hook's value")
    (site / "hooks.py").write_text("import humasgen\n\ndef rusak(:\n")
    error = client.eventually("/", lambda body: "humasgen-error" in body, "the hook error")
    assert "hooks.py" in error
    (site / "hooks.py").write_text(HOOKS % "DARI HOOK TIGA")
    client.eventually("/", lambda body: "DARI HOOK TIGA" in body, "the fixed hook")
