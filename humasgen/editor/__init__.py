"""The browser editor (Decap CMS) for officers who write releases without Git or YAML.

schema.py   the CMS config, derived from the front-matter schemas (content.KEYS and Release; each
            content type's KEYS in humasgen/types/): one collection per type
files.py    the admin/ folder: index.html, config.yml, Indonesian phrases, start-up script, the bundled CMS
backend.py  the local back end `humasgen serve` answers at /admin/api/v1
photos.py   uploaded photos shrunk to [editor] image_max_px, upright, without GPS
serve.py    the /admin/ routes of the preview server
"""
from __future__ import annotations

from .files import ADMIN_DIR, BundleMissing, published_files, write_admin
from .schema import Known

__all__ = ["ADMIN_DIR", "BundleMissing", "Known", "published_files", "write_admin"]


def refresh(site_dir):
    """`humasgen editor`: write or refresh the site's admin/ from its config and its content.

    Files that do not parse are left out of the suggestions (`humasgen check` reports them).
    """
    from .. import config as config_mod, content, types
    config = config_mod.load(site_dir)
    settings = content.Settings(config.timezone, config.language, config.permalink)
    releases, _ = content.load(site_dir, settings)
    items, _ = types.load(site_dir, settings)
    return write_admin(site_dir, config, Known.from_releases(releases, items.items()))
