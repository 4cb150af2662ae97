#!/usr/bin/env python3
"""Generate the demo site's illustrative images, logo and attachment PDF.

Deterministic: every picture is drawn from a fixed seed, so running the
script twice produces the same pictures. Only Pillow is required.

    python3 tools/demo_images.py            # writes into static/
    python3 tools/demo_images.py --out DIR  # writes into DIR/images, DIR/files
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 1200, 675
JPEG_QUALITY = 70

# --------------------------------------------------------------------------
# Palettes (sky top, sky bottom, accent 1, accent 2, accent 3, ground)
# --------------------------------------------------------------------------
PALETTES = {
    "dawn": ((255, 183, 140), (255, 232, 196), (46, 94, 120), (74, 140, 130), (240, 120, 80), (60, 110, 90)),
    "noon": ((110, 180, 230), (214, 236, 248), (30, 80, 130), (70, 150, 110), (250, 200, 70), (90, 150, 90)),
    "dusk": ((70, 60, 130), (240, 150, 120), (40, 40, 80), (120, 70, 120), (255, 200, 120), (50, 50, 90)),
    "teal": ((40, 130, 140), (180, 225, 220), (20, 70, 90), (240, 170, 60), (250, 240, 220), (30, 100, 100)),
    "civic": ((28, 64, 120), (110, 160, 210), (240, 190, 60), (230, 240, 250), (200, 60, 60), (20, 45, 90)),
    "leaf": ((170, 215, 160), (240, 248, 225), (40, 110, 70), (90, 160, 90), (230, 140, 60), (60, 130, 80)),
    "coral": ((250, 140, 120), (255, 222, 200), (120, 50, 70), (40, 110, 140), (255, 240, 200), (170, 80, 80)),
    "storm": ((70, 90, 110), (170, 185, 200), (30, 50, 70), (90, 120, 150), (250, 210, 80), (50, 70, 80)),
    "plum": ((120, 80, 150), (230, 210, 240), (60, 40, 90), (240, 150, 90), (250, 230, 160), (90, 60, 120)),
    "sand": ((240, 200, 140), (255, 245, 220), (150, 90, 50), (60, 120, 150), (230, 90, 60), (190, 150, 90)),
}


def lerp(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def shade(c, f):
    """Lighten (f > 0) or darken (f < 0) a colour."""
    if f >= 0:
        return lerp(c, (255, 255, 255), f)
    return lerp(c, (0, 0, 0), -f)


def gradient(top, bottom, w=W, h=H):
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):
        d.line([(0, y), (w, y)], fill=lerp(top, bottom, y / (h - 1)))
    return img


def hills(d, rnd, base_y, amp, color, n=3):
    pts = [(0, H)]
    phase = [rnd.uniform(0, math.tau) for _ in range(n)]
    freq = [rnd.uniform(0.6, 2.6) for _ in range(n)]
    for x in range(0, W + 10, 10):
        y = base_y
        for p, f in zip(phase, freq):
            y += amp / n * math.sin(x / W * math.tau * f / 2 + p)
        pts.append((x, y))
    pts.append((W, H))
    d.polygon(pts, fill=color)


def sun(d, x, y, r, color):
    for i in range(4, 0, -1):
        d.ellipse([x - r - i * 14, y - r - i * 14, x + r + i * 14, y + r + i * 14],
                  fill=shade(color, 0.18 * i))
    d.ellipse([x - r, y - r, x + r, y + r], fill=color)


def clouds(d, rnd, n, color):
    for _ in range(n):
        cx, cy = rnd.randint(60, W - 60), rnd.randint(40, 220)
        for _ in range(4):
            w = rnd.randint(50, 110)
            ox, oy = rnd.randint(-70, 70), rnd.randint(-14, 14)
            d.ellipse([cx + ox - w, cy + oy - w // 3, cx + ox + w, cy + oy + w // 3], fill=color)


def person(d, x, base, h, color):
    """A simple standing silhouette with its feet at (x, base)."""
    head = h * 0.14
    body_w = h * 0.22
    d.ellipse([x - head, base - h, x + head, base - h + 2 * head], fill=color)
    d.rounded_rectangle([x - body_w, base - h + 2.2 * head, x + body_w, base - h * 0.38],
                        radius=int(body_w * 0.6), fill=color)
    leg = h * 0.08
    d.rectangle([x - body_w * 0.8, base - h * 0.42, x - body_w * 0.8 + 2 * leg, base], fill=color)
    d.rectangle([x + body_w * 0.8 - 2 * leg, base - h * 0.42, x + body_w * 0.8, base], fill=color)


def crowd(d, rnd, n, base, hmin, hmax, colors):
    xs = sorted(rnd.uniform(40, W - 40) for _ in range(n))
    for x in xs:
        person(d, x, base + rnd.randint(-6, 6), rnd.uniform(hmin, hmax), rnd.choice(colors))


def building(d, x, w, h, ground, color, window, rnd, roof=None):
    top = ground - h
    d.rectangle([x, top, x + w, ground], fill=color)
    if roof == "gable":
        d.polygon([(x - 10, top), (x + w / 2, top - w * 0.35), (x + w + 10, top)], fill=shade(color, -0.25))
    elif roof == "dome":
        r = w * 0.28
        d.ellipse([x + w / 2 - r, top - r, x + w / 2 + r, top + r], fill=shade(color, -0.2))
    cols = max(1, int(w // 34))
    rows = max(1, int(h // 46))
    gx = w / cols
    gy = h / rows
    for i in range(cols):
        for j in range(rows - 1):
            if rnd.random() < 0.8:
                wx = x + i * gx + gx * 0.28
                wy = top + j * gy + gy * 0.3
                d.rectangle([wx, wy, wx + gx * 0.44, wy + gy * 0.45], fill=window)


def skyline(d, rnd, ground, colors, window, count=9, hmax=330):
    x = -20
    while x < W:
        w = rnd.randint(70, 150)
        h = rnd.randint(120, hmax)
        building(d, x, w, h, ground, rnd.choice(colors), window, rnd,
                 roof=rnd.choice([None, None, "gable", "dome"]))
        x += w + rnd.randint(4, 26)


def water(d, rnd, top, color):
    d.rectangle([0, top, W, H], fill=color)
    light = shade(color, 0.35)
    for _ in range(60):
        x = rnd.randint(0, W)
        y = rnd.randint(int(top) + 8, H - 4)
        l = rnd.randint(20, 70)
        d.line([(x, y), (x + l, y)], fill=light, width=2)


def boat(d, x, y, s, hull, sail):
    d.polygon([(x - 60 * s, y), (x + 60 * s, y), (x + 42 * s, y + 22 * s), (x - 42 * s, y + 22 * s)], fill=hull)
    d.rectangle([x - 2 * s, y - 80 * s, x + 2 * s, y], fill=hull)
    d.polygon([(x + 4 * s, y - 78 * s), (x + 4 * s, y - 8 * s), (x + 50 * s, y - 8 * s)], fill=sail)


def tree(d, x, base, h, trunk, leaf):
    d.rectangle([x - h * 0.05, base - h * 0.45, x + h * 0.05, base], fill=trunk)
    r = h * 0.3
    d.ellipse([x - r, base - h, x + r, base - h + 2 * r], fill=leaf)
    d.ellipse([x - r * 1.2, base - h * 0.75, x + r * 0.2, base - h * 0.75 + 1.4 * r], fill=shade(leaf, -0.1))
    d.ellipse([x - r * 0.2, base - h * 0.75, x + r * 1.2, base - h * 0.75 + 1.4 * r], fill=shade(leaf, 0.08))


# --------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------

def scene_landscape(rnd, p):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    sun(d, rnd.randint(200, 1000), rnd.randint(110, 220), 54, p[4])
    clouds(d, rnd, 3, shade(p[1], 0.5))
    hills(d, rnd, 380, 90, shade(p[2], 0.35))
    hills(d, rnd, 450, 70, shade(p[3], 0.1))
    hills(d, rnd, 540, 50, p[5])
    for _ in range(7):
        tree(d, rnd.randint(30, W - 30), rnd.randint(585, 660), rnd.randint(70, 130), shade(p[2], -0.4), shade(p[3], -0.15))
    return img


def scene_city(rnd, p):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    sun(d, rnd.randint(150, 1050), rnd.randint(100, 180), 46, p[4])
    clouds(d, rnd, 2, shade(p[1], 0.5))
    skyline(d, rnd, 560, [shade(p[2], 0.45), shade(p[2], 0.3)], shade(p[1], 0.4), hmax=380)
    skyline(d, rnd, 600, [p[2], shade(p[2], -0.15), shade(p[3], -0.3)], p[4], hmax=260)
    d.rectangle([0, 600, W, H], fill=p[5])
    d.rectangle([0, 628, W, 640], fill=shade(p[5], 0.3))
    return img


def scene_office(rnd, p):
    """A government office with a colonnade and a flag, people in front."""
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    clouds(d, rnd, 3, shade(p[1], 0.55))
    ground = 560
    d.rectangle([0, ground, W, H], fill=p[5])
    bx, bw, bh = 300, 600, 260
    body = shade(p[3], 0.55)
    d.rectangle([bx, ground - bh, bx + bw, ground], fill=body)
    d.polygon([(bx - 30, ground - bh), (bx + bw / 2, ground - bh - 110), (bx + bw + 30, ground - bh)],
              fill=shade(p[2], 0.1))
    d.polygon([(bx + 40, ground - bh - 8), (bx + bw / 2, ground - bh - 86), (bx + bw - 40, ground - bh - 8)],
              fill=shade(p[2], 0.35))
    for i in range(7):
        cx = bx + 45 + i * (bw - 90) / 6
        d.rectangle([cx - 14, ground - bh + 20, cx + 14, ground - 20], fill=shade(body, 0.5))
    d.rectangle([bx - 30, ground - 22, bx + bw + 30, ground], fill=shade(body, -0.15))
    d.rectangle([bx + bw / 2 - 40, ground - 130, bx + bw / 2 + 40, ground - 22], fill=shade(p[2], -0.2))
    # flag pole
    fx = 170
    d.rectangle([fx, ground - 360, fx + 6, ground], fill=(230, 230, 230))
    d.rectangle([fx + 6, ground - 356, fx + 96, ground - 326], fill=(220, 40, 50))
    d.rectangle([fx + 6, ground - 326, fx + 96, ground - 296], fill=(250, 250, 250))
    for x in (70, 1000, 1110):
        tree(d, x, ground + 10, rnd.randint(150, 200), shade(p[2], -0.4), shade((70, 140, 80), rnd.uniform(-0.1, 0.1)))
    crowd(d, rnd, 14, 650, 70, 100, [shade(p[2], -0.3), shade(p[3], -0.3), shade(p[4], -0.2)])
    return img


def scene_people(rnd, p):
    img = gradient(p[1], p[0])
    d = ImageDraw.Draw(img)
    # stage / banner
    d.rounded_rectangle([160, 80, 1040, 300], radius=18, fill=shade(p[2], 0.05))
    d.rounded_rectangle([190, 110, 1010, 270], radius=12, fill=shade(p[2], 0.2))
    for i in range(3):
        d.rounded_rectangle([240, 140 + i * 40, 240 + rnd.randint(380, 700), 160 + i * 40], radius=8,
                            fill=shade(p[4], 0.2 * i))
    d.rectangle([0, 470, W, H], fill=p[5])
    crowd(d, rnd, 9, 500, 150, 190, [shade(p[3], -0.3), shade(p[2], -0.2)])
    crowd(d, rnd, 14, 600, 170, 220, [shade(p[2], -0.5), shade(p[3], -0.45), shade(p[5], -0.5)])
    crowd(d, rnd, 10, 700, 200, 260, [shade(p[2], -0.65), shade(p[3], -0.6)])
    return img


def scene_chart(rnd, p):
    img = gradient(shade(p[1], 0.4), p[1])
    d = ImageDraw.Draw(img)
    left, right, top, bottom = 120, 1080, 110, 560
    d.rounded_rectangle([60, 60, 1140, 615], radius=24, fill=(255, 255, 255))
    for i in range(6):
        y = bottom - i * (bottom - top) / 5
        d.line([(left, y), (right, y)], fill=(225, 228, 235), width=2)
    n = 8
    bw = (right - left) / n
    vals = []
    v = rnd.uniform(0.3, 0.5)
    for _ in range(n):
        v = min(0.95, max(0.15, v + rnd.uniform(-0.08, 0.16)))
        vals.append(v)
    for i, v in enumerate(vals):
        x0 = left + i * bw + bw * 0.18
        d.rounded_rectangle([x0, bottom - v * (bottom - top), x0 + bw * 0.64, bottom], radius=8,
                            fill=p[2] if i % 2 == 0 else p[3])
    pts = [(left + i * bw + bw / 2, bottom - (v * 0.85 + 0.1) * (bottom - top)) for i, v in enumerate(vals)]
    d.line(pts, fill=p[4], width=6, joint="curve")
    for x, y in pts:
        d.ellipse([x - 10, y - 10, x + 10, y + 10], fill=p[4], outline=(255, 255, 255), width=3)
    d.line([(left, bottom), (right, bottom)], fill=(90, 90, 100), width=3)
    return img


def scene_bridge(rnd, p, progress=1.0):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    sun(d, 930, 150, 50, p[4])
    clouds(d, rnd, 2, shade(p[1], 0.5))
    hills(d, rnd, 380, 60, shade(p[2], 0.4))
    water(d, rnd, 470, shade(p[3], -0.1))
    # banks
    d.polygon([(0, 420), (230, 430), (300, 520), (0, 540)], fill=p[5])
    d.polygon([(W, 420), (970, 430), (900, 520), (W, 540)], fill=p[5])
    deck_y = 410
    x_end = 230 + (970 - 230) * progress
    d.rectangle([230, deck_y, x_end, deck_y + 18], fill=shade(p[2], -0.2))
    for px in (420, 600, 780):
        if px <= x_end + 1:
            d.rectangle([px - 10, deck_y + 18, px + 10, 560], fill=shade(p[2], -0.3))
        else:
            d.rectangle([px - 10, deck_y + 80, px + 10, 560], fill=shade(p[2], -0.3))
    # arch / cables
    if progress >= 1.0:
        d.arc([260, 250, 940, 570], 200, 340, fill=p[4], width=10)
    else:
        # crane
        cx = int(x_end) + 40
        d.rectangle([cx, 170, cx + 12, 470], fill=p[4])
        d.line([(cx - 140, 180), (cx + 120, 180)], fill=p[4], width=10)
        d.line([(cx + 100, 180), (cx + 100, 330)], fill=(60, 60, 60), width=2)
        d.rectangle([cx + 88, 330, cx + 112, 350], fill=shade(p[2], -0.2))
        for _ in range(3):  # workers standing on the finished part of the deck
            person(d, rnd.uniform(245, x_end - 12), deck_y, rnd.uniform(30, 38), rnd.choice((p[4], shade(p[4], -0.3))))
    return img


def scene_harbor(rnd, p):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    sun(d, rnd.randint(700, 1050), 170, 60, p[4])
    clouds(d, rnd, 3, shade(p[1], 0.5))
    hills(d, rnd, 360, 50, shade(p[2], 0.45))
    water(d, rnd, 420, shade(p[3], -0.05))
    # pier
    d.rectangle([0, 470, 560, 500], fill=shade(p[5], -0.1))
    for x in range(20, 560, 60):
        d.rectangle([x, 500, x + 10, 560], fill=shade(p[5], -0.35))
    building(d, 40, 180, 120, 470, shade(p[2], 0.3), shade(p[1], 0.4), rnd, roof="gable")
    building(d, 260, 140, 90, 470, shade(p[3], 0.2), shade(p[1], 0.4), rnd, roof="gable")
    for x, y, s in ((700, 520, 1.3), (950, 470, 0.9), (1100, 560, 1.1)):
        boat(d, x, y, s, shade(p[2], -0.3), shade(p[4], 0.4))
    crowd(d, rnd, 6, 470, 40, 52, [shade(p[2], -0.5)])
    return img


def scene_health(rnd, p):
    img = gradient(p[1], shade(p[0], 0.3))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 540, W, H], fill=shade(p[5], 0.2))
    building(d, 620, 460, 300, 540, (245, 245, 245), shade(p[3], 0.3), rnd)
    cx, cy = 850, 190
    d.rounded_rectangle([cx - 60, cy - 60, cx + 60, cy + 60], radius=18, fill=(255, 255, 255))
    d.rectangle([cx - 14, cy - 44, cx + 14, cy + 44], fill=(210, 50, 60))
    d.rectangle([cx - 44, cy - 14, cx + 44, cy + 14], fill=(210, 50, 60))
    # parents with children
    for i, x in enumerate((120, 300, 470)):
        c = [shade(p[2], -0.2), shade(p[3], -0.2), shade(p[4], -0.3)][i]
        person(d, x, 640, 230, c)
        person(d, x + 70, 640, 120, shade(c, 0.3))
    # heart
    hx, hy = 300, 150
    d.ellipse([hx - 60, hy - 40, hx, hy + 20], fill=p[4])
    d.ellipse([hx, hy - 40, hx + 60, hy + 20], fill=p[4])
    d.polygon([(hx - 57, hy), (hx + 57, hy), (hx, hy + 70)], fill=p[4])
    return img


def scene_school(rnd, p):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    clouds(d, rnd, 3, shade(p[1], 0.5))
    d.rectangle([0, 540, W, H], fill=p[5])
    building(d, 380, 620, 200, 540, shade(p[4], 0.1), shade(p[2], 0.2), rnd, roof="gable")
    # books
    for i, c in enumerate((p[2], p[3], shade(p[4], -0.3))):
        d.rounded_rectangle([90 + i * 8, 430 - i * 46, 300 - i * 8, 470 - i * 46], radius=6, fill=c)
        d.rectangle([100 + i * 8, 436 - i * 46, 290 - i * 8, 442 - i * 46], fill=shade(c, 0.5))
    # graduation cap
    cx, cy = 200, 250
    d.polygon([(cx - 100, cy), (cx, cy - 45), (cx + 100, cy), (cx, cy + 45)], fill=shade(p[2], -0.4))
    d.rectangle([cx - 55, cy + 10, cx + 55, cy + 60], fill=shade(p[2], -0.4))
    d.line([(cx + 80, cy + 8), (cx + 80, cy + 80)], fill=p[4], width=5)
    crowd(d, rnd, 12, 650, 80, 140, [shade(p[2], -0.4), shade(p[3], -0.4), shade(p[4], -0.5)])
    return img


def scene_network(rnd, p):
    img = gradient(p[0], shade(p[0], -0.35))
    d = ImageDraw.Draw(img)
    nodes = [(rnd.randint(60, W - 60), rnd.randint(60, H - 60)) for _ in range(34)]
    for i, a in enumerate(nodes):
        near = sorted(nodes, key=lambda b: (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)[1:4]
        for b in near:
            d.line([a, b], fill=shade(p[0], 0.35), width=2)
    for x, y in nodes:
        r = rnd.choice((6, 8, 12))
        d.ellipse([x - r - 5, y - r - 5, x + r + 5, y + r + 5], fill=shade(p[0], 0.2))
        d.ellipse([x - r, y - r, x + r, y + r], fill=rnd.choice((p[3], p[4], (255, 255, 255))))
    # tower
    tx = 980
    d.polygon([(tx - 70, 640), (tx, 250), (tx + 70, 640)], outline=(255, 255, 255), width=6)
    for y in range(320, 640, 70):
        t = (y - 250) / 390
        d.line([(tx - 70 * t, y), (tx + 70 * t, y)], fill=(255, 255, 255), width=4)
    for r in (40, 80, 120):
        d.arc([tx - r, 250 - r, tx + r, 250 + r], 200, 340, fill=p[3], width=6)
    return img


def scene_rain(rnd, p):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    clouds(d, rnd, 6, shade(p[0], -0.2))
    hills(d, rnd, 430, 60, shade(p[2], 0.2))
    water(d, rnd, 540, shade(p[3], -0.05))
    # tents (posko)
    for x in (160, 470):
        d.polygon([(x, 540), (x + 130, 420), (x + 260, 540)], fill=(230, 120, 40))
        d.polygon([(x + 100, 540), (x + 130, 470), (x + 160, 540)], fill=shade((230, 120, 40), -0.4))
    # rubber boat
    d.rounded_rectangle([780, 580, 1010, 620], radius=20, fill=p[4])
    crowd(d, rnd, 3, 590, 40, 50, [shade(p[4], -0.4)])
    for _ in range(170):
        x = rnd.randint(0, W)
        y = rnd.randint(0, H)
        d.line([(x, y), (x - 8, y + 26)], fill=shade(p[1], 0.45), width=2)
    return img


def scene_market(rnd, p):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    d.rectangle([0, 520, W, H], fill=p[5])
    x = 40
    while x < W - 120:
        w = rnd.randint(180, 240)
        c = rnd.choice((p[2], p[3], p[4]))
        d.rectangle([x + 10, 300, x + 20, 520], fill=shade(c, -0.4))
        d.rectangle([x + w - 20, 300, x + w - 10, 520], fill=shade(c, -0.4))
        # striped awning
        for i in range(6):
            sx = x + i * w / 6
            d.polygon([(sx, 260), (sx + w / 6, 260), (sx + w / 6, 310), (sx, 310)],
                      fill=c if i % 2 == 0 else (250, 250, 245))
        d.rectangle([x, 430, x + w, 470], fill=shade(c, -0.2))
        for k in range(6):
            gx = x + 18 + k * (w - 36) / 6
            d.ellipse([gx, 400, gx + 30, 432], fill=rnd.choice(((230, 70, 50), (250, 190, 60), (90, 170, 70), (180, 120, 60))))
        x += w + 30
    crowd(d, rnd, 11, 660, 110, 170, [shade(p[2], -0.5), shade(p[3], -0.5), shade(p[5], -0.5)])
    return img


def scene_festival(rnd, p):
    img = gradient(p[0], p[1])
    d = ImageDraw.Draw(img)
    for _ in range(9):
        x, y, r = rnd.randint(80, W - 80), rnd.randint(60, 260), rnd.randint(40, 80)
        c = rnd.choice((p[3], p[4], (255, 255, 255)))
        for a in range(0, 360, 20):
            d.line([(x, y), (x + r * math.cos(math.radians(a)), y + r * math.sin(math.radians(a)))], fill=c, width=3)
    # bunting
    for row_y in (330,):
        for i in range(24):
            x = i * 52
            d.polygon([(x, row_y), (x + 48, row_y), (x + 24, row_y + 40)],
                      fill=(220, 40, 50) if i % 2 == 0 else (250, 250, 250))
        d.line([(0, row_y), (W, row_y)], fill=(80, 80, 80), width=2)
    d.rectangle([0, 540, W, H], fill=p[5])
    crowd(d, rnd, 16, 660, 120, 200, [shade(p[2], -0.3), shade(p[3], -0.3), shade(p[4], -0.4)])
    return img


def scene_podium(rnd, p):
    """A speaker at a lectern in front of a backdrop, audience from behind."""
    img = gradient(shade(p[0], -0.2), p[0])
    d = ImageDraw.Draw(img)
    d.rectangle([100, 60, 1100, 420], fill=shade(p[2], 0.05))
    d.rectangle([130, 90, 1070, 390], fill=shade(p[2], 0.25))
    d.ellipse([170, 140, 330, 300], fill=p[4])
    d.ellipse([200, 170, 300, 270], fill=shade(p[2], 0.25))
    for i in range(3):
        d.rounded_rectangle([380, 160 + i * 50, 380 + (560, 460, 320)[i], 186 + i * 50], radius=10,
                            fill=(255, 255, 255) if i == 0 else shade(p[3], 0.4))
    d.rectangle([0, 420, W, H], fill=shade(p[5], -0.2))
    person(d, 600, 470, 200, shade(p[2], -0.6))
    d.polygon([(545, 400), (655, 400), (640, 520), (560, 520)], fill=shade(p[3], -0.35))
    crowd(d, rnd, 12, 720, 170, 210, [shade(p[2], -0.7), shade(p[5], -0.6)])
    return img


SCENES = {
    "landscape": scene_landscape,
    "city": scene_city,
    "office": scene_office,
    "people": scene_people,
    "chart": scene_chart,
    "bridge": scene_bridge,
    "harbor": scene_harbor,
    "health": scene_health,
    "school": scene_school,
    "network": scene_network,
    "rain": scene_rain,
    "market": scene_market,
    "festival": scene_festival,
    "podium": scene_podium,
}

# file name -> (scene, palette, seed, extra kwargs)
IMAGES = {
    "satu-data-peluncuran.jpg": ("network", "civic", 101, {}),
    "imunisasi-campak.jpg": ("health", "teal", 102, {}),
    "jembatan-sungai-harapan.jpg": ("bridge", "dawn", 103, {"progress": 0.15}),
    "umkm-bantuan-modal.jpg": ("market", "sand", 104, {}),
    "beasiswa-nusa-cerdas.jpg": ("school", "noon", 105, {}),
    "keterbukaan-informasi.jpg": ("office", "civic", 106, {}),
    "posyandu-digital.jpg": ("health", "coral", 107, {}),
    "pelabuhan-teluk-damar.jpg": ("harbor", "teal", 108, {}),
    "investment-forum.jpg": ("people", "plum", 109, {}),
    "posko-siaga-hujan.jpg": ("rain", "storm", 110, {}),
    "desa-terkoneksi-sekolah.jpg": ("network", "teal", 111, {}),
    "harga-pangan-stabil.jpg": ("chart", "leaf", 112, {}),
    "rapbd-2027.jpg": ("office", "dusk", 113, {}),
    "jembatan-progres.jpg": ("bridge", "noon", 114, {"progress": 0.45}),
    "jembatan-progres-detail.jpg": ("bridge", "dusk", 115, {"progress": 0.35}),
    "festival-budaya.jpg": ("festival", "dusk", 116, {}),
    "arah-kebijakan-2027.jpg": ("podium", "civic", 117, {}),
    "bandar-harapan-kota.jpg": ("city", "dawn", 118, {}),
}


def render(name: str, spec) -> Image.Image:
    scene, pal, seed, kw = spec
    rnd = random.Random(seed)
    img = SCENES[scene](rnd, PALETTES[pal], **kw)
    # light softening makes flat shapes compress well and look less harsh
    return img.filter(ImageFilter.SMOOTH)


# --------------------------------------------------------------------------
# Logo
# --------------------------------------------------------------------------

def make_logo(size=256) -> Image.Image:
    s = 4  # supersample for smooth edges
    S = size * s
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    navy, gold, sky, white = (22, 58, 112, 255), (236, 178, 44, 255), (60, 150, 210, 255), (255, 255, 255, 255)
    # shield
    m = 10 * s
    d.polygon([(m, m), (S - m, m), (S - m, S * 0.55), (S / 2, S - m), (m, S * 0.55)], fill=gold)
    m2 = 22 * s
    d.polygon([(m2, m2), (S - m2, m2), (S - m2, S * 0.54), (S / 2, S - m2 - 4 * s), (m2, S * 0.54)], fill=navy)
    # rising sun
    cx, cy, r = S / 2, S * 0.50, S * 0.16
    for a in range(190, 360, 20):
        x2 = cx + r * 1.45 * math.cos(math.radians(a))
        y2 = cy + r * 1.45 * math.sin(math.radians(a))
        d.line([(cx, cy), (x2, y2)], fill=gold, width=7 * s)
    d.pieslice([cx - r, cy - r, cx + r, cy + r], 180, 360, fill=gold)
    # waves (island / nusa)
    for i, c in enumerate((sky, white)):
        y = cy + 10 * s + i * 22 * s
        pts = []
        for k in range(0, 101):
            x = m2 + 8 * s + (S - 2 * m2 - 16 * s) * k / 100
            pts.append((x, y + 7 * s * math.sin(k / 100 * math.tau * 2)))
        d.line(pts, fill=c, width=9 * s, joint="curve")
    # signal arcs (communication)
    for rr in (0.06, 0.10, 0.14):
        R = S * rr
        d.arc([S / 2 - R, S * 0.25 - R, S / 2 + R, S * 0.25 + R], 220, 320, fill=white, width=6 * s)
    d.ellipse([S / 2 - 6 * s, S * 0.25 - 6 * s, S / 2 + 6 * s, S * 0.25 + 6 * s], fill=white)
    small = img.resize((size, size), Image.LANCZOS)
    # A 64-colour palette keeps the PNG small while preserving the alpha edge.
    return small.quantize(colors=64, method=Image.Quantize.FASTOCTREE)


# --------------------------------------------------------------------------
# Attachment PDF
# --------------------------------------------------------------------------

PDF_TEXT = [
    ("h1", "PEDOMAN SINGKAT"),
    ("h1", "BEASISWA NUSA CERDAS TAHUN 2026"),
    ("p", "Dinas Pendidikan Provinsi Nusa Harapan"),
    ("p", ""),
    ("h2", "1. Sasaran"),
    ("p", "Mahasiswa aktif jenjang D3, D4, dan S1 yang ber-KTP Provinsi Nusa Harapan."),
    ("h2", "2. Jadwal"),
    ("p", "Pendaftaran daring: 1 - 31 Oktober 2026"),
    ("p", "Seleksi administrasi: 2 - 13 November 2026"),
    ("p", "Pengumuman penerima: 27 November 2026"),
    ("h2", "3. Persyaratan"),
    ("p", "a. Kartu Tanda Penduduk dan Kartu Keluarga Provinsi Nusa Harapan"),
    ("p", "b. Surat keterangan aktif kuliah dari perguruan tinggi"),
    ("p", "c. Transkrip nilai terakhir dengan IPK paling rendah 3,00"),
    ("p", "d. Surat pernyataan tidak sedang menerima beasiswa lain"),
    ("h2", "4. Komponen Bantuan"),
    ("p", "Biaya pendidikan paling banyak Rp6.000.000 per semester"),
    ("p", "Bantuan biaya hidup Rp1.000.000 per bulan (khusus jalur afirmasi)"),
    ("h2", "5. Layanan Informasi"),
    ("p", "Pusat informasi beasiswa: (0599) 000-4188, Senin - Jumat, 08.00 - 16.00 WITA"),
    ("p", ""),
    ("small", "Dokumen contoh untuk situs demonstrasi humasgen. Seluruh nama dan data bersifat fiktif."),
]


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(path: Path):
    """Write a one-page A5 text PDF by hand (tiny, deterministic, real text)."""
    w, h = 420, 595  # A5 in points
    sizes = {"h1": 14, "h2": 11, "p": 9.5, "small": 7}
    fonts = {"h1": "F2", "h2": "F2", "p": "F1", "small": "F1"}
    ops = ["0.16 0.29 0.5 rg", f"0 {h - 12} {w} 12 re f", "0 g"]
    y = h - 60
    for kind, text in PDF_TEXT:
        if kind == "h2":
            y -= 6
        if text:
            ops.append(f"BT /{fonts[kind]} {sizes[kind]} Tf 40 {y} Td ({_pdf_escape(text)}) Tj ET")
        y -= {"h1": 20, "h2": 16, "p": 14, "small": 12}[kind]
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] "
         f"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>").encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title (Pedoman Singkat Beasiswa Nusa Cerdas 2026) "
        b"/Author (Dinas Pendidikan Provinsi Nusa Harapan) /Producer (humasgen demo_images.py) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(bytes(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "static"))
    args = ap.parse_args()
    out = Path(args.out)
    img_dir = out / "images"
    file_dir = out / "files"
    img_dir.mkdir(parents=True, exist_ok=True)
    file_dir.mkdir(parents=True, exist_ok=True)

    for name, spec in IMAGES.items():
        target = img_dir / name
        render(name, spec).save(target, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        print(f"{target}  {target.stat().st_size // 1024} KB")

    logo = img_dir / "logo.png"
    make_logo().save(logo, "PNG", optimize=True)
    print(f"{logo}  {logo.stat().st_size // 1024} KB")

    pdf = file_dir / "pedoman-beasiswa-nusa-cerdas-2026.pdf"
    make_pdf(pdf)
    print(f"{pdf}  {pdf.stat().st_size} bytes")


if __name__ == "__main__":
    main()
