"""`humasgen ping` against a real HTTP receiver on 127.0.0.1 (a stand-in WebSub hub and IndexNow API)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from conftest import BASIC_CONFIG, release
from humasgen import config as config_mod, ping

BASE = "https://uji.example.go.id"
KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


class Receiver:
    """Records every POST; answers with the status set for its path (default 204 hub, 200 IndexNow)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status: dict[str, int] = {}
        self.delay: dict[str, float] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "type": self.headers.get("Content-Type"),
                                          "agent": self.headers.get("User-Agent"), "body": body})
                time.sleep(receiver.delay.get(self.path, 0))
                status = receiver.status.get(self.path, 204 if self.path == "/hub" else 200)
                payload = b"" if status == 204 else b"key not found" if status >= 400 else b"ok"
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass            # the client gave up (timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def hub_topics(self) -> list[str]:
        topics = []
        for r in self.requests:
            if r["path"] == "/hub":
                form = parse_qs(r["body"].decode())
                assert form["hub.mode"] == ["publish"]
                topics += form["hub.url"]
        return sorted(topics)

    def indexnow(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests if r["path"] == "/indexnow"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def ping_config(receiver: Receiver, timeout: int = 5) -> str:
    return BASIC_CONFIG + (f'[feeds]\nhub = "{receiver.url}/hub"\nindexnow_key = "{KEY}"\n'
                           f'indexnow_endpoint = "{receiver.url}/indexnow"\ntimeout = {timeout}\n')


@pytest.fixture
def site(make_site, receiver):
    files = {
        "content/a.md": release("Rilis A", "2026-11-10 09:00", category="Ekonomi"),
        "content/b.md": release("Rilis B", "2026-11-11 09:00", category="Kesehatan"),
    }
    return make_site(files, ping_config(receiver))


def test_first_ping_records_and_later_pings_send_only_changes(site, receiver, build_site, cli):
    build_site(site)
    first = cli("ping", "--site", str(site))
    assert first.exit_code == 0, first.output
    assert "First ping" in first.output and receiver.requests == []

    (site / "content" / "b.md").write_text(release("Rilis B Diperbarui", "2026-11-11 09:00", category="Kesehatan",
                                                   slug="rilis-b"), encoding="utf-8")
    (site / "content" / "c.md").write_text(release("Rilis C", "2026-11-12 09:00", category="Kesehatan"),
                                           encoding="utf-8")
    build_site(site)
    second = cli("ping", "--site", str(site))
    assert second.exit_code == 0, second.output
    assert receiver.hub_topics() == sorted([f"{BASE}/feed.xml", f"{BASE}/atom.xml", f"{BASE}/feed.json",
                                            f"{BASE}/kategori/kesehatan/feed.xml",
                                            f"{BASE}/kategori/kesehatan/atom.xml"])    # not Ekonomi's
    [submission] = receiver.indexnow()
    assert submission == {"host": "uji.example.go.id", "key": KEY, "keyLocation": f"{BASE}/{KEY}.txt",
                          "urlList": [f"{BASE}/2026/11/rilis-b/", f"{BASE}/2026/11/rilis-c/"]}
    indexnow_request = [r for r in receiver.requests if r["path"] == "/indexnow"][0]
    assert indexnow_request["type"] == "application/json; charset=utf-8"
    assert indexnow_request["agent"].startswith("humasgen/")
    assert "WebSub: announced 5 feed(s)" in second.output
    assert "IndexNow: submitted 2 URL(s) in 1 request(s)" in second.output

    receiver.requests.clear()
    third = cli("ping", "--site", str(site))
    assert third.exit_code == 0 and "Nothing changed" in third.output
    assert receiver.requests == []


def test_removed_and_moved_releases_are_submitted(site, receiver, build_site, cli):
    build_site(site)
    cli("ping", "--site", str(site))
    (site / "content" / "a.md").unlink()
    (site / "content" / "b.md").write_text(release("Rilis B", "2026-11-11 09:00", category="Kesehatan",
                                                   slug="rilis-b-baru"), encoding="utf-8")
    build_site(site)
    assert cli("ping", "--site", str(site)).exit_code == 0
    [submission] = receiver.indexnow()
    assert submission["urlList"] == [f"{BASE}/2026/11/rilis-a/", f"{BASE}/2026/11/rilis-b-baru/",
                                     f"{BASE}/2026/11/rilis-b/"]


def test_all_and_dry_run(site, receiver, build_site, cli):
    build_site(site)
    dry = cli("ping", "--site", str(site), "--all", "--dry-run")
    assert dry.exit_code == 0 and receiver.requests == []
    assert f"IndexNow: {BASE}/2026/11/rilis-a/" in dry.output
    assert "Dry run: 7 feed(s), 2 URL(s); nothing sent." in dry.output
    result = cli("ping", "--site", str(site), "--all")
    assert result.exit_code == 0, result.output
    assert len(receiver.hub_topics()) == 7            # site RSS/Atom/JSON + 2 categories x 2
    assert receiver.indexnow()[0]["urlList"] == [f"{BASE}/2026/11/rilis-a/", f"{BASE}/2026/11/rilis-b/"]


def test_previous_manifest_as_baseline(site, receiver, build_site, cli, tmp_path):
    build_site(site)
    saved = tmp_path / "deployed-manifest.json"
    saved.write_bytes((site / "output" / "manifest.json").read_bytes())
    (site / "content" / "c.md").write_text(release("Rilis C", "2026-11-12 09:00"), encoding="utf-8")
    build_site(site)
    result = cli("ping", "--site", str(site), "--previous", str(saved))
    assert result.exit_code == 0, result.output
    assert receiver.indexnow()[0]["urlList"] == [f"{BASE}/2026/11/rilis-c/"]
    assert f"{BASE}/feed.xml" in receiver.hub_topics()


def test_rejected_key_fails_clearly_and_is_retried(site, receiver, build_site, cli):
    build_site(site)
    receiver.status["/indexnow"] = 403
    result = cli("ping", "--site", str(site), "--all")
    assert result.exit_code == 1
    assert (f"{receiver.url}/indexnow: error: IndexNow submission of 2 URLs failed: HTTP 403, "
            "the key was not accepted (key not found)") in result.output
    assert f"{BASE}/{KEY}.txt is online" in result.output
    assert "Traceback" not in result.output
    receiver.status.clear()
    receiver.requests.clear()
    (site / "content" / "c.md").write_text(release("Rilis C", "2026-11-12 09:00"), encoding="utf-8")
    build_site(site)
    # The failed ping saved nothing: this first successful one has no baseline yet.
    assert "First ping" in cli("ping", "--site", str(site)).output


def test_timeout_and_unreachable_hub(make_site, receiver, build_site, cli):
    site = make_site({"content/a.md": release("Rilis A")}, ping_config(receiver, timeout=1))
    build_site(site)
    receiver.delay["/hub"] = 3
    result = cli("ping", "--site", str(site), "--all")
    assert result.exit_code == 1
    assert "WebSub publish of https://uji.example.go.id/feed.xml failed: no answer within 1 s" in result.output

    config = (site / "humasgen.toml").read_text().replace(f'hub = "{receiver.url}/hub"', 'hub = "http://127.0.0.1:9/hub"')
    (site / "humasgen.toml").write_text(config)
    build_site(site)
    result = cli("ping", "--site", str(site), "--all")
    assert result.exit_code == 1
    assert "http://127.0.0.1:9/hub: error: WebSub publish of" in result.output
    assert "Connection refused" in result.output


def test_indexnow_batches_of_ten_thousand(tmp_path, receiver):
    """10,001 changed URLs go in two requests (a hand-made output folder: building 10,001 pages adds nothing)."""
    site, output = tmp_path / "site", tmp_path / "site" / "output"
    output.mkdir(parents=True)
    releases = [{"id": f"r{i}", "url": f"{BASE}/rilis/{i:05d}/", "hash": "x"} for i in range(10_001)]
    (output / "manifest.json").write_text(json.dumps({"base_url": BASE, "releases": releases}))
    (output / f"{KEY}.txt").write_text(KEY)
    config = config_mod.Config(base_url=BASE, feeds=config_mod.FeedsConfig(
        indexnow_key=KEY, indexnow_endpoint=f"{receiver.url}/indexnow"))
    report = ping.run(config, site, output, everything=True)
    batches = receiver.indexnow()
    assert [len(b["urlList"]) for b in batches] == [10_000, 1]
    assert batches[1]["urlList"] == [f"{BASE}/rilis/10000/"]
    assert [s.count for s in report.sent] == [10_000, 1]


def test_nothing_configured_or_not_built(make_site, build_site, cli, receiver):
    site = make_site({"content/a.md": release("Rilis A")})
    build_site(site)
    result = cli("ping", "--site", str(site))
    assert result.exit_code == 1
    assert "nothing to ping: neither a WebSub hub nor an IndexNow key is set" in result.output
    (site / "humasgen.toml").write_text(ping_config(receiver))
    result = cli("ping", "--site", str(site), "--output", str(site / "nowhere"))
    assert result.exit_code == 1 and "no built site to ping" in result.output
    assert "run `humasgen build` (and deploy) first" in result.output


def test_urls_of_another_host_are_not_submitted():
    """After a move to a new domain the old URLs would make IndexNow refuse the whole batch (HTTP 422)."""
    before = ping.Snapshot("https://lama.example.go.id", {"a": ("https://lama.example.go.id/a/", "1")}, {})
    now = ping.Snapshot(BASE, {"a": (f"{BASE}/a/", "1")}, {"feed.xml": "x"})
    plan = ping.changes(now, before)
    assert plan.urls == (f"{BASE}/a/",)
    assert plan.feeds == (f"{BASE}/feed.xml",)


def test_preview_releases_are_not_submitted(site, receiver, build_site, cli):
    (site / "content" / "nanti.md").write_text(release("Rilis Terjadwal", "2026-12-01 09:00"), encoding="utf-8")
    build_site(site, future=True)
    result = cli("ping", "--site", str(site), "--all")
    assert result.exit_code == 0, result.output
    assert f"{BASE}/2026/12/rilis-terjadwal/" not in receiver.indexnow()[0]["urlList"]
    assert len(receiver.indexnow()[0]["urlList"]) == 2
