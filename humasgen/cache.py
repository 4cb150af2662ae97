"""The parse cache: releases stored as JSON, keyed by content hash and settings.

JSON (with orjson: the cache of a 10,000-release site is ~70 MB), not pickle: safe to read, stable across Python versions, and deleting
`.humasgen/` only makes the next build slower.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson


CACHE_DIR = ".humasgen"


def read_json(path: Path) -> Any:
    """A cache file's data, or None when it is missing or unreadable (a cache is never an error)."""
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write atomically, so a killed build never leaves a torn cache file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(orjson.dumps(data))
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)   # a full disk must not leave a half file behind
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)        # write() errors name no file: say which one
        raise
