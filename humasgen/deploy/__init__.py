"""`humasgen deploy`: put the built output/ on the office's own server or an S3-compatible bucket.

For offices that must host in Indonesia (PP 71/2019: public-scope electronic systems
manage and store their data in the country), next to the GitHub/GitLab Pages
templates. Two methods, chosen by `[deploy] method` in humasgen.toml:

- `rsync` (rsync.py): over SSH with a deploy key and the server's host key pinned,
  into PATH/releases/<stamp>/, then the link PATH/current is switched to it in one
  rename, so readers see the old site or the new one, never half of each.
- `s3` (s3.py): an S3-compatible bucket at any endpoint; new and changed files
  first, pages next, manifest.json last, removed files after.

Secrets come only from the environment (see each module).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import HumasgenError


@dataclass(frozen=True, slots=True)
class Deployed:
    method: str
    target: str             # where the site now is, for the log
    uploaded: int           # files sent
    unchanged: int          # files already there (hard-linked or skipped)
    removed: int            # files (s3) or old uploads (rsync) deleted


def deploy(config: Config, output: Path, now: datetime) -> Deployed:
    """Upload `output` with the configured method; `now` names the upload (rsync)."""
    settings = config.deploy
    if not settings.method:
        raise HumasgenError.single("humasgen.toml", None, "no [deploy] table: nothing tells deploy where to go",
                                   'add [deploy] with method = "rsync" or "s3" (see the README, "Hosting in '
                                   'Indonesia"), or deploy with the Pages templates instead')
    needed = {"rsync": ("host", "user", "path", "host_key"), "s3": ("endpoint", "bucket")}[settings.method]
    empty = [key for key in needed if not getattr(settings, key)]
    if empty:
        raise HumasgenError.single("humasgen.toml", None, f"[deploy] {', '.join(empty)} "
                                   f"{'is' if len(empty) == 1 else 'are'} empty",
                                   f'method = "{settings.method}" needs {", ".join(needed)}')
    root = output.resolve()
    if not (root / "manifest.json").is_file():
        raise HumasgenError.single(str(output), None, "no built site here (no manifest.json)",
                                   "run 'humasgen build' first, or give the built folder with --output")
    if settings.method == "rsync":
        from . import rsync
        return rsync.deploy(root, settings, now, os.environ)
    from . import s3
    return s3.deploy(root, settings, os.environ)
