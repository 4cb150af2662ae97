"""Cache entries are checked before use: a cache is never an error, and never published unchecked.

`.humasgen/` may hold anything after a crash, a full disk or a hand edit: files cut
short, JSON of the wrong shape. A cached image or share card is used only when its
file is complete (`intact`); a JSON cache of the wrong shape counts as missing. The
entry is then rebuilt, as if the cache had been deleted.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

_PNG_END = b"IEND\xaeB`\x82"


def intact(path: Path) -> bool:
    """The file is a complete JPEG, PNG or WebP (checked from its ends, nothing decoded)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
            size = handle.seek(0, 2)
            handle.seek(max(0, size - 8))
            tail = handle.read(8)
    except OSError:
        return False
    suffix = path.suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        return head[:2] == b"\xff\xd8" and tail.endswith(b"\xff\xd9")
    if suffix == ".png":
        return head[:8] == b"\x89PNG\r\n\x1a\n" and tail == _PNG_END
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP" and int.from_bytes(head[4:8], "little") + 8 == size
    return size > 0


def image_meta(meta: Any) -> bool:
    """A responsive-image cache entry as images.py writes it: width, height and [w, h, kind, suffix] variants."""
    return (isinstance(meta, dict) and isinstance(meta.get("width"), int) and isinstance(meta.get("height"), int)
            and isinstance(meta.get("variants"), list)
            and all(isinstance(v, list) and len(v) == 4 and isinstance(v[0], int) and isinstance(v[1], int)
                    and v[2] in ("fallback", "webp") and v[3] in (".jpg", ".png", ".webp") for v in meta["variants"]))


def related(data: Any) -> dict[str, dict[str, list[str]]] | None:
    """The related-lists cache ({signature: {id: [ids]}}) when it has that shape, else None."""
    if not isinstance(data, dict):
        return None
    for lists in data.values():
        if not isinstance(lists, dict) or not all(
                isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in lists.values()):
            return None
    return data


def str_map(data: Any) -> dict[str, str]:
    """A {str: str} mapping, or {} when the data has another shape."""
    if isinstance(data, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return data
    return {}
