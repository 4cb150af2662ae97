"""A release -> what each channel posts: the platform's snippet, the link, the images.

A plugin's channel posts the text of its own name when social/ has one (a built-in
platform such as `linkedin`, or a text a plugin added with the `social_snippets`
hook), else the Facebook text, the general one with the link.
"""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from ..config import Config
from ..content import Release
from ..social import snippets as snippets_mod
from ..social.counting import PLATFORMS
from ..social.images import card_path
from ..social.plugin import SOCIAL_DIR
from ..theme import Theme
from .channel import Item, Media

# The snippet each channel posts (Mastodon's default limit is Threads' 500 characters).
SNIPPET = {"telegram": "telegram", "bluesky": "bluesky", "mastodon": "threads", "facebook": "facebook",
           "instagram": "instagram", "threads": "threads", "x": "x", "whatsapp": "whatsapp", "tiktok": "tiktok"}
DEFAULT_SNIPPET = "facebook"    # for a plugin's channel without a text of its own
MAX_IMAGES = 10                 # Instagram carousel and Telegram album take at most 10
_IMG = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]+)\"[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt=\"([^\"]*)\"", re.IGNORECASE)


def saved_texts(release: Release, site_dir: Path) -> dict[str, str]:
    """The texts `humasgen build` wrote to social/ (plugins may have changed them), if they match the release."""
    index = site_dir / SOCIAL_DIR / snippets_mod.folder_name(release) / "snippets.json"
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("release", {}).get("hash") != release.content_hash:
        return {}
    texts = {p: v["text"] for p, v in data.get("platforms", {}).items() if isinstance(v, dict) and "text" in v}
    extra = data.get("extra")
    return {**{p: t for p, t in extra.items() if isinstance(t, str)}, **texts} if isinstance(extra, dict) else texts


def images(release: Release, config: Config, output_dir: Path, now) -> tuple[Media, ...]:
    """The lead image (or the generated card), then the images in the text, as published."""
    found: list[tuple[str, str]] = []
    if release.image:
        found.append((release.image, release.image_alt or release.title))
    else:
        card = card_path(release, config, now)
        if card:
            found.append((card, release.title))
    for match in _IMG.finditer(release.body_html):
        alt = _ALT.search(match.group(0))
        found.append((unescape(match.group(1)), unescape(alt.group(1)) if alt else ""))
    result: list[Media] = []
    seen = set()
    for src, alt in found:
        url = config.url(src) if src.startswith("/") else src
        if url in seen or not url.startswith(("http://", "https://")):
            continue
        seen.add(url)
        path = None
        if url.startswith(config.base_url + "/"):
            local = output_dir / urlsplit(url).path[len(config.base_path):].lstrip("/")
            path = local if local.is_file() else None
        result.append(Media(url, path, alt))
    return tuple(result[:MAX_IMAGES])


def make_items(release: Release, config: Config, theme: Theme, site_dir: Path, output_dir: Path,
               now, channels: Iterable[str] = ()) -> dict[str, Item]:
    """One Item per built-in snippet platform and per channel."""
    texts = saved_texts(release, site_dir)
    chosen = {**{c: c if c in texts or c in PLATFORMS else DEFAULT_SNIPPET for c in channels}, **SNIPPET}
    missing = sorted(p for p in set(chosen.values()) if p not in texts)
    if missing:
        made = snippets_mod.make_snippets(release, config, theme, missing)
        texts.update({p: s.text for p, s in made.items()})
    pictures = images(release, config, output_dir, now)
    url = config.url(release.url)
    items = {}
    for channel, platform in chosen.items():
        link = snippets_mod.with_utm(url, platform if channel in SNIPPET else channel, config, release)
        items[channel] = Item(release.id, release.title, url, link, release.summary, texts.get(platform, ""),
                              pictures, release.lang, release.content_hash)
    return items
