"""Share images with Pillow: an Open Graph card, an Instagram portrait, a story/TikTok cover.

The lead image is cropped to fill, darkened where the text goes; without one the
agency colours fill the frame. The title is set in Noto Sans Bold (shipped in
`humasgen/fonts/`, SIL OFL) so the images look the same on every machine and
need no network. Output is JPEG with fixed settings: same input, same bytes.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import regex
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, UnidentifiedImageError

from .. import i18n
from ..config import Config
from ..content import Release
from ..safety.cachefiles import intact

FONTS = Path(__file__).resolve().parent.parent / "fonts"
BOLD = FONTS / "NotoSans-Bold.ttf"
REGULAR = FONTS / "NotoSans-Regular.ttf"
RENDER_VERSION = "2"          # bump whenever the drawing changes, to refresh cached cards

# name -> (width, height, file name)
FORMATS: Mapping[str, tuple[int, int, str]] = {
    "card": (1200, 630, "card.jpg"),           # Open Graph / X / LinkedIn / Facebook link card
    "portrait": (1080, 1350, "portrait.jpg"),  # Instagram feed, 4:5
    "story": (1080, 1920, "story.jpg"),        # Instagram/Facebook story, TikTok cover, 9:16
}
BRAND = (11, 74, 139)         # the default theme's --brand
BRAND_DARK = (7, 52, 95)
ACCENT = (200, 16, 46)
WHITE = (255, 255, 255)
SOFT = (226, 233, 240)
# Emoji and their glue: Noto Sans has no glyphs for them, so they would print as boxes.
NO_GLYPH = regex.compile(r"\p{Extended_Pictographic}|[\U0001F1E6-\U0001F1FF\u200d\ufe0e\ufe0f\u20e3]"
                          r"|[\U0001F3FB-\U0001F3FF]")


@dataclass(frozen=True, slots=True)
class Artwork:
    """Everything that ends up in the pixels; its hash is the cache key."""
    title: str
    kicker: str                 # category, above the title
    date: str
    agency: str
    image: Path | None          # lead image file, when the release has one in the site
    logo: Path | None

    def key(self, kind: str) -> str:
        data = [RENDER_VERSION, kind, self.title, self.kicker, self.date, self.agency,
                digest(self.image), digest(self.logo), digest(BOLD), digest(REGULAR)]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:32]


def digest(path: Path | None) -> str:
    """File hash, computed once per file version (the logo and fonts are in every key)."""
    if path is None:
        return ""
    stat = path.stat()
    return _digest_of(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1024)
def _digest_of(path: Path, size: int, mtime: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def artwork(release: Release, config: Config, static: Mapping[str, Path]) -> Artwork:
    lang = "en" if release.lang.split("-")[0].lower() == "en" else "id"
    image = static.get(release.image.lstrip("/")) if release.image else None
    logo = static.get(config.logo.lstrip("/")) if config.logo else None
    return Artwork(release.title, release.category, i18n.long_date(release.date, lang, with_time=False),
                   config.agency_name, image, logo)


@lru_cache(maxsize=64)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def open_photo(path: Path | None) -> Image.Image | None:
    if path is None:
        return None
    try:
        with Image.open(path) as image:
            return ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, UnidentifiedImageError):
        return None


def _ramp(values: list[int], size: tuple[int, int]) -> Image.Image:
    column = Image.new("L", (1, len(values)))
    column.putdata(values)
    return column.resize(size, Image.Resampling.BILINEAR)


def open_logo(path: Path | None, size: int) -> Image.Image | None:
    if path is None:
        return None
    try:
        with Image.open(path) as raw:
            return ImageOps.contain(raw.convert("RGBA"), (size, size), Image.Resampling.LANCZOS)
    except (OSError, UnidentifiedImageError):
        return None


def _background(size: tuple[int, int], photo: Image.Image | None, band: tuple[float, float]) -> Image.Image:
    width, height = size
    if photo is not None:
        base = ImageOps.fit(photo, size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.4))
        # Darken lightly behind the agency line at the top, and towards the title at the bottom;
        # the photo stays bright in between (the halo under the text keeps it legible).
        def shade(t: float) -> float:
            at = (t - band[0]) / (band[1] - band[0])
            top = 0.55 * min(1.0, 1 - (at - 0.22) / 0.14) if at < 0.36 else 0.0
            return max(top, 0.12 + 0.6 * min(1.0, max(0.0, (at - 0.3) / 0.6)))
        mask = _ramp([int(255 * shade(y / 255)) for y in range(256)], size)
        return Image.composite(Image.new("RGB", size, (8, 18, 32)), base, mask)
    mix = _ramp(list(range(256)), size)
    base = Image.composite(Image.new("RGB", size, BRAND_DARK), Image.new("RGB", size, BRAND), mix)
    # A quiet motif (rings from the top-right corner) so a text-only card is not flat.
    rings = Image.new("L", size, 0)
    draw = ImageDraw.Draw(rings)
    cx, cy = int(width * 1.02), int(height * -0.05)
    for radius in range(int(width * 0.2), int(width * 0.8), int(width * 0.12)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=34, width=max(2, width // 300))
    return Image.composite(Image.new("RGB", size, WHITE), base, rings)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap by pixel width; a word wider than the line is split by graphemes."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for cluster in regex.findall(r"\X", word):
            if font.getlength(line + cluster) > width and line:
                lines.append(line)
                line = ""
            line += cluster
    if line:
        lines.append(line)
    return lines


def _fit_title(title: str, width: int, max_lines: int, sizes: range) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    for size in sizes:
        font = load_font(BOLD, size)
        lines = wrap(title, font, width)
        if len(lines) <= max_lines and not any(font.getlength(w) > width for w in lines):
            return font, lines
    font = load_font(BOLD, sizes[-1])
    lines = wrap(title, font, width)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip(" ,;:") + " …"]
    return font, lines


# Per format: title size range (px), max title lines, and the band the text may use
# (top, bottom as fractions of the height: stories keep clear of the app's own buttons).
_LAYOUT = {
    "card": (range(64, 33, -2), 4, 0.0, 1.0),
    "portrait": (range(84, 43, -2), 6, 0.0, 1.0),
    "story": (range(92, 47, -2), 7, 0.12, 0.80),
}


def shadow(image: Image.Image, texts: list, radius: int) -> None:
    """A soft dark halo under the text, so it reads on any photo."""
    ink = Image.new("L", image.size, 0)
    pen = ImageDraw.Draw(ink)
    for xy, text, face, _ in texts:
        pen.text(xy, text, font=face, fill=150)
    # Blurred at a quarter of the size: the same soft halo for a fraction of the work.
    small = ink.resize((image.width // 4, image.height // 4), Image.Resampling.BOX)
    halo = small.filter(ImageFilter.GaussianBlur(max(1, radius // 4))).resize(image.size, Image.Resampling.BILINEAR)
    image.paste(Image.new("RGB", image.size, (0, 0, 0)), (0, 0), halo)


def render(art: Artwork, kind: str) -> bytes:
    width, height, _ = FORMATS[kind]
    sizes, max_lines, band_top, band_bottom = _LAYOUT[kind]
    image = _background((width, height), open_photo(art.image), (band_top, band_bottom))
    draw = ImageDraw.Draw(image)
    texts: list[tuple[tuple[int, int], str, ImageFont.FreeTypeFont, tuple[int, int, int]]] = []
    pad = int(width * 0.06)
    top, bottom = int(height * band_top) + pad, int(height * band_bottom) - pad

    # Agency line with logo, at the top of the band.
    small = load_font(REGULAR, max(22, width // (40 if width > height else 32)))
    logo_size = int(width * 0.07)
    x = pad
    mark = open_logo(art.logo, logo_size)
    if mark is not None:
        image.paste(mark, (x, top), mark)
        x += mark.width + int(pad * 0.4)
    agency_lines = wrap(art.agency, small, width - x - pad)[:2]
    line_height = int(small.size * 1.3)
    y = top + max(0, (logo_size - line_height * len(agency_lines)) // 2)
    for line in agency_lines:
        texts.append(((x, y), line, small, WHITE))
        y += line_height

    # Date at the bottom of the band; title block above it, with the category as a kicker.
    meta = load_font(REGULAR, max(22, width // (38 if width > height else 30)))
    meta_y = bottom - meta.size
    texts.append(((pad, meta_y), art.date, meta, SOFT))
    title = " ".join(NO_GLYPH.sub("", art.title).split()) or art.title
    font, lines = _fit_title(title, width - 2 * pad, max_lines, sizes)
    leading = int(font.size * 1.18)
    block = leading * len(lines)
    title_y = meta_y - int(meta.size * 1.2) - block
    kicker = NO_GLYPH.sub("", art.kicker).strip().upper()
    bar_y = title_y - int(font.size * 0.55)
    if kicker:
        kick = load_font(BOLD, max(20, width // 44))
        bar_y = title_y - kick.size - int(font.size * 0.5)
        texts.append(((pad + int(width * 0.07), bar_y - int(kick.size * 0.15)), kicker, kick, WHITE))
    draw.rectangle((pad, bar_y + 4, pad + int(width * 0.05), bar_y + 4 + max(6, width // 150)), fill=ACCENT)
    for i, line in enumerate(lines):
        texts.append(((pad, title_y + i * leading), line, font, WHITE))
    shadow(image, texts, radius=max(3, width // 180))
    for xy, text, face, fill in texts:
        draw.text(xy, text, font=face, fill=fill)

    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=False, progressive=False, subsampling="4:2:0")
    return out.getvalue()


def render_all(art: Artwork) -> dict[str, bytes]:
    """file name -> bytes, for the three formats."""
    return {FORMATS[kind][2]: render(art, kind) for kind in FORMATS}


# --- the og:image card of releases without a lead image ----------------------------------------

CARD_NAME = "og-image.jpg"


def card_path(release: Release, config: Config, now: datetime) -> str | None:
    """Site path of the generated og:image card, or None when the release needs none.

    Only recent releases get one (`[social] card_days`): a cold build of a ten-year
    archive must not draw thousands of pictures nobody will share; older pages fall
    back to the site logo. `now` is the build time, so the choice is deterministic.
    """
    if release.image or not (config.social.enabled and config.social.images):
        return None
    days = config.social.card_days
    if days and release.date < now - timedelta(days=days):
        return None
    return release.url + CARD_NAME


def cache_path(art: Artwork, cache_dir: Path) -> Path:
    return cache_dir / "cards" / f"{art.key('card')}.jpg"


def cached_card(art: Artwork, cache_dir: Path) -> Path:
    """The card file in `.humasgen/cards/`, drawn only when its inputs changed."""
    path = cache_path(art, cache_dir)
    if not intact(path):                # missing, or cut short (a full disk, a killed build)
        _draw_to(art, path)
    return path


def _draw_to(art: Artwork, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(render(art, "card"))
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)     # no half card left behind on a full disk
        raise


PARALLEL_MIN = 8     # missing cards below which a process pool costs more than it saves


def og_cards(releases: Iterable[Release], config: Config, static: Mapping[str, Path], cache_dir: Path,
             now: datetime, jobs: int = 1) -> dict[str, Path]:
    """Output path -> cached card file, for every release that needs a generated og:image.

    Cards are cached in `.humasgen/cards/` by a hash of what is drawn, so an
    ordinary rebuild draws nothing; a first build of a large archive draws them
    in parallel.
    """
    wanted: dict[str, Path] = {}
    missing: list[tuple[Artwork, Path]] = []
    for release in releases:
        site_path = card_path(release, config, now)
        if site_path is None:
            continue
        art = artwork(release, config, static)
        path = cache_path(art, cache_dir)
        wanted[site_path.lstrip("/")] = path
        if not intact(path):
            missing.append((art, path))
    unique = list({path: (art, path) for art, path in missing}.values())
    if jobs > 1 and len(unique) >= PARALLEL_MIN:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_draw_to, [a for a, _ in unique], [p for _, p in unique], chunksize=4))
    else:
        for art, path in unique:
            _draw_to(art, path)
    return wanted
