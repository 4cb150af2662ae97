"""carousel/01.jpg … NN.jpg: 1080×1350 Instagram slides of a release, each with its alt text.

Slides, 3 to 8: a cover (photo and headline), one per key sentence (`highlights`),
a quote slide when the release quotes someone by name, and a closing slide with
the link, a QR code and the press contact. Drawn with Pillow in Noto Sans; JPEG
with fixed settings, cached in `.humasgen/carousels/` by the Story's hash.
"""
from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from . import canvas
from .images import open_photo
from .story import Story

WIDTH, HEIGHT = 1080, 1350
PAD = 72
MAX_SLIDES = 8


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=False, progressive=False, subsampling="4:2:0")
    return out.getvalue()


def _header(image: Image.Image, story: Story) -> int:
    """Logo badge and agency name at the top; returns the y below them."""
    draw = ImageDraw.Draw(image)
    x = PAD
    badge = canvas.logo_badge(story.logo, 76)
    if badge is not None:
        image.paste(badge, (x, PAD), badge)
        x += 76 + 20
    face, lines = canvas.fit_block(story.agency, canvas.BOLD, WIDTH - PAD - x, 76, range(28, 19, -2), leading=1.25)
    height = len(lines) * int(face.size * 1.25)
    canvas.draw_block(draw, x, PAD + (76 - height) // 2, lines, face, canvas.WHITE, leading=1.25)
    return PAD + 76


def _footer(image: Image.Image, story: Story, number: int, total: int) -> int:
    """The headline, small, and the slide number at the bottom; returns the y above them."""
    draw = ImageDraw.Draw(image)
    page = canvas.load_font(canvas.BOLD, 26)
    mark = f"{number}/{total}"
    draw.text((WIDTH - PAD - page.getlength(mark), HEIGHT - PAD - 30), mark, font=page, fill=canvas.SOFT)
    face, lines = canvas.fit_block(story.title, canvas.REGULAR, WIDTH - 2 * PAD - 120, 34, range(24, 23, -1))
    draw.text((PAD, HEIGHT - PAD - 30), lines[0], font=face, fill=canvas.SOFT)
    draw.rectangle((PAD, HEIGHT - PAD - 54, PAD + 60, HEIGHT - PAD - 48), fill=story.accent)
    return HEIGHT - PAD - 80


def _cover(story: Story, photo: Image.Image | None, total: int) -> Image.Image:
    image = canvas.brand_background((WIDTH, HEIGHT), story.brand, story.brand_dark)
    text_top = 420
    if photo is not None:
        panel = ImageOps.fit(photo, (WIDTH, 700), Image.Resampling.LANCZOS, centering=(0.5, 0.45))
        image.paste(panel, (0, 0))
        shade = Image.new("RGB", (WIDTH, 200), canvas.INK)
        image.paste(Image.blend(image.crop((0, 0, WIDTH, 200)), shade, 0.55), (0, 0))
        text_top = 740
    _header(image, story)
    draw = ImageDraw.Draw(image)
    bottom = _footer(image, story, 1, total)
    y = text_top
    if story.kicker:
        kick = canvas.load_font(canvas.BOLD, 28)
        draw.rectangle((PAD, y + 11, PAD + 48, y + 19), fill=story.accent)
        draw.text((PAD + 62, y), story.kicker.upper(), font=kick, fill=canvas.WHITE)
        y += 56
    meta = " · ".join(p for p in (story.dateline.upper(), story.date) if p)
    meta_face, meta_lines = canvas.fit_block(meta, canvas.REGULAR, WIDTH - 2 * PAD, 70, range(30, 21, -2))
    room = bottom - y - len(meta_lines) * int(meta_face.size * 1.3) - 24
    face, lines = canvas.fit_block(story.title, canvas.BOLD, WIDTH - 2 * PAD, room, range(76, 39, -2), leading=1.16)
    y = canvas.draw_block(draw, PAD, y, lines, face, canvas.WHITE, leading=1.16) + 16
    canvas.draw_block(draw, PAD, y, meta_lines, meta_face, canvas.SOFT, leading=1.3)
    return image


def _point(story: Story, text: str, number: int, count: int, slide: int, total: int) -> Image.Image:
    image = canvas.brand_background((WIDTH, HEIGHT), story.brand, story.brand_dark)
    top = _header(image, story) + 70
    bottom = _footer(image, story, slide, total)
    draw = ImageDraw.Draw(image)
    label = canvas.load_font(canvas.BOLD, 30)
    draw.text((PAD, top), f"{story.words['points'].upper()}  {number}/{count}", font=label, fill=canvas.SOFT)
    top += 80
    face, lines = canvas.fit_block(text, canvas.BOLD, WIDTH - 2 * PAD - 30, bottom - top - 30, range(68, 35, -2),
                                   leading=1.24)
    height = len(lines) * int(face.size * 1.24)
    y = top + max(0, (bottom - top - height) // 2 - 40)
    draw.rectangle((PAD, y + 8, PAD + 9, y + height - int(face.size * 0.2)), fill=story.accent)
    canvas.draw_block(draw, PAD + 30, y, lines, face, canvas.WHITE, leading=1.24)
    return image


def _quote(story: Story, slide: int, total: int) -> Image.Image:
    assert story.quote is not None
    image = canvas.brand_background((WIDTH, HEIGHT), story.brand_dark, story.brand_dark)
    top = _header(image, story) + 60
    bottom = _footer(image, story, slide, total)
    draw = ImageDraw.Draw(image)
    mark = canvas.load_font(canvas.BOLD, 200)
    draw.text((PAD - 8, top - 40), "“", font=mark, fill=story.accent)
    top += 170
    who = canvas.load_font(canvas.BOLD, 34)
    face, lines = canvas.fit_block(story.quote.text, canvas.BOLD, WIDTH - 2 * PAD, bottom - top - 110,
                                   range(60, 33, -2), leading=1.26)
    y = canvas.draw_block(draw, PAD, top, lines, face, canvas.WHITE, leading=1.26) + 30
    speaker_face, speaker = canvas.fit_block(f"— {story.quote.speaker}", canvas.BOLD, WIDTH - 2 * PAD, 90,
                                             range(who.size, 23, -2))
    canvas.draw_block(draw, PAD, y, speaker, speaker_face, canvas.SOFT)
    return image


def _closing(story: Story, slide: int, total: int) -> Image.Image:
    image = canvas.brand_background((WIDTH, HEIGHT), story.brand, story.brand_dark)
    top = _header(image, story) + 50
    draw = ImageDraw.Draw(image)
    centre = WIDTH // 2
    head_face, head = canvas.fit_block(story.words["read"], canvas.BOLD, WIDTH - 2 * PAD, 130, range(58, 35, -2))
    y = canvas.draw_block(draw, PAD, top, head, head_face, canvas.WHITE, centre=centre) + 20
    code = canvas.qr_image(story.carousel_link, 360)
    frame = Image.new("RGB", (code.width + 32, code.height + 32), canvas.WHITE)
    frame.paste(code, (16, 16))
    canvas.paste_centre(image, frame, centre, y)
    y += frame.height + 24
    url_face, url = canvas.url_lines(story.short_url, canvas.BOLD, WIDTH - 2 * PAD, range(38, 21, -2))
    y = canvas.draw_block(draw, PAD, y, url, url_face, canvas.WHITE, leading=1.2, centre=centre) + 30
    draw.rectangle((centre - 30, y, centre + 30, y + 6), fill=story.accent)
    y += 28
    label = canvas.load_font(canvas.BOLD, 28)
    y = canvas.draw_block(draw, PAD, y, [story.words["contact"].upper()], label, canvas.SOFT, centre=centre)
    bottom = _footer(image, story, slide, total)
    for size in range(30, 19, -2):
        face = canvas.load_font(canvas.REGULAR, size)
        rows = [row for text in story.contact for row in canvas.wrap(text, face, WIDTH - 2 * PAD)]
        if len(rows) * int(size * 1.3) <= bottom - y:
            break
    canvas.draw_block(draw, PAD, y, rows, face, canvas.WHITE, leading=1.3, centre=centre)
    return image


def slides(story: Story) -> list[tuple[str, Image.Image, str]]:
    """(file name, image, alt text) of every slide, in order."""
    words = story.words
    photo = open_photo(story.photos[0]) if story.photos else None
    points = [h.text for h in story.highlights][: MAX_SLIDES - 3]
    total = 1 + len(points) + (1 if story.quote else 0) + 1
    made: list[tuple[Image.Image, str]] = []
    cover_alt = f"{words['cover']}: {story.title}. {story.date}. {story.agency}."
    made.append((_cover(story, photo, total), cover_alt))
    for number, text in enumerate(points, 1):
        made.append((_point(story, text, number, len(points), len(made) + 1, total),
                     f"{words['point']} {number} {words['of']} {len(points)}: {text}"))
    if story.quote:
        made.append((_quote(story, len(made) + 1, total),
                     f"{words['quote']}, {story.quote.speaker}: “{story.quote.text}”"))
    contact = "; ".join(story.contact)
    made.append((_closing(story, len(made) + 1, total),
                 f"{words['closing']}: {words['read']}: {story.short_url}. {words['contact']}: {contact}."))
    return [(f"{number:02d}.jpg", image, alt) for number, (image, alt) in enumerate(made, 1)]


def cached_carousel(story: Story, cache_dir: Path) -> tuple[dict[str, bytes], list[dict[str, str]]]:
    """Slide file name -> JPEG bytes, and the alt texts; drawn only when the Story changed."""
    folder = cache_dir / "carousels" / story.key("carousel")
    alts_file = folder / "alt.txt"
    if not alts_file.is_file():
        made = slides(story)
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            for name, image, _ in made:
                (fresh / name).write_bytes(_jpeg(image))
            (fresh / "alt.txt").write_text("\n".join(alt.replace("\n", " ") for _, _, alt in made) + "\n",
                                           encoding="utf-8")
            os.rename(fresh, folder)
        except OSError:
            if not alts_file.is_file():     # not another process that got there first
                raise
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    alts = alts_file.read_text(encoding="utf-8").splitlines()
    names = sorted(p.name for p in folder.glob("*.jpg"))
    files = {name: (folder / name).read_bytes() for name in names}
    return files, [{"file": f"carousel/{name}", "alt": alt} for name, alt in zip(names, alts)]
