"""Fetch the browser editor (Decap CMS) into humasgen/editor/vendor/decap-cms/.

Run at package build time (the hatch build hook in hatch_build.py calls it when the
bundle is missing) and by .ci/run. The version and the tarball's sha512 are pinned
here: a different tarball is refused. `npm pack` goes through the npm client and its
configured registry; nothing is fetched when humasgen runs.

    python tools/fetch_editor.py [--force]
"""
from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "decap-cms"
VERSION = "3.16.3"
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
TARGET = Path(__file__).resolve().parent.parent / "humasgen" / "editor" / "vendor" / PACKAGE


def wanted(name: str) -> bool:
    """The files the browser loads: the bundle, its lazy chunks and WebAssembly, the licence list."""
    if not name.startswith("package/dist/") or name.count("/") != 2:
        return False
    base = name.rsplit("/", 1)[1]
    return base == "decap-cms.js" or base.endswith((".decap-cms.js", ".wasm")) or base == "decap-cms.js.LICENSE.txt"


def fetch(target: Path = TARGET, force: bool = False) -> Path:
    stamp = target / "VERSION"
    if not force and stamp.is_file() and stamp.read_text().strip() == VERSION:
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch the editor bundle (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp, "--silent"],
                       check=True, stdout=subprocess.DEVNULL)
        tarball = next(Path(tmp).glob("*.tgz"))
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != INTEGRITY:
            raise SystemExit(f"{tarball.name}: integrity {digest} is not the pinned {INTEGRITY}")
        fresh = target.with_name(target.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                if member.isfile() and wanted(member.name):
                    data = archive.extractfile(member).read()
                    (fresh / member.name.rsplit("/", 1)[1]).write_bytes(data)
        (fresh / "VERSION").write_text(VERSION + "\n")
        shutil.rmtree(target, ignore_errors=True)
        fresh.rename(target)
    return target


if __name__ == "__main__":
    print(fetch(force="--force" in sys.argv[1:]))
