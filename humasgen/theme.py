"""Where a theme's files come from: the site's own theme first, then the built-in default."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, HumasgenError


def builtin_dir() -> Path:
    """The default theme: inside the package when installed, beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "themes" / "default", here.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise RuntimeError("the default theme is missing from this installation of humasgen")


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    dirs: tuple[Path, ...]          # highest priority first

    def subdirs(self, name: str) -> tuple[Path, ...]:
        return tuple(d / name for d in self.dirs if (d / name).is_dir())

    @property
    def templates(self) -> tuple[Path, ...]:
        return self.subdirs("templates")

    @property
    def static(self) -> tuple[Path, ...]:
        return self.subdirs("static")

    @property
    def locales(self) -> tuple[Path, ...]:
        return self.subdirs("locale")

    def fingerprint(self) -> str:
        """Hash of every theme file: any template or string change re-renders what uses it."""
        digest = hashlib.sha256()
        for directory in self.dirs:
            for path in sorted(p for p in directory.rglob("*") if p.is_file()):
                digest.update(path.relative_to(directory).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()


def resolve(site_dir: Path, name: str) -> Theme:
    builtin = builtin_dir()
    own = site_dir / "themes" / name
    if name != "default" and not own.is_dir():
        raise HumasgenError.single("humasgen.toml", None, f"theme '{name}' not found in themes/{name}/",
                                   f"create themes/{name}/templates/ or set theme = \"default\"")
    if own.is_dir() or own.is_symlink():
        from .safety.paths import links_outside
        if problems := links_outside(own, site_dir, site_dir):      # a template linked to /etc/passwd
            raise HumasgenError(problems)
    dirs = [own] if own.is_dir() and own.resolve() != builtin else []
    return Theme(name, tuple(dirs) + (builtin,))


def static_files(theme: Theme, site_dir: Path) -> dict[str, Path]:
    """Output path -> source file: the site's static/ over the theme's, over the default's.

    A link in the site's folders that points outside the site is an error (safety/paths.py).
    """
    from .safety.paths import HINT, inside
    files: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    builtin = builtin_dir()
    for directory in (site_dir / "static", *theme.static):
        own = not directory.is_relative_to(builtin)
        if own and directory.is_symlink() and not inside(directory, site_dir):
            problems.append(Diagnostic(directory.relative_to(site_dir).as_posix(), None,
                                       "this link points outside the site folder", HINT))
            continue
        if not directory.is_dir():
            continue
        for path in directory.rglob("*"):
            if own and path.is_symlink() and not inside(path, site_dir):
                problems.append(Diagnostic(path.relative_to(site_dir).as_posix(), None,
                                           f"this link points outside the site folder (to {os.readlink(path)})",
                                           HINT))
            elif path.is_file() and not path.name.startswith("."):
                files.setdefault(path.relative_to(directory).as_posix(), path)
    if problems:
        raise HumasgenError(problems)
    return dict(sorted(files.items()))


def static_fingerprint(files: dict[str, Path]) -> str:
    """Cheap change detector for static files (size and mtime), part of every page's key."""
    digest = hashlib.sha256()
    for rel, path in files.items():
        stat = path.stat()
        digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
