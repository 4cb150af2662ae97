"""Nothing outside the site folder is read into the output.

A symbolic link in `content/`, `static/` or a theme (`ln -s /proc/self/environ
static/env.txt`) would otherwise publish whatever it points to: CI secrets, system
files. Links that stay inside the site folder are allowed; a link that resolves
outside it is an error naming the link.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import Diagnostic

HINT = "copy the file into the site instead of linking to it, or remove the link"


def inside(path: Path, root: Path) -> bool:
    """`path`, with every link followed, lies in `root` (also with links followed)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):         # a link loop
        return False


def links_outside(folder: Path, root: Path, shown_from: Path) -> list[Diagnostic]:
    """Links in `folder` (the folder itself included) that resolve outside `root`.

    One walk that does not follow links; `shown_from` makes the paths in the
    diagnostics relative (to the site folder).
    """
    if not folder.exists() and not folder.is_symlink():
        return []
    problems = []
    candidates = [folder] if folder.is_symlink() else []
    if folder.is_dir():
        for directory, subdirs, names in os.walk(folder):
            for name in (*subdirs, *names):
                path = Path(directory, name)
                if path.is_symlink():
                    candidates.append(path)
    for path in candidates:
        if not inside(path, root):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            problems.append(Diagnostic(_shown(path, shown_from), None,
                                       f"this link points outside the site folder (to {target})", HINT))
    return problems


def _shown(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)
