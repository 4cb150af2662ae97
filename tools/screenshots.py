"""Look at a built site as readers do: phone and desktop screenshots, light and dark, and a print PDF.

    python tools/screenshots.py output/ [--out shots/] [--release /2026/11/slug/]

Serves the folder on 127.0.0.1, drives Debian's headless Chromium through Playwright,
and writes PNGs plus release-print.pdf (and release-print-N.png pages when poppler's
pdftoppm is installed). Open the PNGs in any image viewer.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from demo_site import RELEASE, chromium, serve  # noqa: E402

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Scroll through the page so lazy images load, then wait for them, then go back to the top.
SETTLE = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += 600) { scrollTo(0, y); await new Promise(r => setTimeout(r, 40)); }
  scrollTo(0, 0);
  await Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })));
}"""


def shoot(output: Path, out: Path, release: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with serve(output) as base, chromium() as browser:
        shots = [("home-390", "/", PHONE, "light", False), ("home-390-dark", "/", PHONE, "dark", False),
                 ("home-1280", "/", DESKTOP, "light", True), ("home-1280-dark", "/", DESKTOP, "dark", False),
                 ("release-390", release, PHONE, "light", True), ("release-390-dark", release, PHONE, "dark", True),
                 ("release-1280", release, DESKTOP, "light", False)]
        for name, path, viewport, scheme, full in shots:
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            page.goto(base + path)
            page.evaluate(SETTLE)
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=full)
            made.append(target)
            context.close()
        page = browser.new_page()
        page.goto(base + release)
        page.evaluate(SETTLE)
        page.emulate_media(media="print")
        pdf = out / "release-print.pdf"
        page.pdf(path=str(pdf), format="A4")
        made.append(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(out / "release-print")], check=True)
        made += sorted(out.glob("release-print-*.png"))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="a built site folder")
    parser.add_argument("--out", type=Path, default=Path("shots"), help="where to write the images")
    parser.add_argument("--release", default=RELEASE, help="site path of the release to shoot")
    args = parser.parse_args()
    for path in shoot(args.output, args.out, args.release):
        print(path)


if __name__ == "__main__":
    main()
