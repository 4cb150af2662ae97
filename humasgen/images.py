"""Responsive images: smaller copies and WebP versions of the photos releases use.

A reader on a phone and metered data should not download a 4,000-pixel photo to
see it 360 pixels wide. For every JPEG or PNG that a release uses (lead image or
body image) the build writes copies at a few widths plus WebP versions, and the
templates offer them with `srcset`/`sizes`. The original stays where it was.

Encoding is the slow part, so results are cached under `.humasgen/images/`,
keyed by the source bytes and the encoding settings: an unchanged image is never
encoded twice, and deleting the cache only makes the next build slower. Output
bytes depend on nothing but the source and the settings (no metadata, no clock).
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import quote

from .cache import read_json, write_json
from .errors import Diagnostic, HumasgenError

WIDTHS = (480, 800, 1200)           # what phones, tablets and the 46rem article column ask for
SHARE_WIDTH = 1200                  # og:image / JSON-LD copy (Open Graph, Google Discover: >= 1200 wide)
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_QUALITY_GRAPHICS = 90          # PNGs are often charts and text: sharper edges. (Lossless WebP is
                                    # far slower and, for photos saved as PNG, 10x bigger.)
SOURCE_SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
CACHE_SUBDIR = "images"
PARALLEL_MIN = 4                    # below this many images to encode, a process pool costs more than it saves
_SCHEME = "img1"                    # bump when the encoding code changes its bytes

@dataclass(frozen=True, slots=True)
class Variant:
    path: str                       # output path, e.g. 'images/foto-480w.webp'
    width: int
    height: int
    kind: str                       # 'fallback' (same format as the source) or 'webp'


@dataclass(frozen=True, slots=True)
class Responsive:
    """An image's srcset candidates; the original is served as-is at its own width."""
    path: str                       # the original's output path
    width: int
    height: int
    variants: tuple[Variant, ...]

    def srcset(self, kind: str, base_path: str) -> str:
        """'URL 480w, URL 800w, ...' for one kind; '' when there is nothing to choose from."""
        chosen = [(v.width, v.path) for v in self.variants if v.kind == kind]
        if not chosen:
            return ""
        if kind == "fallback" and self.width <= WIDTHS[-1]:
            chosen.append((self.width, self.path))    # the original is the largest candidate
        # Quoted: a space or comma in a file name would end the URL inside srcset.
        return ", ".join(f"{base_path}/{quote(path)} {width}w" for width, path in sorted(chosen))


@dataclass(frozen=True, slots=True)
class Images:
    """What the build adds: files to copy into the output, and srcsets for the templates."""
    copies: Mapping[str, Path]      # output path -> cached file
    responsive: Mapping[str, Responsive]
    encoded: int                    # images encoded in this build (0 on a warm build)

    @property
    def fingerprint(self) -> str:
        """Part of every page key: pages show these srcsets."""
        return _digest(repr(sorted(self.responsive.items())).encode())[:16]

    def srcset(self, path: str, kind: str = "fallback", base_path: str = "") -> str:
        found = self.responsive.get(path.lstrip("/"))
        return found.srcset(kind, base_path) if found else ""

    def share(self, path: str) -> tuple[str, int, int] | None:
        """The copy to share (og:image, JSON-LD): ('/site/path', width, height) of the 1200-px JPEG/PNG.

        Chat apps drop previews of multi-megabyte photos; 1200 px wide is what Open Graph and
        Google Discover ask for. None when the image has no such copy (it is that small already).
        """
        found = self.responsive.get(path.lstrip("/"))
        for variant in found.variants if found else ():
            if variant.kind == "fallback" and variant.width == SHARE_WIDTH:
                return "/" + variant.path, variant.width, variant.height
        return None


EMPTY = Images({}, {}, 0)


def settings_key() -> str:
    """Everything besides the source bytes that decides a variant's bytes."""
    import PIL
    from PIL import features
    return _digest(repr((_SCHEME, WIDTHS, JPEG_QUALITY, WEBP_QUALITY, PIL.__version__,
                         features.version("webp"), features.version("jpg"))).encode())[:12]


def release_images(release) -> tuple[str, ...]:
    """Site paths of the images one release uses: its lead image (if in the site), then `body_images`."""
    lead = release.image
    if lead.startswith("/") and not lead.startswith("//"):
        return (lead.split("?", 1)[0].split("#", 1)[0], *release.body_images)
    return release.body_images


