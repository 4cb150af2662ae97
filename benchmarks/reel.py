"""CPU cost of the social video: encode the demo site's reels and carousels from scratch, print the figures.

    python benchmarks/reel.py                 # four demo releases, one run each
    python benchmarks/reel.py --count 2 --repeat 3

CPU seconds are this process's user + system time (resource.getrusage), so they include
libx264's encoder threads; wall seconds are measured around each reel. "drawing" is the
frames alone (Pillow), without encoding. Nothing is cached between runs (a fresh folder each).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from humasgen.build import load_site  # noqa: E402
from humasgen.social import carousel, reel, story  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(what, *args) -> tuple[float, float]:
    start_cpu, start_wall = cpu(), time.perf_counter()
    what(*args)
    return cpu() - start_cpu, time.perf_counter() - start_wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4, help="demo releases to encode (newest first)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    loaded = load_site(REPO, datetime(2027, 6, 1, tzinfo=timezone.utc))
    releases = [r for r in loaded.site.releases if r.video][: args.count]
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}; "
          f"PyAV {__import__('av').__version__}; libx264 preset fast, crf 23, 2 threads")
    print(f"{'release':46} {'video s':>7} {'photos':>6} {'drawing cpu':>11} {'reel cpu':>8} {'reel wall':>9} "
          f"{'cpu/video s':>11} {'MB':>5} {'carousel cpu':>12}")
    per_second = []
    per_reel = []
    for item in releases:
        told = story.story(item, loaded.config, loaded.static, REPO)
        scenes = reel.plan(told)
        seconds = sum(s.frames for s in scenes) / reel.FPS
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as folder:
                draw_cpu, _ = measure(lambda: [None for _ in reel.frames(told, scenes)])
                target = Path(folder) / "reel.mp4"
                reel_cpu, reel_wall = measure(reel.encode, told, target)
                size = target.stat().st_size / 1e6
                slides_cpu, _ = measure(carousel.slides, told)
            per_reel.append(reel_cpu)
            per_second.append(reel_cpu / seconds)
            print(f"{item.slug[:46]:46} {seconds:7.1f} {len(told.photos):6d} {draw_cpu:11.1f} {reel_cpu:8.1f} "
                  f"{reel_wall:9.1f} {reel_cpu / seconds:11.2f} {size:5.1f} {slides_cpu:12.1f}")
    print(f"median: {statistics.median(per_reel):.1f} CPU s per reel, "
          f"{statistics.median(per_second):.2f} CPU s per second of video")


if __name__ == "__main__":
    main()
