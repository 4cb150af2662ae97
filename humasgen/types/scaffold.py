"""`humasgen new --type TYPE "Judul"`: a draft file of a content type, every key ready to fill."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from .. import config as config_mod
from ..content import CONTENT_DIR, make_slug
from ..errors import HumasgenError

TEMPLATES = {
    "halaman": '''---
title: "{title}"
summary: ""
lang: id
translation_key: ""
draft: true
---
Tulis isi halaman di sini. Tambahkan slug halaman ini ke `menu` di humasgen.toml agar tampil di navigasi.
''',
    "agenda": '''---
title: "{title}"
start: {tomorrow} 09:00
end: {tomorrow} 11:00
place: "Tuliskan tempat kegiatan"
address: ""
organizer: ""
summary: ""
draft: true
---
Tulis keterangan kegiatan di sini. Bila kegiatan ditunda atau dibatalkan, tambahkan 'status: ditunda' atau
'status: dibatalkan' (jangan hapus berkasnya).
''',
    "pengumuman": '''---
title: "{title}"
date: {now}
expires: {in_a_month} 23:59
summary: ""
unit: ""
draft: true
---
Tulis isi pengumuman di sini. Setelah waktu 'expires', pengumuman hilang dari beranda, daftar, dan umpan,
tetapi halamannya tetap ada dengan tanda "sudah tidak berlaku".
''',
    "dokumen": '''---
title: "{title}"
class: berkala
year: {year}
unit: "Tuliskan unit penerbit"
file: ""
summary: ""
draft: true
---
Tulis ringkasan dokumen di sini. Kelas: berkala, serta-merta, setiap-saat, atau dikecualikan (dengan 'reason:'
berisi dasar hukumnya dan tanpa 'file:': dokumen yang dikecualikan tidak pernah diterbitkan).
''',
    "galeri": '''---
title: "{title}"
date: {now}
credit: ""
copyright: ""
license: ""
photos:
  - src: /images/ganti-dengan-foto.jpg
    alt: "Jelaskan isi foto"
    caption: ""
    credit: "Foto: ..."
draft: true
---
Tulis pengantar album di sini.
''',
}
TYPES = ("rilis", *TEMPLATES)


def new_item(site_dir: Path, kind: str, title: str, now: datetime) -> Path:
    """A draft file of type `kind` (a folder of content/), named after its title."""
    if not title.strip():
        raise HumasgenError.single("<title>", None, "the title is empty",
                                   f'give a title: humasgen new --type {kind} "Judul"')
    config = config_mod.load(site_dir)
    local = now.astimezone(config.tz)
    path = site_dir / CONTENT_DIR / kind / f"{make_slug(title)}.md"
    if path.exists():
        raise HumasgenError.single(str(path), None, "a file with this name already exists",
                                   "choose another title, or edit the existing file")
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(TEMPLATES[kind].format(
        title=quoted, now=local.strftime("%Y-%m-%d %H:%M"), year=local.year,
        tomorrow=(local + timedelta(days=1)).strftime("%Y-%m-%d"),
        in_a_month=(local + timedelta(days=30)).strftime("%Y-%m-%d")), encoding="utf-8")
    return path
