"""The Python-Markdown floor: read every release, split off the front matter, render the body. Nothing else.

    python benchmarks/floor.py SITE/content [--jobs N]

No site generator written in Python can build the corpus faster than this, so bench.py
compares humasgen's cold build with it. Uses the same Markdown extensions as humasgen
(imported from the checkout on PYTHONPATH, so the two stay in step).
"""
from __future__ import annotations

import argparse
import sys
import time
from functools import lru_cache
from pathlib import Path

import markdown

try:
    from humasgen.markup import EXTENSIONS
except ImportError:   # run outside the checkout: the extensions humasgen used when this was written
    EXTENSIONS = ("tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")


def render(path: Path) -> int:
    """Length of the body's HTML (returned so the work can't be skipped, and cheap to send back)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[text.find("\n", end + 1) + 1:] if end >= 0 else text
    md = _converter()
    md.reset()
    return len(md.convert(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path, help="folder of *.md releases (searched recursively)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes [1]")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = sorted(args.content.rglob("*.md"))
    if args.jobs <= 1:
        total = sum(map(render, paths))
    else:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            total = sum(pool.imap_unordered(render, paths, chunksize=max(1, len(paths) // (args.jobs * 8))))
    print(f"rendered {len(paths)} files, {total} bytes of HTML, in {time.perf_counter() - started:.2f} s "
          f"with {args.jobs} process(es)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
