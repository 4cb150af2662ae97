"""One build at a time per site, and file-system faults as one clear line.

Two builds of one site at once (a scheduled CI run and a push, a build beside the
preview) would share temporary names in output/ and .humasgen/, and both would
announce the same new releases. `exclusive` wraps the build: it holds an exclusive
`fcntl.flock` on `.humasgen/lock` for the whole build. A second build waits for the
first to finish (saying so: "waiting for another build of this site (process N)"),
then reads the manifest the first one wrote, so it announces nothing twice. The
lock goes with the process: a killed build never leaves a stale lock behind.

The preview server (`serve`) writes only the parse cache, on its first load; it does
so only when no build holds the lock (else it loads without the cache).

An `OSError` from the file system during a build (no permission, a full disk, a
read-only folder) becomes a diagnostic naming the path, with the fix.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import os
from pathlib import Path
from typing import Callable, Iterator

from ..cache import CACHE_DIR
from ..errors import HumasgenError

LOCK_NAME = "lock"


def _open(site_dir: Path) -> int:
    folder = site_dir / CACHE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise fs_error(exc) from None


@contextlib.contextmanager
def site_lock(site_dir: Path, waiting: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold the site's build lock; when another process holds it, call `waiting` once, then wait."""
    fd = _open(site_dir)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            waiting(f"waiting for another build of this site (process {holder}) to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)                # releases the lock


@contextlib.contextmanager
def try_site_lock(site_dir: Path) -> Iterator[bool]:
    """The lock if it is free now (True), else nothing (False); never waits."""
    try:
        fd = _open(site_dir)
    except HumasgenError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def exclusive(build: Callable) -> Callable:
    """`build(options, progress)` holding the site's lock, file-system faults as diagnostics."""
    @functools.wraps(build)
    def locked(options, progress=None):
        from ..config import require_site
        require_site(options.site_dir)      # no lock file (nor .humasgen/) in a folder that is no site
        report = progress or (lambda stage, done, total: None)
        with site_lock(options.site_dir, lambda message: report(message, 0, 1)):
            try:
                return build(options, progress)
            except OSError as exc:
                raise fs_error(exc) from None
    return locked


_HINTS = {
    errno.EACCES: ("permission denied", "make the folder writable for the user running humasgen, "
                                        "or choose another folder (--output)"),
    errno.EPERM: ("operation not permitted", "make the folder writable for the user running humasgen, "
                                             "or choose another folder (--output)"),
    errno.EROFS: ("the file system is read-only", "build on a writable disk, or choose another folder (--output)"),
    errno.ENOSPC: ("the disk is full", "free some space and build again; the previous output is untouched"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space and build again; the previous output is untouched"),
    errno.EFBIG: ("the file is too large for this system's limit (ulimit -f)",
                  "raise the limit, or free some space, and build again; the previous output is untouched"),
    errno.ENOTDIR: ("a file stands where a folder is needed", "move the file away, or choose another --output"),
    errno.EEXIST: ("something already exists at this path", "move it away, or choose another --output"),
}


def fs_error(exc: OSError) -> HumasgenError:
    """One diagnostic for a file-system error: the path, what went wrong, the fix."""
    path = exc.filename if exc.filename is not None else "?"
    message, hint = _HINTS.get(exc.errno, (exc.strerror or str(exc), "check the path and build again"))
    if CACHE_DIR in Path(str(path)).parts and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = f"make {CACHE_DIR}/ writable, or delete it (it is only a cache)"
    return HumasgenError.single(os.fspath(path), None, message, hint)
