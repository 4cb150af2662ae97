"""Responsive images: resized and WebP copies, srcset in pages, the encode cache."""
from __future__ import annotations

import io
import re
from functools import lru_cache
from html import unescape
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from humasgen.errors import HumasgenError
from conftest import release


@lru_cache(maxsize=None)
def photo(width: int, height: int, fmt: str = "JPEG", seed: int = 1) -> bytes:
    return make_photo(width, height, fmt, seed)


def make_photo(width: int, height: int, fmt: str = "JPEG", seed: int = 1, exif: Image.Exif | None = None) -> bytes:
    """A photo-like picture: gradient, shapes and blurred noise (compresses like a real photo)."""
    noise = Image.effect_noise((width, height), 40 + seed).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    base = Image.merge("RGB", [Image.linear_gradient("L").resize((width, height)),
                               Image.linear_gradient("L").rotate(90).resize((width, height)),
                               Image.new("L", (width, height), 90 + seed)])
    image = Image.blend(base, noise, 0.35)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x = (i * 97 * seed) % width
        draw.ellipse((x, height // 4, x + width // 5, height // 4 + height // 3), fill=(200, 40 * i % 255, 60))
    buffer = io.BytesIO()
    options = {"quality": 92} if fmt == "JPEG" else {}
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def site_with_images(make_site, config: str | None = None):
    files = {
        "static/images/besar.jpg": photo(1400, 788),
        "static/images/grafik.png": photo(600, 360, "PNG", seed=2),
        "static/images/kecil.jpg": photo(320, 180, seed=3),
        "static/images/tak-dipakai.jpg": photo(600, 340, seed=4),
        "content/a.md": release("Rilis Bergambar", image="/images/besar.jpg", image_alt="Foto besar",
                                body="Pembuka.\n\n![Grafik anggaran](/images/grafik.png)\n\n![Kecil](/images/kecil.jpg)"),
    }
    return make_site(files) if config is None else make_site(files, config=config)


def output_file(out: Path, url: str, base_path: str = "") -> Path:
    assert url.startswith(base_path + "/"), url
    return out / url[len(base_path) + 1:]


def srcset_entries(html: str) -> list[tuple[str, int]]:
    entries = []
    for value in re.findall(r'srcset="([^"]+)"', html):
        for candidate in unescape(value).split(", "):
            url, width = candidate.rsplit(" ", 1)
            entries.append((url, int(width.rstrip("w"))))
    return entries


def test_variants_exist_are_smaller_and_srcset_points_to_them(make_site, build_site):
    site = site_with_images(make_site)
    build_site(site)
    out = site / "output"
    original = out / "images/besar.jpg"
    assert original.read_bytes() == (site / "static/images/besar.jpg").read_bytes()   # original kept as-is
    for name, width in [("besar-480w.jpg", 480), ("besar-800w.jpg", 800), ("besar-1200w.jpg", 1200),
                        ("besar-480w.webp", 480), ("besar-800w.webp", 800), ("besar-1200w.webp", 1200)]:
        variant = out / "images" / name
        assert variant.is_file(), name
        assert variant.stat().st_size < original.stat().st_size, name
        with Image.open(variant) as image:
            assert image.size == (width, round(788 * width / 1400))
            assert image.format == ("WEBP" if name.endswith(".webp") else "JPEG")
    # Too wide for any srcset: the 1400 px original is never offered as a candidate.
    page = (out / "2026/11/rilis-bergambar/index.html").read_text()
    entries = srcset_entries(page)
    assert ("/images/besar-1200w.webp", 1200) in entries
    assert ("/images/besar.jpg", 1400) not in entries
    for url, width in entries:
        file = output_file(out, url)
        assert file.is_file(), url
        with Image.open(file) as image:
            assert image.width == width, url
    # lead image keeps width/height, body image gets them, both in a <picture> with a WebP source
    lead = re.search(r'<figure class="lead-image">\s*(<picture>.*?</picture>)', page, re.S).group(1)
    assert '<source type="image/webp"' in lead and 'width="1400" height="788"' in lead
    assert 'sizes="' in lead and 'alt="Foto besar"' in lead
    body_img = re.search(r'<img[^>]*src="/images/grafik.png"[^>]*>', page).group(0)
    assert 'srcset="/images/grafik-480w.png 480w, /images/grafik.png 600w"' in body_img
    assert 'width="600" height="360"' in body_img and 'alt="Grafik anggaran"' in body_img
    # the card on the home page uses the same copies
    home = (out / "index.html").read_text()
    card = re.search(r'<picture><source type="image/webp" srcset="([^"]+)"[^>]*><img [^>]*class="card-image"', home)
    assert card and "/images/besar-480w.webp 480w" in card.group(1)
    assert all(output_file(out, url).is_file() for url, _ in srcset_entries(home))


def test_small_and_unused_images(make_site, build_site):
    site = site_with_images(make_site)
    build_site(site)
    out = site / "output"
    assert not list((out / "images").glob("tak-dipakai-*"))        # not used by any release: left alone
    assert not (out / "images/tak-dipakai.webp").exists()
    assert not list((out / "images").glob("kecil-*w.jpg"))         # narrower than 480 px: nothing to resize
    page = (out / "2026/11/rilis-bergambar/index.html").read_text()
    small = re.search(r'<img[^>]*src="/images/kecil.jpg"[^>]*>', page).group(0)
    assert "srcset" not in small
    if (out / "images/kecil.webp").exists():                       # only when WebP is smaller
        assert (out / "images/kecil.webp").stat().st_size < (out / "images/kecil.jpg").stat().st_size
        assert 'srcset="/images/kecil.webp 320w"' in page


def test_second_build_encodes_nothing_and_cache_is_deterministic(make_site, build_site):
    site = site_with_images(make_site)
    first = build_site(site)
    assert first.images_encoded == 3                                # besar, grafik, kecil
    cache = site / ".humasgen" / "images"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert stamps
    second = build_site(site)
    assert second.images_encoded == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps
    before = {p.relative_to(site / "output"): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    # Without the cache every variant is encoded again, to the same bytes.
    import shutil
    shutil.rmtree(site / ".humasgen")
    third = build_site(site)
    assert third.images_encoded == 3
    after = {p.relative_to(site / "output"): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    assert after == before


def test_changed_image_is_encoded_again(make_site, build_site):
    site = site_with_images(make_site)
    build_site(site)
    (site / "static/images/besar.jpg").write_bytes(photo(1300, 700, seed=7))
    result = build_site(site)
    assert result.images_encoded == 1
    out = site / "output"
    with Image.open(out / "images/besar-1200w.jpg") as image:
        assert image.size == (1200, 646)
    page = (out / "2026/11/rilis-bergambar/index.html").read_text()
    assert 'width="1300" height="700"' in page                       # the page followed the new image


def test_variants_carry_no_exif_and_are_upright(make_site, build_site):
    exif = Image.Exif()
    exif[0x0112] = 6                                                 # orientation: rotate 90° on display
    exif[0x010F] = "KameraPonsel"                                    # maker: must not leak into copies
    site = make_site({
        "static/images/ponsel.jpg": make_photo(800, 500, exif=exif),
        "content/a.md": release("Foto Ponsel", image="/images/ponsel.jpg", image_alt="Foto"),
    })
    build_site(site)
    variant = site / "output/images/ponsel-480w.jpg"
    with Image.open(variant) as image:
        assert image.size == (480, 768)                              # portrait after the rotation
        assert not image.getexif()
    assert b"KameraPonsel" not in variant.read_bytes()


def test_base_path_prefixes_srcset(make_site, build_site):
    site = site_with_images(make_site, config='title = "Uji"\nbase_url = "https://contoh.go.id/berita"\n')
    build_site(site)
    out = site / "output"
    page = (out / "2026/11/rilis-bergambar/index.html").read_text()
    entries = srcset_entries(page)
    assert entries and all(url.startswith("/berita/images/") for url, _ in entries)
    assert all(output_file(out, url, "/berita").is_file() for url, _ in entries)


def test_copy_name_taken_by_a_static_file_is_an_error(make_site, build_site):
    site = site_with_images(make_site)
    (site / "static/images/besar-480w.jpg").write_bytes(photo(480, 270, seed=9))
    (site / "output").mkdir()
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    message = caught.value.diagnostics[0].format()
    assert "besar.jpg" in message and "images/besar-480w.jpg" in message and "rename" in message
    assert not any((site / "output").iterdir())                      # nothing written


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium from the distribution (.ci/run installs it)")
@pytest.mark.parametrize("viewport, expected", [(390, "/images/besar-480w.webp"), (1280, "/images/besar-800w.webp")])
def test_a_real_browser_loads_the_small_webp_not_the_original(make_site, build_site, tmp_path, viewport, expected):
    import functools
    import http.server
    import subprocess
    import threading

    site = site_with_images(make_site)
    build_site(site)
    requested: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):      # noqa: A002 (the base class's name)
            requested.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(site / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                        f"--window-size={viewport},900", "--force-device-scale-factor=1", "--dump-dom",
                        f"http://127.0.0.1:{server.server_port}/2026/11/rilis-bergambar/"],
                       capture_output=True, timeout=120, check=True)
    finally:
        server.shutdown()
        server.server_close()
    images = [path for path in requested if path.startswith("/images/besar")]
    assert images == [expected]


def test_parallel_encoding_gives_the_same_bytes(make_site, build_site, tmp_path):
    files = {f"static/images/foto-{i}.jpg": photo(700, 400, seed=10 + i) for i in range(5)}
    files.update({f"content/r{i}.md": release(f"Rilis Nomor {i}", image=f"/images/foto-{i}.jpg", image_alt="Foto")
                  for i in range(5)})
    site = make_site(files)
    trees = []
    for jobs in (1, 2):
        import shutil
        shutil.rmtree(site / ".humasgen", ignore_errors=True)
        result = build_site(site, output_dir=tmp_path / f"out-{jobs}", jobs=jobs)
        assert result.images_encoded == 5
        out = tmp_path / f"out-{jobs}"
        trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert trees[0] == trees[1]
    assert sum(1 for name in trees[0] if name.suffix == ".webp") == 10      # 480 and full size, 5 images


def test_share_meta_points_at_the_1200px_copy_with_its_real_size(make_site, build_site):
    """og:image, twitter:image and the JSON-LD image: a 1200-px copy (WhatsApp drops previews of big files)."""
    import json
    from lxml import html as lxml_html
    site = make_site({
        "static/images/dari-ponsel.jpg": make_photo(4032, 3024, seed=5),
        "content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan", image="/images/dari-ponsel.jpg",
                                image_alt="Gubernur menggunting pita"),
    })
    build_site(site)
    out = site / "output"
    doc = lxml_html.fromstring((out / "2026/11/gubernur-resmikan-jembatan-sungai-harapan/index.html").read_bytes())
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta")}
    base = "https://uji.example.go.id"
    assert meta["og:image"] == meta["twitter:image"] == f"{base}/images/dari-ponsel-1200w.jpg"
    shared = out / "images/dari-ponsel-1200w.jpg"
    with Image.open(shared) as copy:
        assert copy.size == (1200, 900) and copy.width >= 1200 and copy.height >= 630
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "900")
    assert shared.stat().st_size < 300_000
    (data,) = [json.loads(s) for s in doc.xpath('//script[@type="application/ld+json"]/text()')
               if '"NewsArticle"' in s]
    assert data["image"] == [{"@type": "ImageObject", "url": f"{base}/images/dari-ponsel-1200w.jpg",
                              "width": 1200, "height": 900}]
    # The page itself still offers the original to the largest screens.
    assert "/images/dari-ponsel.jpg" in (out / "2026/11/gubernur-resmikan-jembatan-sungai-harapan/index.html").read_text()
