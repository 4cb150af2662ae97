"""reel.mp4: a 1080×1920 vertical video of a release, for TikTok, Instagram Reels and YouTube Shorts.

A reel is a few scenes: the headline with the dateline and date, then the key
sentences one after another (see `highlights`), then a closing card with the link
and a QR code. Each scene is drawn once with Pillow (backdrop, logo, texts); only
the photo panel moves (a slow zoom and pan, cropped from the photo with sub-pixel
precision), and scenes cross-fade. Encoding is PyAV's own FFmpeg: H.264 (libx264,
preset fast, yuv420p, 30 fps) with an AAC track: silent, or the site's music.

All text stays inside the safe area that the three apps leave free of their own
buttons and captions (`SAFE`): not the top 250 px, not the bottom 440 px, and not
the 150 px on the right where the like and share buttons sit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from ..errors import HumasgenError
from . import canvas
from .images import open_photo
from .story import Story

WIDTH, HEIGHT, FPS = 1080, 1920, 30
SAFE = (72, 250, 930, 1480)             # left, top, right, bottom: text never leaves this box
FADE = 10                               # frames of cross-fade between scenes
ZOOM = 1.10                             # the photo panel zooms between 1 and this
CLOSING_SECONDS = 4.0
AUDIO_RATE, AUDIO_SAMPLES = 44_100, 1024
PANEL_TOP = 380


@dataclass(frozen=True, slots=True)
class Scene:
    kind: str                           # title, caption, closing
    text: str
    frames: int
    photo: int | None                   # index into story.photos
    number: int = 0                     # caption number, from 1


def _words(text: str) -> int:
    return len(text.split())


def plan(story: Story) -> tuple[Scene, ...]:
    """Scenes and their length: reading time per scene, the whole within the configured bounds."""
    title = min(6.0, max(4.0, 2.0 + 0.22 * _words(story.title)))
    texts = [h.text for h in story.highlights]
    captions = [min(8.0, max(3.5, 1.2 + _words(t) / 2.6)) for t in texts]
    # Sentences are dropped (the last first; the carousel still has them) rather than shown
    # for less than four fifths of their reading time.
    while len(captions) > 2 and title + sum(captions) > 1.25 * (story.max_seconds - CLOSING_SECONDS):
        captions.pop()
    body = title + sum(captions)
    room = story.max_seconds - CLOSING_SECONDS
    if body > room:
        title, captions = title * room / body, [c * room / body for c in captions]
    shortfall = story.min_seconds - CLOSING_SECONDS - title - sum(captions)
    if shortfall > 0:
        if captions:
            total = sum(captions)
            captions = [c + shortfall * c / total for c in captions]
        else:
            title += shortfall
    # Whole frames, rounded on the running total so the sum stays within the bounds.
    ends = [round(sum([title, *captions][:i + 1]) * FPS) for i in range(1 + len(captions))]
    lengths = [b - a for a, b in zip([0, *ends], ends)]
    photos = len(story.photos)
    scenes = [Scene("title", story.title, lengths[0], 0 if photos else None)]
    for number, (text, frames) in enumerate(zip(texts, lengths[1:]), 1):
        scenes.append(Scene("caption", text, frames, number % photos if photos else None, number))
    scenes.append(Scene("closing", story.url, round(CLOSING_SECONDS * FPS), None))
    return tuple(scenes)


def timeline(scenes: tuple[Scene, ...]) -> list[dict]:
    """Start and end (seconds) of every scene, as snippets.json records them (subtitles, tests)."""
    out, start = [], 0
    for scene in scenes:
        out.append({"kind": scene.kind, "text": scene.text, "start": round(start / FPS, 3),
                    "end": round((start + scene.frames) / FPS, 3)})
        start += scene.frames
    return out


# --- drawing a scene ------------------------------------------------------------------------------

def _logo_bar(image: Image.Image, story: Story) -> None:
    left, top, right, _ = SAFE
    size = 88
    x = left
    badge = canvas.logo_badge(story.logo, size)
    if badge is not None:
        image.paste(badge, (x, top + 8), badge)
        x += size + 22
    draw = ImageDraw.Draw(image)
    face, lines = canvas.fit_block(story.agency, canvas.BOLD, right - x, size, range(30, 21, -2), leading=1.25)
    height = len(lines) * int(face.size * 1.25)
    canvas.draw_block(draw, x, top + 8 + (size - height) // 2, lines, face, canvas.WHITE, leading=1.25)


def _panel_height(photo: Image.Image) -> int:
    return min(760, max(540, round(WIDTH * photo.height / photo.width)))


def _credit(story: Story) -> str:
    credit = story.credit.strip()
    if not credit:
        return ""
    word = story.words["photo"]
    return credit if credit.lower().startswith(("foto", "photo", "dok", "doc")) else f"{word}: {credit}"


def _text_zone(draw: ImageDraw.ImageDraw, scene: Scene, story: Story, top: int, total: int) -> None:
    """The headline block or a caption, centred in the safe area below `top`."""
    left, _, right, bottom = SAFE
    width = right - left
    blocks: list[tuple] = []           # (style, face, lines, fill, leading, gap after)
    if scene.kind == "title":
        kicker = story.kicker.upper()
        meta = " · ".join(p for p in (story.dateline.upper(), story.date) if p)
        meta_face, meta_lines = canvas.fit_block(meta, canvas.REGULAR, width, 90, range(34, 25, -2))
        kick_face = canvas.load_font(canvas.BOLD, 30)
        reserve = (int(kick_face.size * 1.6) if kicker else 0) + len(meta_lines) * int(meta_face.size * 1.3) + 30
        title_face, title_lines = canvas.fit_block(scene.text, canvas.BOLD, width, bottom - top - reserve,
                                                   range(80, 43, -2), leading=1.16)
        if kicker:
            blocks.append(("kicker", kick_face, [kicker], canvas.WHITE, 1.6, 0))
        blocks.append(("title", title_face, title_lines, canvas.WHITE, 1.16, 30))
        blocks.append(("meta", meta_face, meta_lines, canvas.SOFT, 1.3, 0))
    else:
        label_face = canvas.load_font(canvas.BOLD, 28)
        label = f"{story.words['points'].upper()}  {scene.number}/{total}"
        face, lines = canvas.fit_block(scene.text, canvas.BOLD, width - 28, bottom - top - 70,
                                       range(64, 39, -2), leading=1.24)
        blocks.append(("label", label_face, [label], canvas.SOFT, 1.7, 0))
        blocks.append(("caption", face, lines, canvas.WHITE, 1.24, 0))
    height = sum(len(b[2]) * int(b[1].size * b[4]) + b[5] for b in blocks)
    y = top + max(0, (bottom - top - height) // 2)
    for style, face, lines, fill, leading, gap in blocks:
        x = left
        if style == "caption":          # an accent bar down the side of the sentence
            step = int(face.size * leading)
            draw.rectangle((left, y + 6, left + 8, y + step * len(lines) - int(face.size * 0.2)), fill=story.accent)
            x = left + 28
        elif style == "kicker":         # a short accent bar before the category
            draw.rectangle((left, y + 12, left + 48, y + 20), fill=story.accent)
            x = left + 62
        y = canvas.draw_block(draw, x, y, lines, face, fill, leading=leading) + gap


def _closing(image: Image.Image, story: Story) -> None:
    """Heading, QR code, short link: centred in the safe area below the logo bar."""
    left, top, right, bottom = SAFE
    centre = (left + right) // 2
    width = right - left
    draw = ImageDraw.Draw(image)
    head_face, head = canvas.fit_block(story.words["read"], canvas.BOLD, width, 150, range(64, 39, -2))
    code = canvas.qr_image(story.reel_link, 470)
    frame = Image.new("RGB", (code.width + 40, code.height + 40), canvas.WHITE)
    frame.paste(code, (20, 20))
    scan_face, scan = canvas.fit_block(story.words["scan"], canvas.REGULAR, width, 80, range(32, 23, -2))
    url_face, url = canvas.url_lines(story.short_url, canvas.BOLD, width, range(44, 23, -2))
    height = (len(head) * int(head_face.size * 1.22) + 36 + frame.height + 40
              + len(scan) * int(scan_face.size * 1.22) + 8 + len(url) * int(url_face.size * 1.2))
    y = top + 130 + max(0, (bottom - top - 130 - height) // 2)
    y = canvas.draw_block(draw, left, y, head, head_face, canvas.WHITE, centre=centre) + 36
    canvas.paste_centre(image, frame, centre, y)
    y += frame.height + 40
    y = canvas.draw_block(draw, left, y, scan, scan_face, canvas.SOFT, centre=centre) + 8
    canvas.draw_block(draw, left, y, url, url_face, canvas.WHITE, leading=1.2, centre=centre)


@dataclass(slots=True)
class _Drawn:
    base: Image.Image                   # everything still
    photo: Image.Image | None           # the panel's source (already cropped to its aspect, with margin)
    panel: tuple[int, int]              # top, height of the moving panel
    direction: int                      # +1 zoom in and pan right, -1 zoom out and pan left


def _draw_scene(scene: Scene, story: Story, photos: list[Image.Image | None], total: int) -> _Drawn:
    photo = photos[scene.photo] if scene.photo is not None else None
    size = (WIDTH, HEIGHT)
    if photo is None:
        base = canvas.brand_background(size, story.brand, story.brand_dark)
    else:
        base = canvas.photo_backdrop(size, photo)
    _logo_bar(base, story)
    draw = ImageDraw.Draw(base)
    if scene.kind == "closing":
        _closing(base, story)
        return _Drawn(base, None, (0, 0), 1)
    source, panel, top = None, (0, 0), PANEL_TOP + 120
    if photo is not None:
        height = _panel_height(photo)
        panel = (PANEL_TOP, height)
        margin = (round(WIDTH * ZOOM), round(height * ZOOM))
        source = ImageOps.fit(photo, margin, Image.Resampling.LANCZOS, centering=(0.5, 0.45))
        top = PANEL_TOP + height + 18
        credit = _credit(story) if scene.photo == 0 and story.lead_photo else ""
        if credit:
            face, lines = canvas.fit_block(credit, canvas.REGULAR, SAFE[2] - SAFE[0], 34, range(24, 17, -2))
            canvas.draw_block(draw, SAFE[0], top, lines[:1], face, canvas.SOFT)
        top += 56
    _text_zone(draw, scene, story, top, total=total)
    return _Drawn(base, source, panel, 1 if scene.number % 2 == 0 else -1)


def _frame(drawn: _Drawn, at: float) -> Image.Image:
    """The scene at `at` (0 to 1): the still base with the photo panel zoomed and panned."""
    if drawn.photo is None:
        return drawn.base
    top, height = drawn.panel
    progress = at if drawn.direction > 0 else 1 - at
    zoom = 1 + (ZOOM - 1) * progress
    source_w, source_h = drawn.photo.size
    box_w, box_h = source_w / zoom, source_h / zoom
    x = (source_w - box_w) * (0.3 + 0.4 * progress)
    y = (source_h - box_h) * 0.5
    panel = drawn.photo.resize((WIDTH, height), Image.Resampling.BILINEAR, box=(x, y, x + box_w, y + box_h))
    frame = drawn.base.copy()
    frame.paste(panel, (0, top))
    return frame


def frames(story: Story, scenes: tuple[Scene, ...]):
    """Every frame of the reel, in order, as Pillow images (scenes drawn one at a time)."""
    photos = [open_photo(path) for path in story.photos]
    total = sum(1 for s in scenes if s.kind == "caption")
    previous: Image.Image | None = None
    for scene in scenes:
        drawn = _draw_scene(scene, story, photos, total)
        last = None
        for index in range(scene.frames):
            image = _frame(drawn, index / max(1, scene.frames - 1))
            if previous is not None and index < FADE:
                image = Image.blend(previous, image, (index + 1) / (FADE + 1))
            last = image
            yield image
        previous = last


# --- sound and encoding ------------------------------------------------------------------------

def soundtrack(story: Story, samples: int, where: tuple[str, int | None]):
    """The audio as a (2, samples) float32 array: the music looped or cut, faded; silence without."""
    import av
    import numpy as np

    track = np.zeros((2, samples), dtype=np.float32)
    if story.music is None:
        return track
    pieces = []
    try:
        with av.open(str(story.music)) as source:
            resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
            for frame in source.decode(audio=0):
                for out in resampler.resample(frame):
                    pieces.append(out.to_ndarray())
                if sum(p.shape[1] for p in pieces) >= samples:
                    break
    except (av.FFmpegError, IndexError, StopIteration, OSError) as exc:
        raise HumasgenError.single(where[0], where[1], f"cannot read the music file '{story.music.name}': {exc}",
                                   "use an MP3, M4A, OGG or WAV file with sound in it") from None
    if not pieces:
        raise HumasgenError.single(where[0], where[1], f"the music file '{story.music.name}' has no sound in it",
                                   "use an MP3, M4A, OGG or WAV file with sound in it")
    music = np.concatenate(pieces, axis=1)
    repeats = -(-samples // music.shape[1])
    track[:] = np.tile(music, (1, repeats))[:, :samples] * 0.9
    fade_in, fade_out = min(samples, AUDIO_RATE // 4), min(samples, int(AUDIO_RATE * 1.5))
    track[:, :fade_in] *= np.linspace(0, 1, fade_in, dtype=np.float32)
    track[:, samples - fade_out:] *= np.linspace(1, 0, fade_out, dtype=np.float32)
    return track


def encode(story: Story, path: Path, where: tuple[str, int | None] = ("humasgen.toml", None)) -> None:
    """Write the reel of `story` to `path` (through a temporary file: never half a video)."""
    import av

    scenes = plan(story)
    count = sum(s.frames for s in scenes)
    samples = count * AUDIO_RATE // FPS
    audio = soundtrack(story, samples, where)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with av.open(str(tmp), "w", format="mp4", container_options={"movflags": "+faststart"}) as out:
            out.metadata["title"] = story.title
            video = out.add_stream("libx264", rate=FPS)
            video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
            video.options = {"preset": "fast", "crf": "23", "profile": "high"}
            video.codec_context.thread_count = min(2, os.cpu_count() or 1)
            sound = out.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
            sound.bit_rate = 128_000
            sent = 0
            for number, image in enumerate(frames(story, scenes)):
                frame = av.VideoFrame.from_image(image)
                frame.pts, frame.time_base = number, Fraction(1, FPS)
                out.mux(video.encode(frame))
                due = min(samples, (number + 1) * AUDIO_RATE // FPS)
                while sent + AUDIO_SAMPLES <= due or (number == count - 1 and sent < samples):
                    chunk = audio[:, sent:sent + AUDIO_SAMPLES]
                    piece = av.AudioFrame.from_ndarray(chunk.copy(order="C"), format="fltp", layout="stereo")
                    piece.sample_rate, piece.pts, piece.time_base = AUDIO_RATE, sent, Fraction(1, AUDIO_RATE)
                    out.mux(sound.encode(piece))
                    sent += chunk.shape[1]
            out.mux(video.encode(None))
            out.mux(sound.encode(None))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def cache_path(story: Story, cache_dir: Path) -> Path:
    return cache_dir / "reels" / f"{story.key('reel')}.mp4"


def cached_reel(story: Story, cache_dir: Path, where: tuple[str, int | None] = ("humasgen.toml", None)) -> Path:
    """The reel in `.humasgen/reels/`, encoded only when something it shows or plays changed."""
    path = cache_path(story, cache_dir)
    if not path.is_file():
        encode(story, path, where)
    return path
