"""The parse cache: releases stored as JSON, keyed by content hash and settings.

JSON, not pickle: safe to read, stable across Python versions, and deleting
`.humasgen/` only makes the next build slower.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


CACHE_DIR = ".humasgen"


def read_json(path: Path) -> Any:
    """A cache file's data, or None when it is missing or unreadable (a cache is never an error)."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write atomically, so a killed build never leaves a torn cache file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    os.replace(tmp, path)
