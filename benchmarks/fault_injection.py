"""Fault injection: kill builds, corrupt caches, fill the disk, build concurrently.

After every fault the next ordinary build must publish exactly what a clean build (a
copy of the same sources, no cache, no previous output) publishes, and every new
release must be announced exactly once. Prints what it tried and the outcome of each
step; exits 1 on the first difference.

    python benchmarks/fault_injection.py [--releases 40] [--kills 8] [--seed 1]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EPOCH = "1795176000"            # 2026-11-20 12:00 UTC: every run builds for the same "now"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
CONFIG = """title = "Diskominfo Provinsi Uji Gangguan"
base_url = "https://uji.example.go.id"

[hooks]
commands = ["echo $HUMASGEN_RELEASE_ID >> {log}"]
"""
CATEGORIES = ["Ekonomi", "Kesehatan", "Pendidikan", "Infrastruktur"]


def photo(seed: int) -> bytes:
    from PIL import Image
    rng = random.Random(seed)
    image = Image.new("RGB", (1400, 800), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(40):
        x, y = rng.randrange(1300), rng.randrange(700)
        image.paste(tuple(rng.randrange(256) for _ in range(3)), (x, y, x + 100, y + 100))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def release_text(number: int, rng: random.Random, edit: int = 0) -> str:
    day = 1 + number % 19
    image = f"image: /images/foto-{number % 3}.jpg\nimage_alt: Foto kegiatan {number}\n" if number % 4 == 0 else ""
    body = "\n\n".join(f"Paragraf {p} rilis nomor {number}, suntingan {edit}: pemerintah provinsi menyampaikan "
                       f"perkembangan program {rng.choice(CATEGORIES).lower()} kepada masyarakat." for p in range(4))
    return (f"---\ntitle: Rilis Nomor {number} Tentang Program Daerah\ndate: 2026-11-{day:02d} 09:{number % 60:02d}\n"
            f"category: {CATEGORIES[number % 4]}\ntags: [uji, t{number % 5}]\n{image}---\n{body}\n")


def make_site(root: Path, count: int, seed: int) -> Path:
    site = root / "site"
    rng = random.Random(seed)
    (site / "content").mkdir(parents=True)
    (site / "static" / "images").mkdir(parents=True)
    (site / "humasgen.toml").write_text(CONFIG.format(log=root / "announced.log"))
    for n in range(3):
        (site / "static" / "images" / f"foto-{n}.jpg").write_bytes(photo(seed + n))
    for n in range(count):
        (site / "content" / f"rilis-{n:03d}.md").write_text(release_text(n, rng))
    return site


def build(site: Path, *args: str, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "humasgen", "build", "--site", str(site), *args],
                          capture_output=True, text=True, env=ENV, preexec_fn=preexec)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def clean_tree(site: Path, scratch: Path) -> dict[str, bytes]:
    copy = scratch / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".output.*", ".humasgen", "social"))
    (copy / "humasgen.toml").write_text((site / "humasgen.toml").read_text().split("[hooks]")[0])
    done = build(copy)
    if done.returncode != 0:
        raise SystemExit(f"the clean build failed:\n{done.stderr}")
    return tree(copy / "output")


class Run:
    def __init__(self, root: Path, site: Path, rng: random.Random):
        self.root, self.site, self.rng = root, site, rng
        self.steps = 0
        self.new: list[str] = []                # ids of releases added: each announced exactly once
        self.counter = 1000

    def edit(self) -> str:
        """One newsroom edit: a new release, or a changed one."""
        if self.rng.random() < 0.5:
            self.counter += 1
            name = f"rilis-{self.counter}"
            (self.site / "content" / f"{name}.md").write_text(release_text(self.counter, self.rng))
            self.new.append(name)
            return f"added {name}"
        files = sorted((self.site / "content").glob("*.md"))
        path = self.rng.choice(files)
        number = int(path.stem.split("-")[1])
        path.write_text(release_text(number, self.rng, edit=self.rng.randrange(1, 10 ** 6)))
        return f"edited {path.stem}"

    def verify(self, what: str) -> None:
        done = build(self.site)
        self.steps += 1
        if done.returncode != 0 or "Traceback" in done.stderr:
            raise SystemExit(f"FAIL after {what}: the next build failed:\n{done.stderr}")
        if tree(self.site / "output") != clean_tree(self.site, self.root):
            raise SystemExit(f"FAIL after {what}: the output differs from a clean build")
        print(f"  ok: {what}; the next build equals a clean build")


def kills(run: Run, count: int) -> None:
    print(f"kill builds at random points ({count} times)")
    started = time.perf_counter()
    build(run.site)
    duration = max(0.5, time.perf_counter() - started)
    for _ in range(count):
        what = run.edit()
        delay = run.rng.uniform(0, duration)
        process = subprocess.Popen([sys.executable, "-m", "humasgen", "build", "--site", str(run.site)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV,
                                   start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        run.verify(f"{what}, build killed after {delay:.2f} s")


def corrupt_file(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(os.urandom(64))
    elif how == "empty":
        path.write_bytes(b"")
    else:                                       # valid JSON of the wrong shape
        try:
            doc = json.loads(data)
        except ValueError:
            path.write_bytes(b"[1, 2, 3]")
            return
        if isinstance(doc, dict):
            doc = {key: (1 if i % 2 else [None]) for i, key in enumerate(doc)}
        path.write_text(json.dumps(doc))


def caches(run: Run) -> None:
    print("corrupt each kind of cache file")
    cache = run.site / ".humasgen"
    kinds = {
        "parse cache shard": "releases/*.json", "image index": "images.json", "image entry": "images/*.json",
        "resized image": "images/*.jpg", "WebP image": "images/*.webp", "share card": "cards/*.jpg",
        "output record": "output-*.json", "related lists": "related.json", "pixel counts": "pixels.json",
    }
    for name, pattern in kinds.items():
        for how in ("truncate", "garbage", "empty", "shape"):
            if how == "shape" and not pattern.endswith(".json"):
                continue
            files = sorted(cache.glob(pattern))
            if not files:
                print(f"  (no {name} in the cache)")
                break
            for path in files:
                corrupt_file(path, how)
            run.verify(f"{name}: {how} ({len(files)} files)")


def full_disk(run: Run) -> None:
    print("fill the disk (ulimit -f) while building")
    for limit in (4_096, 65_536, 262_144):
        what = run.edit()
        (run.site / "static" / "images" / "foto-1.jpg").write_bytes(photo(run.rng.randrange(10 ** 6)))

        def small_disk(limit: int = limit) -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        before = tree(run.site / "output")
        done = build(run.site, preexec=small_disk)
        if done.returncode == 0:
            print(f"  (the build fit in {limit} bytes per file)")
        elif "Traceback" in done.stderr or tree(run.site / "output") != before:
            raise SystemExit(f"FAIL: a full disk ({limit} bytes) gave a traceback or changed the output:\n{done.stderr}")
        else:
            print(f"  ok: files limited to {limit} bytes: {done.stderr.strip().splitlines()[-2]}")
        leftovers = [p for p in run.site.rglob("*") if p.is_file() and (p.name.endswith(".tmp") or p.name.startswith(".tmp-"))]
        if leftovers:
            raise SystemExit(f"FAIL: temporary files left behind: {leftovers[:5]}")
        run.verify(f"{what}, disk full at {limit} bytes per file")


def concurrent(run: Run, rounds: int = 3) -> None:
    print(f"three builds at once ({rounds} rounds)")
    for _ in range(rounds):
        what = run.edit()
        processes = [subprocess.Popen([sys.executable, "-m", "humasgen", "build", "--site", str(run.site)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
                     for _ in range(3)]
        results = [(p.wait(), p.stderr.read()) for p in processes]
        if any(code != 0 for code, _ in results):
            raise SystemExit(f"FAIL: a concurrent build failed: {results}")
        waited = sum("waiting for another build" in err for _, err in results)
        run.verify(f"{what}, 3 builds at once ({waited} waited for another)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=40)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="humasgen-faults-") as scratch:
        root = Path(scratch)
        site = make_site(root, args.releases, args.seed)
        run = Run(root, site, random.Random(args.seed))
        first = build(site)
        if first.returncode != 0:
            raise SystemExit(first.stderr)
        print(f"site: {args.releases} releases, 3 photos, share cards, a hook that logs announcements")
        kills(run, args.kills)
        caches(run)
        full_disk(run)
        concurrent(run)
        announced = (root / "announced.log").read_text().split() if (root / "announced.log").exists() else []
        twice = sorted({a for a in announced if announced.count(a) > 1})
        missing = sorted(set(run.new) - set(announced))
        print(f"announcements: {len(announced)} for {len(run.new)} new releases; "
              f"twice: {twice or 'none'}; never: {missing or 'none'}")
        if missing:
            raise SystemExit("FAIL: a new release was never announced")
        if twice:
            # A build killed after announcing but before recording the manifest announces again
            # (at least once, never lost: see manifest.py). Only the kills may cause this.
            print("  (announced again after a build was killed between announcing and recording: by design)")
        print(f"all {run.steps} builds after a fault equal a clean build")


if __name__ == "__main__":
    main()
