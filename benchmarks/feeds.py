"""How long feeds, JSON Feed and sitemaps take on a large site; prints figures, asserts nothing.

    python benchmarks/feeds.py [RELEASES]     (default 5000; 20 categories, 60 units, 200 tags)
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from humasgen import feeds, jsonfeed, render, sitemaps  # noqa: E402
from humasgen.build import load_site  # noqa: E402

BODY = "\n\n".join(f"Paragraf {n} tentang [program daerah](/program/{n}/) dan pelayanan publik yang terus "
                   f"ditingkatkan oleh pemerintah provinsi bersama kabupaten dan kota." for n in range(12))


def make(site: Path, count: int) -> datetime:
    start = datetime(2024, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    (site / "content").mkdir(parents=True)
    (site / "humasgen.toml").write_text('title = "Bench"\nbase_url = "https://bench.example.go.id"\n')
    for i in range(count):
        when = start + timedelta(hours=3 * i)
        (site / "content" / f"r{i:06d}.md").write_text(
            f"---\ntitle: Rilis nomor {i}\ndate: {when.isoformat()}\ncategory: Kategori {i % 20}\n"
            f"unit: Unit {i % 60}\ntags: [tag {i % 200}, tag {(i * 7) % 200}]\n---\n{BODY}\n", encoding="utf-8")
    return start + timedelta(hours=3 * count)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        now = make(site_dir, count)
        loaded = load_site(site_dir, now)
        site = loaded.site
        pages = render.plan(site, loaded.theme_key)
        images = feeds.image_reader(site.config, loaded.static)
        for name, step in (("RSS + Atom", lambda: feeds.build(site, images)),
                           ("JSON Feed", lambda: jsonfeed.build(site, images)),
                           ("sitemaps + robots", lambda: sitemaps.build(site, pages))):
            started = time.perf_counter()
            files = step()
            seconds = time.perf_counter() - started
            size = sum(len(data) for data in files.values())
            print(f"{name:<18} {len(files):>5} files {size / 1e6:8.1f} MB {seconds:7.2f} s  ({count} releases)")


if __name__ == "__main__":
    main()