def used_images(releases: Iterable) -> list[str]:
    """Site paths of the images releases use (lead images and `body_images`), sorted."""
    found: set[str] = set()
    for release in releases:
        found.update(release_images(release))
    return sorted(found)


def prepare(paths: Iterable[str], static: Mapping[str, Path], cache_dir: Path, jobs: int = 1) -> Images:
    """Variants of every used JPEG/PNG found among the static files, encoding only what is not cached."""
    candidates = [(p.lstrip("/"), static.get(p.lstrip("/"))) for p in paths]
    candidates = [(rel, source) for rel, source in candidates
                  if source is not None and source.suffix.lower() in SOURCE_SUFFIXES]
    if not candidates:
        return EMPTY                                  # and Pillow is not even imported
    key = settings_key()
    folder = cache_dir / CACHE_SUBDIR
    index_path = cache_dir / "images.json"
    index = read_json(index_path)
    if not isinstance(index, dict) or index.get("key") != key:
        index = {}
    # source path -> size, mtime and sha256 (so a warm build reads no image); cache entry -> its variants
    known = index.get("sources") if isinstance(index.get("sources"), dict) else {}
    known_meta = index.get("entries") if isinstance(index.get("entries"), dict) else {}
    sources: dict[str, dict] = {}
    metas: dict[str, dict] = {}
    todo: list[tuple[str, Path, str]] = []
    plans: dict[str, tuple[Path, str]] = {}
    for rel, source in candidates:
        stat = source.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = known.get(str(source))
        fits = isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("sha256"), str)
        digest = entry["sha256"] if fits else _digest(source.read_bytes())
        sources[str(source)] = {"stamp": stamp, "sha256": digest}
        stem = f"{digest[:20]}-{key}"
        plans[rel] = (source, stem)
        meta = _cached(folder, stem, known_meta.get(stem))
        if meta is None:
            todo.append((rel, source, stem))
        else:
            metas[stem] = meta
    encoded = _encode_all(todo, folder, jobs)
    for _rel, _source, stem in todo:
        meta = read_json(folder / f"{stem}.json")
        if _cached(folder, stem, meta) is not None:
            metas[stem] = meta
    if sources != known or metas != known_meta:
        write_json(index_path, {"key": key, "sources": sources, "entries": dict(sorted(metas.items()))})

    copies: dict[str, Path] = {}
    responsive: dict[str, Responsive] = {}
    owners: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for rel, (source, stem) in sorted(plans.items()):
        meta = metas.get(stem)
        if meta is None:
            continue                                  # unreadable: encoded again next time
        base = rel[: -len(source.suffix)]
        variants = []
        for width, height, kind, suffix in meta["variants"]:
            name = f"{base}-{width}w{suffix}" if width != meta["width"] else f"{base}{suffix}"
            first = owners.setdefault(name, str(source))
            if name in static or first != str(source):
                problems.append(Diagnostic(str(source), None,
                                           f"its resized copy {name} would overwrite {static.get(name) or first}",
                                           "rename one of the two images; humasgen names copies NAME-480w.jpg, "
                                           "NAME.webp and so on"))
                continue
            copies[name] = folder / f"{stem}-{width}{suffix}"
            variants.append(Variant(name, width, height, kind))
        responsive[rel] = Responsive(rel, meta["width"], meta["height"], tuple(variants))
    if problems:
        raise HumasgenError(problems)
    return Images(dict(sorted(copies.items())), responsive, encoded)


def _cached(folder: Path, stem: str, meta: dict | None) -> dict | None:
    """A cache entry's description when all its files are there and complete (the index saves reading
    its JSON); None for an entry of the wrong shape or with a file cut short: encoded again."""
    from .safety.cachefiles import image_meta, intact
    if not image_meta(meta):
        meta = read_json(folder / f"{stem}.json")
    if image_meta(meta) and all(intact(folder / f"{stem}-{w}{suffix}") for w, _h, _kind, suffix in meta["variants"]):
        return meta
    return None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _encode_all(todo: list[tuple[str, Path, str]], folder: Path, jobs: int) -> int:
    """Encode the images not in the cache, in forked workers when there are enough of them."""
    from .parallel import fork_map

    if todo:
        folder.mkdir(parents=True, exist_ok=True)
        workers = jobs if len(todo) >= PARALLEL_MIN else 1
        for _done in fork_map(lambda task: _encode(task[1], folder, task[2]), todo, workers):
            pass
    return len(todo)


