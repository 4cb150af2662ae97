"""Images too large to decode, reported before anything is rendered.

Pillow refuses images over about 179 megapixels (`DecompressionBombError`: a small
file can decode to gigabytes) and warns above half that. A 20000x20000 lead image
used to surface as a misleading template error, or as a crash in `check` and `social`.
Every image a release uses (lead and body images in the site) is measured from its
header first: over `LIMIT` pixels it is an error naming the release, the image, its
pixel count and the limit. The counts are cached by file size and time.
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from ..cache import read_json, write_json
from ..errors import Diagnostic, HumasgenError

LIMIT = 89_478_485          # Pillow's MAX_IMAGE_PIXELS: a 9,459 x 9,459 image
CACHE = "pixels.json"
_PIXELS = re.compile(r"\((\d+) pixels\)")


def pixels(path: Path) -> int | None:
    """Width x height from the file's header (nothing decoded); None when it is no image Pillow reads."""
    from PIL import Image, UnidentifiedImageError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                return width * height
    except Image.DecompressionBombError as exc:
        found = _PIXELS.search(str(exc))
        return int(found.group(1)) if found else LIMIT + 1
    except (OSError, UnidentifiedImageError, ValueError):
        return None


@lru_cache(maxsize=65536)
def _pixels_of(path: Path, size: int, mtime: int) -> int | None:
    """pixels(), once per file version (the preview server checks again after every save)."""
    return pixels(path)


def check(releases: Iterable, static: Mapping[str, Path], cache_dir: Path | None, logo: str = "") -> None:
    """Raise a HumasgenError listing every used image over LIMIT pixels."""
    from ..images import release_images
    known = read_json(cache_dir / CACHE) if cache_dir else None
    known = known if isinstance(known, dict) else {}
    counts: dict[str, list] = {}
    problems = []

    def count(site_path: str) -> int | None:
        rel = site_path.lstrip("/")
        if rel in counts:               # an image many releases use is looked at once
            return counts[rel][2] if isinstance(counts[rel][2], int) else None
        source = static.get(rel)
        if source is None:
            return None
        stat = source.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = known.get(rel)
        if not (isinstance(entry, list) and len(entry) == 3 and entry[:2] == stamp):
            entry = [*stamp, _pixels_of(source, *stamp)]
        counts[rel] = entry
        return entry[2] if isinstance(entry[2], int) else None

    releases = tuple(releases)
    used: set[str] = set()
    for release in releases:
        used.update(release_images(release))
    too_big = {image for image in sorted(used) if (found := count(image)) is not None and found > LIMIT}
    for release in releases if too_big else ():     # the releases that use them, named
        for image in dict.fromkeys(release_images(release)):
            if image in too_big:
                line = release.lines.get("image") if image == release.image else release.body_line
                problems.append(Diagnostic(release.source, line, _message(image, count(image)), _HINT))
    if logo and (found := count(logo)) is not None and found > LIMIT:
        problems.append(Diagnostic("humasgen.toml", None, _message(logo, found), _HINT))
    if cache_dir and counts != known:
        write_json(cache_dir / CACHE, dict(sorted(counts.items())))
    if problems:
        raise HumasgenError(problems)


_HINT = "scale it down (a photo for the web needs at most about 2,560 pixels on its longer side) and save it again"


def _message(image: str, found: int) -> str:
    return f"the image {image} has {found:,} pixels, more than the limit of {LIMIT:,}"
