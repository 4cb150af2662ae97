"""The editor's files: admin/index.html, config.yml, the Indonesian phrases, the start-up script and the
Decap CMS bundle."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..config import Config
from .schema import Known, cms_config

ADMIN_DIR = "admin"
PACKAGE_DIR = Path(__file__).resolve().parent
VENDOR = PACKAGE_DIR / "vendor"
BUNDLE_DIR = VENDOR / "decap-cms"       # fetched at package build time by tools/fetch_editor.py
STARTUP = "humasgen-editor.js"
LOCALE = "locale-id.js"             # the Indonesian phrases (Decap has none)

INDEX = """<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Editor · {title}</title>
<script>window.CMS_MANUAL_INIT = true;</script>
<style>
/* humasgen: the form alone on a phone (Decap's side-by-side preview does not fit 390 px) */
@media (max-width: 799px) {{
  .Pane2, .Resizer {{ display: none !important; }}
  .Pane1 {{ width: 100% !important; }}
  [class*="-EditorContainer"] {{ min-width: 0 !important; }}
  [class*="-ToolbarContainer"] {{ min-width: 0 !important; flex-wrap: wrap; height: auto !important; }}
  [class*="-ToolbarSectionBackLink"] {{ flex: 1 1 auto; }}
  [class*="-ToolbarSectionMain"] {{ flex: 1 1 100%; justify-content: flex-end; padding: 4px 8px; }}
  [class*="-ToolbarSectionMeta"], [class*="-EditorToggle"] {{ display: none !important; }}
  [class*="-DateTimeControl"] > div, [class*="-DateTimeControl"] {{ flex-wrap: wrap; }}
}}
</style>
</head>
<body>
<script src="vendor/decap-cms/decap-cms.js"></script>
<script src="{locale}"></script>
<script src="{startup}"></script>
</body>
</html>
"""

CONFIG_HEADER = ("# Written by `humasgen editor` from humasgen's front-matter schema and humasgen.toml [editor].\n"
                 "# Do not edit: change humasgen.toml and run `humasgen editor` again.\n")


class BundleMissing(Exception):
    """The package was installed without the editor bundle (not built with its build hook)."""


def config_yaml(config: Config, known: Known, local_url: str | None = None) -> bytes:
    data = cms_config(config, known, local_url)
    return (CONFIG_HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)).encode()


def static_files() -> dict[str, Path]:
    """admin/-relative path -> packaged file: everything but config.yml."""
    if not (BUNDLE_DIR / "decap-cms.js").is_file():
        raise BundleMissing(f"{BUNDLE_DIR}: the Decap CMS bundle is missing; run `python tools/fetch_editor.py` "
                            "in the humasgen source (package builds do it by themselves)")
    files = {f"vendor/decap-cms/{p.name}": p for p in sorted(BUNDLE_DIR.iterdir())
             if p.is_file() and p.name != "VERSION"}
    files["vendor/LICENSE"] = VENDOR / "LICENSE"
    files[LOCALE] = PACKAGE_DIR / "assets" / LOCALE
    files[STARTUP] = PACKAGE_DIR / "assets" / STARTUP
    return files


def index_html(config: Config) -> bytes:
    return INDEX.format(title=html.escape(config.title), locale=LOCALE, startup=STARTUP).encode()


def admin_files(config: Config, known: Known, local_url: str | None = None) -> dict[str, bytes | Path]:
    """Every file of admin/, by path below it: bytes made here, or a packaged file to copy."""
    return {"index.html": index_html(config), "config.yml": config_yaml(config, known, local_url),
            **static_files()}


def write_admin(site_dir: Path, config: Config, known: Known) -> list[Path]:
    """Write (or refresh) the site's admin/ folder; files no longer part of it are removed."""
    target = site_dir / ADMIN_DIR
    files: Mapping[str, Any] = admin_files(config, known)
    written = []
    for rel, source in files.items():
        path = target / rel
        data = source.read_bytes() if isinstance(source, Path) else source
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    bundle = target / "vendor" / "decap-cms"
    if bundle.is_dir():     # chunks of an older bundle version
        for path in bundle.iterdir():
            if f"vendor/decap-cms/{path.name}" not in files:
                path.unlink()
    return written


def published_files(site_dir: Path, config: Config) -> dict[str, Path]:
    """Output path -> file of the site's admin/, when humasgen.toml says [editor] publish = true."""
    folder = site_dir / ADMIN_DIR
    if not config.editor.publish:
        return {}
    if not (folder / "index.html").is_file():
        from ..config import CONFIG_NAME
        from ..errors import HumasgenError
        raise HumasgenError.single(CONFIG_NAME, None, "[editor] publish = true, but the site has no admin/ folder",
                                   "run 'humasgen editor' to write it (and commit admin/), or set publish = false")
    return {f"{ADMIN_DIR}/{p.relative_to(folder).as_posix()}": p
            for p in sorted(folder.rglob("*")) if p.is_file()}