def _encode(source: Path, folder: Path, stem: str) -> None:
    """Write one source's variants and, last, the JSON that marks the cache entry complete."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as opened:
            image = ImageOps.exif_transpose(opened)   # phone photos: EXIF rotation applied, EXIF dropped
            image.load()
            fmt = opened.format
            icc = opened.info.get("icc_profile")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        # Not an image Pillow can read: no variants; the original is still copied and served.
        write_json(folder / f"{stem}.json", {"width": 0, "height": 0, "variants": []})
        return
    if fmt not in ("JPEG", "PNG"):
        write_json(folder / f"{stem}.json", {"width": 0, "height": 0, "variants": []})
        return
    width, height = image.size
    original_size = source.stat().st_size
    image = _normalise(image, fmt)
    suffix = ".jpg" if fmt == "JPEG" else ".png"
    fallback: list[tuple[int, int, bytes]] = []       # (width, height, bytes) of resized copies
    webp: list[tuple[int, int, bytes, int]] = []      # ... plus the size of what it replaces
    for target in [w for w in WIDTHS if w < width]:
        size = (target, max(1, round(height * target / width)))
        resized = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        data = _save(resized, fmt, icc)
        if len(data) < original_size:                 # a copy bigger than the original helps nobody
            fallback.append((*size, data))
            webp.append((*size, _save(resized, "WEBP", icc, graphics=fmt == "PNG"), len(data)))
    if width <= WIDTHS[-1]:
        webp.append((width, height, _save(image, "WEBP", icc, graphics=fmt == "PNG"), original_size))
    # WebP for all widths or none: a <source> with gaps would send some readers a bigger file.
    use_webp = bool(webp) and all(len(data) < replaced for *_, data, replaced in webp)
    variants = []
    for w, h, data in fallback:
        (folder / f"{stem}-{w}{suffix}").write_bytes(data)
        variants.append([w, h, "fallback", suffix])
    if use_webp:
        for w, h, data, _replaced in webp:
            (folder / f"{stem}-{w}.webp").write_bytes(data)
            variants.append([w, h, "webp", ".webp"])
    write_json(folder / f"{stem}.json", {"width": width, "height": height, "variants": variants})


def _normalise(image, fmt: str):
    """A mode every encoder takes; palette PNGs become RGBA so resizing does not band."""
    if fmt == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    return image.convert("RGBA")


def _save(image, fmt: str, icc: bytes | None, graphics: bool = False) -> bytes:
    """Encode with fixed settings and no metadata except the colour profile (colours would shift without it)."""
    buffer = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
    elif fmt == "PNG":
        image.save(buffer, "PNG", compress_level=9, **extra)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        image.save(buffer, "WEBP", quality=WEBP_QUALITY_GRAPHICS if graphics else WEBP_QUALITY, method=6, **extra)
    return buffer.getvalue()


_IMG_TAG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="(/[^"]*)"')


def add_srcsets(body_html: str, images: Images, base_path: str, sizes: str) -> str:
    """Body <img src="/..."> tags with srcset/sizes (and width/height when missing), in a <picture> for WebP.

    Done at render time, not in the parse cache: the variants depend on the
    image files, not on the release text.
    """
    from html import escape

    def swap(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        found = images.responsive.get(src.group(1).lstrip("/")) if src and " srcset=" not in tag else None
        if found is None:
            return tag
        fallback, webp = found.srcset("fallback", base_path), found.srcset("webp", base_path)
        if not fallback and not webp:
            return tag
        attrs = f' srcset="{escape(fallback)}" sizes="{escape(sizes)}"' if fallback else ""
        if " width=" not in tag and found.width:
            attrs += f' width="{found.width}" height="{found.height}"'
        img = tag[:-2].rstrip() if tag.endswith("/>") else tag[:-1]
        img += attrs + ">"
        if webp:
            img = f'<picture><source type="image/webp" srcset="{escape(webp)}" sizes="{escape(sizes)}">{img}</picture>'
        return img
    return _IMG_TAG.sub(swap, body_html)
