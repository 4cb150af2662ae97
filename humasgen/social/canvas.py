"""Drawing shared by the video and the carousel: backgrounds, fitted text, the logo badge, QR codes."""
from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

import segno

from .images import BOLD, REGULAR, load_font, open_logo, wrap

WHITE = (255, 255, 255)
SOFT = (226, 233, 240)
INK = (12, 20, 32)

__all__ = ["BOLD", "REGULAR", "WHITE", "SOFT", "INK", "load_font", "brand_background", "photo_backdrop",
           "fit_block", "url_lines", "draw_block", "logo_badge", "qr_image", "paste_centre", "wrap"]


def brand_background(size: tuple[int, int], brand: tuple[int, int, int], dark: tuple[int, int, int]) -> Image.Image:
    """The agency colours, top to bottom, with quiet rings from the top-right corner."""
    width, height = size
    column = Image.new("L", (1, 256))
    column.putdata(list(range(256)))
    mix = column.resize(size, Image.Resampling.BILINEAR)
    base = Image.composite(Image.new("RGB", size, dark), Image.new("RGB", size, brand), mix)
    rings = Image.new("L", size, 0)
    draw = ImageDraw.Draw(rings)
    cx, cy = int(width * 1.02), int(height * -0.05)
    for radius in range(int(width * 0.2), int(width * 0.9), int(width * 0.12)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=30, width=max(2, width // 300))
    return Image.composite(Image.new("RGB", size, WHITE), base, rings)


def photo_backdrop(size: tuple[int, int], photo: Image.Image, darken: float = 0.62) -> Image.Image:
    """The photo blurred to fill the frame and darkened: white text reads on it, whatever the photo."""
    small = ImageOps.fit(photo, (max(1, size[0] // 8), max(1, size[1] // 8)), Image.Resampling.BILINEAR)
    blurred = small.filter(ImageFilter.GaussianBlur(6)).resize(size, Image.Resampling.BILINEAR)
    return Image.blend(blurred, Image.new("RGB", size, INK), darken)


def fit_block(text: str, path, width: int, height: int, sizes: range,
              leading: float = 1.22) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which `text` fits the box; at the smallest, cut with an ellipsis."""
    for size in sizes:
        face = load_font(path, size)
        lines = wrap(text, face, width)
        if len(lines) * int(size * leading) <= height:
            return face, lines
    face = load_font(path, sizes[-1])
    lines = wrap(text, face, width)
    keep = max(1, height // int(face.size * leading))
    if len(lines) > keep:
        last = lines[keep - 1]
        while last and face.getlength(last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = lines[: keep - 1] + [last.rstrip(" ,;:") + " …"]
    return face, lines


def url_lines(url: str, path, width: int, sizes: range, max_lines: int = 3) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """A link broken after a '/' or '-' of its path (the domain stays whole), at the largest size that fits."""
    import regex
    domain, slash, rest = url.partition("/")
    pieces = [domain + slash, *regex.findall(r"[^/-]+[/-]?|[/-]", rest)]
    for size in sizes:
        face = load_font(path, size)
        lines, line = [], ""
        for piece in pieces:
            if line and face.getlength(line + piece) > width:
                lines.append(line)
                line = ""
            line += piece
        lines.append(line)
        if len(lines) <= max_lines and all(face.getlength(x) <= width for x in lines):
            return face, lines
    return fit_block(url, path, width, max_lines * int(sizes[-1] * 1.22), sizes[-1:])


def draw_block(draw: ImageDraw.ImageDraw, x: int, y: int, lines: list[str], face: ImageFont.FreeTypeFont,
               fill: tuple[int, int, int], leading: float = 1.22, centre: int | None = None) -> int:
    """Draw lines from (x, y) (centred on `centre` when given); returns the y below the block."""
    step = int(face.size * leading)
    for line in lines:
        left = x if centre is None else int(centre - face.getlength(line) / 2)
        draw.text((left, y), line, font=face, fill=fill)
        y += step
    return y


def logo_badge(path, size: int) -> Image.Image | None:
    """The logo on a white rounded square, so any logo shows on any background."""
    mark = open_logo(path, int(size * 0.8))
    if mark is None:
        return None
    badge = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(badge).rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=(*WHITE, 255))
    badge.alpha_composite(mark, ((size - mark.width) // 2, (size - mark.height) // 2))
    return badge


def qr_image(link: str, size: int) -> Image.Image:
    """A QR code for `link`, black on white with its quiet zone, at most `size` pixels, sharp edges."""
    code = segno.make(link, error="m", micro=False)
    modules = len(code.matrix) + 8                      # 4 modules of quiet zone each side
    scale = max(1, size // modules)
    image = Image.new("1", (modules, modules), 1)
    pixels = image.load()
    for row, bits in enumerate(code.matrix):
        for column, bit in enumerate(bits):
            if bit:
                pixels[column + 4, row + 4] = 0
    return image.resize((modules * scale, modules * scale), Image.Resampling.NEAREST).convert("RGB")


def paste_centre(image: Image.Image, layer: Image.Image, centre_x: int, top: int) -> None:
    x = int(centre_x - layer.width / 2)
    if layer.mode == "RGBA":
        image.paste(layer, (x, top), layer)
    else:
        image.paste(layer, (x, top))
