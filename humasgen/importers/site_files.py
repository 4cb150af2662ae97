"""The site-wide old addresses (categories, tags, authors, feeds) -> [redirects] in humasgen.toml."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Mapping

from ..config import CONFIG_NAME


def add_redirects(site_dir: Path, redirects: Mapping[str, str]) -> int:
    """Add the redirects humasgen.toml does not have yet; returns how many were added.

    An old path that is the new address of something else (WordPress and humasgen both
    use /tag/NAME/) is left out: the page itself answers there.
    """
    path = site_dir / CONFIG_NAME
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    existing = tomllib.loads(text).get("redirects", {}) if text else {}
    targets = set(redirects.values()) | set(existing.values())
    new = {old: target for old, target in sorted(redirects.items())
           if old != target and old not in targets and old not in existing}
    if not new:
        return 0
    lines = [f"{_quote(old)} = {_quote(target)}" for old, target in new.items()]
    if "redirects" in existing or _has_table(text):
        out, done = [], False
        for line in text.splitlines():
            out.append(line)
            if not done and line.strip().replace(" ", "") == "[redirects]":
                out.extend(lines)
                done = True
        text = "\n".join(out) + "\n"
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + \
            "# Old addresses (from `humasgen import`) that keep working: old path = new path\n[redirects]\n" + \
            "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(new)


def _has_table(text: str) -> bool:
    return any(line.strip().replace(" ", "") == "[redirects]" for line in text.splitlines())


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
