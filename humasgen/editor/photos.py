"""Photos uploaded through the editor's local back end, made fit to keep in static/.

A phone photo is 4,000 pixels or more and several megabytes, often lying on its side
(an EXIF orientation tag) and carrying the GPS position where it was taken. The build
publishes a file of static/ as it is (next to its smaller copies, see humasgen/images.py),
so the original itself is made right once, when it is uploaded:

- a longer side over `[editor] image_max_px` (or `[check] image_max_px` when smaller, so
  that `humasgen check` has nothing to say) is shrunk to it (Lanczos), encoded again at
  `[editor] image_quality` in its own format (JPEG, PNG, WebP);
- the EXIF orientation is applied to the pixels (the photo is upright everywhere);
- the GPS position is removed from its EXIF (the rest of it, the camera and the time, and
  the colour profile are kept).

A photo that needs none of this is kept byte for byte; a file that is not a photo is not
touched. Online (GitHub, GitLab) uploads go straight from the browser to the repository
and are not seen here: `humasgen check` reports those over `[check] image_max_px`.
"""
from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from ..safety.images import LIMIT

if TYPE_CHECKING:
    from ..config import Config

SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
GPS_IFD = 0x8825
ORIENTATION = 0x0112


class TooLarge(Exception):
    """A photo with more pixels than humasgen opens (a decompression bomb or a panorama of a city)."""


def prepared(rel: str, data: bytes, config: "Config") -> bytes:
    """The bytes to keep in static/ for an uploaded file `rel` (a path below the site)."""
    limit = min(config.editor.image_max_px, config.check.image_max_px) if config.editor.image_max_px else 0
    kind = SUFFIXES.get(rel[rel.rfind("."):].lower()) if "." in rel.rsplit("/", 1)[-1] else None
    if kind is None or not rel.startswith("static/"):
        return data
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)      # the size is checked here
            probe = Image.open(io.BytesIO(data))
        with probe:
            width, height = probe.size
            if width * height > LIMIT:
                raise TooLarge(f"{rel}: the photo has {width * height:,} pixels, more than the limit of "
                               f"{LIMIT:,}: make it smaller before uploading")
            phone_jpeg = probe.format == "MPO" and kind == "JPEG"   # many phones' JPEGs: the photo, then previews
            if not phone_jpeg and (probe.format != kind or getattr(probe, "is_animated", False)):
                return data
            exif = probe.getexif()
            too_big = bool(limit) and max(width, height) > limit
            if not (too_big or GPS_IFD in exif or exif.get(ORIENTATION, 1) != 1):
                return data
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        return data             # not a photo Pillow reads: kept as it is, like any file
    if too_big:
        image.thumbnail((limit, limit), Image.Resampling.LANCZOS)
    exif = image.getexif()
    exif.pop(GPS_IFD, None)
    exif.pop(ORIENTATION, None)
    options: dict = {"exif": exif.tobytes()}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if kind == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=config.editor.image_quality, optimize=True)
    elif kind == "WEBP":
        options.update(quality=config.editor.image_quality, method=6)
    else:
        options.update(optimize=True)
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()
