"""Outputs -> output/: build a new tree beside the old one, then swap it in.

Unchanged files are hard-linked from the previous output instead of written,
so a warm build writes only what changed and a killed build leaves the old
output/ exactly as it was.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .errors import HumasgenError

MARKER = "manifest.json"   # every humasgen output has one; we never replace a folder without it


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    linked: int
    removed: int


def _backup_glob(output_dir: Path) -> list[Path]:
    return sorted(output_dir.parent.glob(f".{output_dir.name}.old-*"))


def recover(output_dir: Path) -> None:
    """Put back an output/ that a build killed between its two renames left aside."""
    backups = _backup_glob(output_dir)
    if not output_dir.exists() and backups:
        os.rename(backups[-1], output_dir)
        backups = backups[:-1]
    for stale in backups + sorted(output_dir.parent.glob(f".{output_dir.name}.new-*")):
        shutil.rmtree(stale, ignore_errors=True)


def check_target(output_dir: Path, site_dir: Path) -> None:
    """Refuse to replace a folder humasgen did not make, or one holding the site."""
    out, site = output_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents:
        raise HumasgenError.single(str(output_dir), None, "the output folder contains the site itself",
                                   "choose another --output, e.g. output/")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise HumasgenError.single(str(output_dir), None,
                                   "the output folder exists and was not made by humasgen",
                                   "move it away or choose another --output; humasgen replaces the whole folder")


def commit(output_dir: Path, files: Mapping[str, bytes | None], copies: Mapping[str, Path],
           hashes: Mapping[str, str]) -> tuple[WriteStats, dict[str, str]]:
    """Swap in a tree holding `files` (None: keep the previous bytes) and `copies`.

    `hashes` are the sha256 of each path as last written; returns the new ones.
    """
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(output_dir)
    new_dir = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    written = linked = 0
    new_hashes: dict[str, str] = {}
    made: set[Path] = set()
    try:
        for rel in sorted({*files, *copies}):
            target = new_dir / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            old = output_dir / rel
            if rel in files:
                data = files[rel]
                if data is None:
                    digest = hashes.get(rel)
                    if digest is None or not _link(old, target):
                        raise RuntimeError(f"cannot keep {rel}: it is missing from the previous output")
                    linked += 1
                else:
                    digest = hashlib.sha256(data).hexdigest()
                    if hashes.get(rel) == digest and _link(old, target):
                        linked += 1
                    else:
                        target.write_bytes(data)
                        written += 1
            else:
                source = copies[rel]
                stat = source.stat()
                digest = f"{stat.st_size}:{stat.st_mtime_ns}"
                if hashes.get(rel) == digest and _link(old, target):
                    linked += 1
                else:
                    shutil.copyfile(source, target)
                    written += 1
            new_hashes[rel] = digest
        removed = len(set(hashes) - set(new_hashes))
        _swap(new_dir, output_dir)
    except BaseException:
        shutil.rmtree(new_dir, ignore_errors=True)
        raise
    return WriteStats(written, linked, removed), new_hashes


def _link(old: Path, target: Path) -> bool:
    try:
        os.link(old, target)
        return True
    except OSError:
        return False


def _swap(new_dir: Path, output_dir: Path) -> None:
    if output_dir.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
        os.rmdir(backup)
        os.rename(output_dir, backup)
        os.rename(new_dir, output_dir)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.rename(new_dir, output_dir)
