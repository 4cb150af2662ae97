"""Warm builds equal cold builds on the benchmark corpus: a few edits, each checked byte for byte.

    python benchmarks/warm_cold.py --count 10000            # corpus of 10,000 releases, 6 edits
    python benchmarks/warm_cold.py --count 1000 --work /tmp/wc
    python benchmarks/warm_cold.py --count 100000 --edits 3   # the first three edits only (a cold build each)

For each edit (a title, a category, the tags, a body, a release deleted, one added) the site is
built warm (its cache and output from before), timed, and a copy of its sources is built cold;
the two output trees must be identical. Prints the warm build times and the verdicts; exit 1 on
a difference. Builds run as `python -m humasgen build` with this checkout on PYTHONPATH.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

NOW_EPOCH = int(corpus.END.timestamp()) + 86400


def run_build(site: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one build (CPU: the process and its workers)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": str(NOW_EPOCH)}
    before = os.times()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "humasgen", "build", "--site", str(site)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = os.times()
    return time.perf_counter() - started, (after.children_user - before.children_user
                                           + after.children_system - before.children_system)


def tree(root: Path) -> dict[str, str]:
    root = root.resolve()
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def set_key(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(?m)^{key}:.*$")
    text = pattern.sub(f"{key}: {value}", text, count=1) if pattern.search(text) else \
        text.replace("\n---\n", f"\n{key}: {value}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


def edits(site: Path):
    files = sorted((site / "content").rglob("*.md"))
    newest, middle, old = files[-1], files[len(files) // 2], files[len(files) // 3]
    yield "title of the newest release", lambda: set_key(newest, "title", "'Judul Baru untuk Uji Hangat dan Dingin'")
    yield "category of a middle release", lambda: set_key(middle, "category", "Pendidikan")
    yield "tags of an old release", lambda: set_key(old, "tags", "[uji, hangat]")
    yield "body of the newest release", lambda: newest.write_text(
        newest.read_text(encoding="utf-8") + "\nParagraf tambahan untuk uji.\n", encoding="utf-8")
    yield "an old release deleted", lambda: old.unlink()
    yield "a release added", lambda: (site / "content/baru-uji.md").write_text(
        "---\ntitle: 'Rilis Tambahan untuk Uji Hangat'\ndate: 2026-11-01 10:00\ncategory: Ekonomi\n"
        "tags: [uji]\n---\nIsi rilis tambahan.\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/humasgen-warm-cold"))
    parser.add_argument("--edits", type=int, default=6, help="how many of the six edits to make [6]")
    args = parser.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    site, cold = args.work / "warm", args.work / "cold"
    corpus.main([str(site), "--count", str(args.count)])
    wall, cpu = run_build(site)
    print(f"{args.count} releases: cold build {wall:.2f} s wall, {cpu:.2f} s CPU")
    run_build(site)     # the first warm build turns output/ into the two trees
    wall, cpu = run_build(site)
    print(f"warm, nothing changed: {wall:.2f} s wall, {cpu:.2f} s CPU")
    failed = 0
    for name, edit in list(edits(site))[:args.edits]:
        edit()
        wall, cpu = run_build(site)
        shutil.rmtree(cold, ignore_errors=True)
        shutil.copytree(site, cold, ignore=shutil.ignore_patterns(".humasgen", "output", ".output.*", "social"))
        run_build(cold)
        same = tree(site / "output") == tree(cold / "output")
        failed += not same
        print(f"warm, {name}: {wall:.2f} s wall, {cpu:.2f} s CPU; {'equals cold' if same else 'DIFFERS from cold'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
