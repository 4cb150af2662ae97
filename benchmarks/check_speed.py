#!/usr/bin/env python3
"""How long `humasgen check` takes next to a build, on a generated site of N releases.

    python benchmarks/check_speed.py [N]      # default 2000

Copies the demo releases N times over (new slugs, dates spread over two years), then
times a cold build, a warm build, the front-matter rules every build runs, and `check`
(which renders every page, like a cold build).
Prints figures; asserts nothing.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from humasgen import check, lint_rules  # noqa: E402
from humasgen.build import BuildOptions, build, load_site  # noqa: E402


def make_site(target: Path, count: int) -> None:
    shutil.copy(ROOT / "humasgen.toml", target / "humasgen.toml")
    shutil.copytree(ROOT / "static", target / "static")
    sources = sorted((ROOT / "content").rglob("*.md"))
    start = datetime(2025, 1, 1, 8, 0)
    for i in range(count):
        text = sources[i % len(sources)].read_text(encoding="utf-8").split("\n")
        when = start + timedelta(hours=8 * i)
        out = []
        for line in text:
            if line.startswith("title: "):
                line = line[:-1] + f' {i}"' if line.endswith('"') else f"{line} {i}"
            elif line.startswith("date: "):
                line = f"date: {when:%Y-%m-%d %H:%M}"
            elif line.startswith("slug: "):
                line = f"slug: rilis-{i}"
            elif line.startswith("draft:"):
                continue
            out.append(line)
        if not any(line.startswith("slug: ") for line in out):
            out.insert(2, f"slug: rilis-{i}")
        path = target / "content" / f"{when:%Y/%m}" / f"rilis-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(out), encoding="utf-8")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    now = datetime(2027, 1, 1, tzinfo=timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        make_site(site, count)
        options = BuildOptions(site_dir=site, output_dir=site / "output", now=now, jobs=1)
        for label in ("cold build", "warm build"):
            started = time.perf_counter()
            result = build(options)
            print(f"{label:12} {time.perf_counter() - started:6.2f} s  ({result.pages} pages)")
        loaded = load_site(site, now, cache_dir=site / ".humasgen")
        started = time.perf_counter()
        warnings = lint_rules.build_warnings(site, loaded.config, loaded.site.releases, loaded.site.now)
        print(f"{'build warnings':12} {time.perf_counter() - started:6.2f} s  ({len(warnings)} found, "
              "the part of every build that is check's front-matter rules)")
        started = time.perf_counter()
        found = check.run(site, now)
        print(f"{'check':12} {time.perf_counter() - started:6.2f} s  "
              f"({found.releases} releases, {found.errors} errors, {found.warnings} warnings)")


if __name__ == "__main__":
    main()
