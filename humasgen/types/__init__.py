"""Content types besides releases, each a folder of content/ with its own validated front matter.

    content/halaman/*.md     pages (Profil, Kontak, the PPID pages...): /{slug}/, no date
    content/agenda/*.md      events: /agenda/{year}/{slug}/, /agenda/, agenda.ics
    content/pengumuman/*.md  announcements with `expires`: /pengumuman/{year}/{slug}/, /pengumuman/, feeds
    content/dokumen/*.md     public documents (PPID): /ppid/dokumen/{slug}/, /ppid/dip/, /ppid/dik/, CSV, JSON
    content/galeri/*.md      photo albums: /galeri/{year}/{slug}/, /galeri/

`load(site_dir, settings)` parses them all on every build (a site has dozens, not
thousands: no cache needed) and returns them with every problem found.
"""
from __future__ import annotations

from .load import Types, load

__all__ = ["Types", "load"]
