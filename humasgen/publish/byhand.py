"""WhatsApp Channels and TikTok have no posting API an agency can use: a list to post by hand.

`humasgen publish` writes social/post-by-hand.md on every run: the releases of
the last `[publish] by_hand_days` days, newest first, each with its WhatsApp and
TikTok texts and the share images in social/ to attach.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from ..content import Release
from ..social import snippets as snippets_mod
from ..social.plugin import SOCIAL_DIR
from .channel import Item

FILENAME = "post-by-hand.md"
PLATFORMS = {"whatsapp": "WhatsApp Channels", "tiktok": "TikTok"}


def render(releases: Iterable[Release], items: Mapping[str, Mapping[str, Item]], site_dir: Path) -> str:
    lines = ["# Untuk diunggah manual (WhatsApp Channels, TikTok)", "",
             "Platform ini tidak punya API unggah untuk instansi: salin teksnya, lampirkan gambarnya.", ""]
    chosen = sorted(releases, key=lambda r: (r.date, r.id), reverse=True)
    if not chosen:
        lines.append("Tidak ada rilis baru.")
    for release in chosen:
        folder = site_dir / SOCIAL_DIR / snippets_mod.folder_name(release)
        lines += [f"## {release.title}", "", f"- Tautan: {items[release.id]['whatsapp'].url}",
                  f"- Tanggal: {release.date.isoformat()}"]
        pictures = sorted(p.name for p in folder.glob("*.jpg")) if folder.is_dir() else []
        if pictures:
            lines.append(f"- Gambar: {', '.join(f'{SOCIAL_DIR}/{folder.name}/{p}' for p in pictures)}")
        lines.append("")
        for platform, name in PLATFORMS.items():
            lines += [f"### {name}", "", "```", items[release.id][platform].text, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def write(site_dir: Path, text: str) -> Path:
    path = site_dir / SOCIAL_DIR / FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{FILENAME}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
