"""Search without a server: Pagefind indexes the finished output tree.

The index is a folder of static files (`pagefind/`) that the theme's search
page (`/cari/`) queries in the reader's browser. It is written into the new
tree before the atomic swap, so a failed indexing leaves the old output as it
was. Pagefind ships its binary in its PyPI package: `pip install 'humasgen[search]'`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable, Iterable

from .config import CONFIG_NAME, Config, key_line
from .errors import Diagnostic, HumasgenError

BUNDLE_DIR = "pagefind"          # below output/; the search page loads pagefind.js from here
SEARCH_URL = "/cari/"
TIMEOUT = 600                    # seconds; a site of tens of thousands of pages indexes in well under that


def finalizer(config: Config, site_dir: Path, paths: Iterable[str]) -> Callable[[Path], None]:
    """What to run over the complete new tree before it goes live.

    `pagefind/` belongs to the search bundle: no page or static file may use it. The bundle
    is made afresh each build (the tree may still hold one from an earlier build), and
    removed once search is switched off.
    """
    check_paths(paths)
    if config.search and executable() is None:
        path = site_dir / CONFIG_NAME
        line = key_line(path.read_text(encoding="utf-8"), (), "search") if path.is_file() else None
        raise HumasgenError.single(CONFIG_NAME, line, "search = true but Pagefind is not installed",
                                   "pip install 'humasgen[search]' (or 'pagefind[extended]'), "
                                   "or set search = false")
    return index_tree if config.search else remove_bundle


def check_paths(paths: Iterable[str]) -> None:
    """No output may fall inside `pagefind/`: the search bundle owns it."""
    taken = sorted(path for path in paths if path.startswith(BUNDLE_DIR + "/"))
    if taken:
        raise HumasgenError([Diagnostic(path, None, f"output {path} is inside {BUNDLE_DIR}/, kept for the search index",
                                        "move or rename that static file (or permalink)") for path in taken])


def remove_bundle(tree: Path) -> None:
    shutil.rmtree(tree / BUNDLE_DIR, ignore_errors=True)


def executable() -> Path | None:
    """The Pagefind binary from the `pagefind` package (or PAGEFIND_BINARY_PATH); None when absent."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found is not None and found.is_file() else None


def index_tree(tree: Path) -> None:
    """Run Pagefind over `tree`, writing `tree/pagefind/`; a failure is a build error."""
    remove_bundle(tree)
    binary = executable()
    if binary is None:
        raise HumasgenError.single(CONFIG_NAME, None, "search = true but Pagefind is not installed",
                                   "pip install 'humasgen[search]' (or 'pagefind[extended]'), "
                                   "or set search = false")
    # Run inside the tree with PAGEFIND_* variables cleared: what is indexed depends on the site
    # alone (a pagefind.yml put in static/ is honoured, being part of the site).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        result = subprocess.run([str(binary), "--site", ".", "--output-subdir", BUNDLE_DIR, "--quiet"],
                                cwd=tree, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HumasgenError.single(str(binary), None, f"Pagefind could not index the site: {exc}",
                                   "reinstall it with pip install 'pagefind[extended]', or set search = false") \
            from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise HumasgenError.single(str(binary), None,
                                   "Pagefind failed: " + (detail[-1] if detail else f"exit {result.returncode}"),
                                   "run the build again with search = false to publish without search")

