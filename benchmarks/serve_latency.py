"""How fast does `humasgen serve` follow a save? (a benchmark, not a test)

For the demo site (this repository) and generated 1,000- and 10,000-release sites:
save a release with a new title, then time
  - save -> reload event (the Server-Sent Event the browser reloads on), and
  - save -> first byte of the changed page (reload event + the request for the page),
each over several saves, through the real watcher (inotify, 100 ms debounce) and HTTP.

    python benchmarks/serve_latency.py [--sizes 1000,10000] [--saves 7] [--poll]
    python benchmarks/serve_latency.py --site DIR --source content/x.md --url /x/ --json   # one site (bench.py)
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from humasgen import serve  # noqa: E402

CATEGORIES = ["Pemerintahan", "Ekonomi", "Kesehatan", "Pendidikan", "Infrastruktur", "Sosial", "Budaya", "Lingkungan"]
UNITS = [f"Dinas {n}" for n in ("Kesehatan", "Pendidikan", "PUPR", "Sosial", "Perhubungan", "Pariwisata",
                                "Kominfo", "Pertanian", "Perikanan", "Koperasi dan UKM", "Lingkungan Hidup", "BPBD")]
TAGS = [f"topik {i}" for i in range(120)]
WORDS = ("pemerintah provinsi warga layanan program desa kota anggaran sekolah rumah sakit jalan jembatan "
         "bantuan bencana banjir pasar harga pangan petani nelayan pelatihan digital data terbuka").split()


def generate(site: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "humasgen.toml").write_text(
        'title = "Diskominfo Provinsi Uji Beban"\nbase_url = "https://uji.example.go.id"\n'
        'timezone = "Asia/Makassar"\n', encoding="utf-8")
    start = datetime(2026, 11, 20, 9, 0)
    for i in range(count):
        when = start - timedelta(hours=7 * i + rng.randint(0, 5))
        title = f"Rilis {i:05d}: " + " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
        tags = rng.sample(TAGS, 3)
        paras = ["\n".join(" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(4))
                 for _ in range(5)]
        body = "\n\n".join(paras)
        path = site / "content" / f"{when:%Y}" / f"{when:%m}" / f"rilis-{i:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: \"{title}\"\ndate: {when:%Y-%m-%d %H:%M}\nslug: rilis-{i:05d}\n"
            f"category: {rng.choice(CATEGORIES)}\nunit: {rng.choice(UNITS)}\n"
            f"tags: [{', '.join(tags)}]\nauthor: Penulis {rng.randint(1, 30)}\n---\n\n{body}\n",
            encoding="utf-8")
    return site


class Events:
    """Reads the reload event stream in a thread; records when each version arrives."""

    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=120)
        self.connection.request("GET", serve.EVENTS_PATH)
        self.response = self.connection.getresponse()
        self.arrived: list[tuple[str, float]] = []
        self.condition = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.response.fp:
                line = raw.decode()
                if line.startswith("data: "):
                    with self.condition:
                        self.arrived.append((line[6:].strip(), time.perf_counter()))
                        self.condition.notify_all()
        except (OSError, ValueError):
            return

    def wait_after(self, count: int, timeout: float = 120) -> float:
        with self.condition:
            self.condition.wait_for(lambda: len(self.arrived) > count, timeout)
            return self.arrived[count][1]


def first_byte(host: str, port: int, path: str, expect: str) -> tuple[float, bool]:
    connection = http.client.HTTPConnection(host, port, timeout=120)
    connection.request("GET", path)
    response = connection.getresponse()
    at = time.perf_counter()
    ok = expect in response.read().decode()
    connection.close()
    return at, ok


def measure(name: str, site: Path, source: Path, url_path: str, saves: int, poll: bool) -> dict:
    started = time.perf_counter()
    server, watcher, url = serve.start(site, "127.0.0.1", 0, poll=poll, jobs=2)
    load = time.perf_counter() - started
    host, port = url.removeprefix("http://").rsplit(":", 1)
    events = Events(host, int(port))
    events.wait_after(0)                       # the current version, sent on connect
    first_byte(host, int(port), url_path, "")  # warm: templates compiled, Babel loaded
    text = source.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    to_event, to_byte, updates, stale = [], [], [], 0
    for i in range(saves):
        time.sleep(0.5)                        # let the previous save settle
        count = len(events.arrived)
        new_title = f"Judul Uji Pratinjau {i}"
        saved = time.perf_counter()
        source.write_text(text.replace(title_line, f'title: "{new_title}"'), encoding="utf-8")
        event = events.wait_after(count)
        byte, ok = first_byte(host, int(port), url_path, new_title)
        stale += not ok
        to_event.append((event - saved) * 1000)
        to_byte.append((byte - saved) * 1000)
        updates.append(server.preview.snapshot.cpu_seconds * 1000)
    source.write_text(text, encoding="utf-8")
    events.connection.close()
    serve.stop(server, watcher)
    releases = len(server.preview.snapshot.loaded.site.releases)
    return dict(name=name, releases=releases, load=load, event=to_event, byte=to_byte, update=updates, stale=stale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="generated site sizes (comma separated)")
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--poll", action="store_true", help="use the polling observer")
    parser.add_argument("--site", type=Path, help="measure this site only (its cache as it is)")
    parser.add_argument("--source", help="with --site: the release file to save, relative to the site")
    parser.add_argument("--url", help="with --site: that release's page, e.g. /2026/11/judul/")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args()
    if args.site:
        if not (args.source and args.url):
            parser.error("--site needs --source and --url")
        row = measure(str(args.site), args.site.resolve(), args.site.resolve() / args.source, args.url,
                      args.saves, args.poll)
        print(json.dumps(row) if args.json else row)
        return
    work = Path(tempfile.mkdtemp(prefix="humasgen-serve-bench-"))
    rows = []
    try:
        demo = work / "demo"
        shutil.copytree(ROOT, demo, ignore=shutil.ignore_patterns(
            ".git", "output", ".humasgen", "tests", "benchmarks", "__pycache__", "*.egg-info"))
        source = demo / "content/2026/11/kesepakatan-rapbd-2027.md"
        rows.append(measure("demo", demo, source, "/2026/11/kesepakatan-rapbd-2027/", args.saves, args.poll))
        for size in (int(s) for s in args.sizes.split(",") if s):
            site = generate(work / f"site-{size}", size)
            path = site / "content" / "2026" / "11"
            source = sorted(path.glob("*.md"))[0]
            slug = source.stem
            rows.append(measure(f"{size:,} releases", site, source, f"/2026/11/{slug}/", args.saves, args.poll))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"{'site':<18}{'start':>9}{'update CPU':>17}{'save->reload event':>26}{'save->first byte':>24}")
    print(f"{'':<18}{'s':>9}{'ms':>17}{'median / max ms':>26}{'median / max ms':>24}")
    for row in rows:
        print(f"{row['name']:<18}{row['load']:>9.1f}{statistics.median(row['update']):>17.0f}"
              f"{statistics.median(row['event']):>17.0f} / {max(row['event']):>5.0f}"
              f"{statistics.median(row['byte']):>15.0f} / {max(row['byte']):>5.0f}"
              + (f"   ({row['stale']} stale!)" if row["stale"] else ""))
    print(f"\n{args.saves} saves each; watcher: {'polling' if args.poll else 'native'}, 100 ms debounce; "
          f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
