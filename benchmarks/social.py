"""Figures for the social step: snippets and images per release, og:image cards cold and warm.

Run from a site folder (the repository root is one): python benchmarks/social.py
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from humasgen.build import load_site  # noqa: E402
from humasgen.social import images, snippets  # noqa: E402


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    site_dir = Path.cwd()
    loaded = load_site(site_dir, datetime.now(timezone.utc))
    releases = loaded.site.releases
    text = [timed(lambda r=r: snippets.make_snippets(r, loaded.config, loaded.theme)) for r in releases]
    arts = [images.artwork(r, loaded.config, loaded.static) for r in releases]
    pictures = [timed(lambda a=a: images.render_all(a)) for a in arts]
    print(f"{len(releases)} releases")
    print(f"snippets, 9 platforms: median {statistics.median(text) * 1000:.0f} ms per release")
    print(f"3 images:              median {statistics.median(pictures) * 1000:.0f} ms per release")
    cache = Path(tempfile.mkdtemp())
    without = [replace(r, image="") for r in releases]
    cold = timed(lambda: images.og_cards(without, loaded.config, loaded.static, cache, jobs=1))
    warm = timed(lambda: images.og_cards(without, loaded.config, loaded.static, cache, jobs=1))
    print(f"og:image cards for {len(without)} releases: cold {cold:.2f} s, warm (cached) {warm * 1000:.0f} ms")
    shutil.rmtree(cache)


if __name__ == "__main__":
    main()
