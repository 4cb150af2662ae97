"""The editor's configuration (Decap CMS config.yml), derived from humasgen's front-matter schemas.

One collection per content type. Releases: the fields are `content.KEYS` in that order (so
saved files keep humasgen's key order), each with the widget its type in the `Release`
model calls for. The other types (humasgen/types/): the fields are the type's own `KEYS`
table in order, each with the widget its `Key.kind` calls for. A key whose type or kind has
no widget here is an error, so a schema cannot grow a key the form silently lacks. Labels
and hints are presentation only; a key without one still gets a field.
"""
from __future__ import annotations

import typing
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any, Iterable

from .. import content
from ..config import Config
from ..types import agenda, documents, galleries
from ..types.fields import Key
from ..types.load import MODULES

API_PATH = "/admin/api/v1"      # the local back end served by `humasgen serve`
IMAGES = ("static/images", "/images")       # (folder in the site, URL path): humasgen's layout
FILES = ("static/files", "/files")
# Kept when a file is edited, not form fields: the officer's own keys (extra), and what an import
# wrote (the old addresses that redirect, the old feed id, the "already announced" mark).
FREE_FORM = frozenset({"extra", "aliases", "guid", "imported"})
COMPUTED = frozenset({"size"})              # sub-fields the build fills in, never written by hand

LABELS: dict[str, tuple[str, str]] = {       # key -> (label, hint); Indonesian, as the officers' UI
    "title": ("Judul", "Judul berita yang lengkap: {title_min}–{title_max} karakter, agar tampil utuh "
                       "di Google News dan mesin pencari."),
    "date": ("Tanggal dan jam terbit", "Waktu {timezone} (zona waktu situs)."),
    "slug": ("Slug alamat", "Kosongkan: dibuat dari judul. Huruf kecil, angka dan tanda hubung saja."),
    "summary": ("Ringkasan", "Satu atau dua kalimat (paling banyak {summary_max} karakter). "
                             "Kosongkan: diambil dari paragraf pertama."),
    "category": ("Kategori", ""),
    "tags": ("Tag", "Pisahkan dengan koma."),
    "unit": ("Unit kerja (OPD)", "Perangkat daerah atau satuan kerja yang menerbitkan."),
    "author": ("Penulis", ""),
    "image": ("Foto utama", "Foto disimpan di static/images/."),
    "image_alt": ("Teks alternatif foto", "Wajib bila ada foto: apa yang terlihat, untuk pembaca tunanetra."),
    "image_caption": ("Keterangan foto", ""),
    "image_credit": ("Kredit foto", "Nama fotografer atau sumber foto."),
    "draft": ("Draf (belum terbit)", "Aktifkan selama rilis belum siap terbit."),
    "updated": ("Diperbarui", "Isi bila isi rilis diubah setelah terbit."),
    "lang": ("Bahasa", "Kode bahasa, mis. id atau en. Kosongkan: bahasa situs."),
    "number": ("Nomor siaran pers", "Mis. 073/HUMAS/XII/2026."),
    "dateline": ("Kota (dateline)", "Kota tempat rilis dibuat, mis. Makassar."),
    "contact": ("Narahubung", ""),
    "attachments": ("Lampiran", "Berkas disimpan di static/files/."),
    "video": ("Video dan carousel media sosial", "Matikan bila rilis ini tidak perlu dibuatkan video vertikal "
                                                 "dan carousel Instagram saat terbit."),
    "name": ("Nama", ""), "role": ("Jabatan", ""), "phone": ("Telepon", ""), "email": ("Surel", ""),
    "path": ("Berkas", ""),
    "translation_key": ("Kunci terjemahan", "Kata yang sama pada versi bahasa lain dari rilis ini, mis. "
                                            "forum-investasi-2026."),
    "corrections": ("Ralat", "Tambahkan ralat bila rilis diperbaiki setelah terbit; ralat tampil di akhir rilis."),
    "time": ("Waktu ralat", ""), "note": ("Yang diperbaiki", ""),
    "major": ("Ralat besar", "Aktifkan bila ralat mengubah makna berita: diumumkan sebagai ralat."),
    "embargo": ("Embargo", "Sebelum tanggal terbit, rilis hanya ada di alamat pratinjau rahasia untuk wartawan."),
    # the other content types
    "start": ("Mulai", "Tanggal dan jam mulai, waktu {timezone} (zona waktu situs)."),
    "end": ("Selesai", "Tanggal dan jam selesai, waktu {timezone}. Boleh dikosongkan."),
    "place": ("Tempat", "Mis. Aula Kantor Gubernur."),
    "address": ("Alamat", ""),
    "organizer": ("Penyelenggara", ""),
    "status": ("Status kegiatan", "Jangan hapus kegiatan yang ditunda atau dibatalkan: ubah statusnya."),
    "expires": ("Berlaku sampai", "Waktu {timezone}. Sesudahnya pengumuman hilang dari beranda, daftar dan umpan."),
    "class": ("Klasifikasi informasi", "UU 14/2008: berkala, serta-merta, setiap-saat, atau dikecualikan."),
    "year": ("Tahun", "Empat angka, mis. 2026."),
    "file": ("Berkas dokumen", "Berkas disimpan di static/dokumen/. Dokumen yang dikecualikan tidak boleh "
                               "punya berkas."),
    "reason": ("Alasan dikecualikan", "Hanya untuk dokumen yang dikecualikan: dasar hukumnya, mis. "
                                      "Pasal 17 huruf b UU 14/2008."),
    "photos": ("Foto", "Setiap foto wajib punya teks alternatif dan kredit (atau isi kredit album)."),
    "src": ("Foto", "Foto disimpan di static/images/."),
    "alt": ("Teks alternatif", "Apa yang terlihat di foto, untuk pembaca tunanetra."),
    "caption": ("Keterangan", ""),
    "credit": ("Kredit", "Mis. Foto: Diskominfo/Nama Fotografer."),
    "copyright": ("Hak cipta", "Mis. © 2026 Diskominfo Provinsi."),
    "license": ("Lisensi", "Alamat lisensi, mis. https://creativecommons.org/licenses/by/4.0/"),
}
# Labels of the other content types where the release's wording does not fit
TYPE_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Judul", ""),
    "date": ("Tanggal terbit", "Waktu {timezone} (zona waktu situs)."),
    "updated": ("Diperbarui", "Isi bila isinya diubah setelah terbit."),
    "draft": ("Draf (belum terbit)", "Aktifkan selama belum siap terbit."),
    "unit": ("Unit kerja (OPD)", "Perangkat daerah atau satuan kerja penerbit."),
    "credit": ("Kredit foto", "Mis. Foto: Diskominfo/Nama Fotografer. Untuk album: dipakai foto tanpa kredit."),
}
MAX_SUGGESTED_TAGS = 20
PATTERNS = {        # key or kind -> (the regular expression the build checks, the message shown in the form)
    "slug": (content._SLUG_RE, "huruf kecil, angka dan tanda hubung, mis. bantuan-pangan"),
    "lang": (content._LANG_RE, "kode bahasa, mis. id atau en"),
}
DOCUMENTS = ("static/dokumen", "/dokumen")  # where the documents' files go (the demo's layout)
# (type folder, key) -> the values the type's loader accepts, with their labels in the form
OPTIONS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    (agenda.FOLDER, "status"): tuple((s, s.replace("-", " ").capitalize()) for s in agenda.STATUSES),
    (documents.FOLDER, "class"): tuple((value, label) for value, label in documents.CLASSES.items()),
}
ROWS = {(galleries.FOLDER, "photos"): galleries.PHOTO_KEYS}     # list keys -> the keys of one row
REQUIRED_IN_ROW = {(galleries.FOLDER, "photos"): ("src", "alt")}
# folder -> (collection name, label, singular label, description, body label)
COLLECTIONS = {
    "halaman": ("halaman", "Halaman", "Halaman", "Profil, Kontak, PPID…: content/halaman/.", "Isi halaman"),
    "agenda": ("agenda", "Agenda", "Kegiatan", "Agenda pimpinan dan kegiatan dinas: content/agenda/.",
               "Keterangan kegiatan"),
    "pengumuman": ("pengumuman", "Pengumuman", "Pengumuman",
                   "Pengumuman dengan batas waktu berlaku: content/pengumuman/.", "Isi pengumuman"),
    "dokumen": ("dokumen", "Dokumen PPID", "Dokumen", "Daftar informasi publik (PPID): content/dokumen/.",
                "Ringkasan dokumen"),
    "galeri": ("galeri", "Galeri", "Album", "Album foto: content/galeri/.", "Pengantar album"),
}


@dataclass(frozen=True, slots=True)
class Known:
    """Values already in use on the site, offered in the form."""
    categories: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()          # most used first

    @classmethod
    def from_releases(cls, releases: Iterable[content.Release], others: Iterable[Any] = ()) -> "Known":
        """From the releases; units also from the other types' items (announcements, documents)."""
        releases = tuple(releases)
        tags = Counter(tag for r in releases for tag in r.tags)
        units = {r.unit for r in releases if r.unit} | {u for i in others if (u := getattr(i, "unit", ""))}
        return cls(tuple(sorted({r.category for r in releases if r.category})), tuple(sorted(units)),
                   tuple(tag for tag, _ in sorted(tags.items(), key=lambda item: (-item[1], item[0]))))


def release_fields(config: Config, known: Known = Known(), keys: tuple[str, ...] = content.KEYS,
                   model: type = content.Release) -> list[dict[str, Any]]:
    """The form's fields for a release: one per front-matter key (in order), then the body."""
    types = typing.get_type_hints(model)
    out = []
    for key in keys:
        if key in FREE_FORM:
            continue
        if key not in types:
            raise ValueError(f"front matter key '{key}' is not a field of {model.__name__}")
        field = _field(key, types[key], config, known)
        default = model.__dataclass_fields__[key].default
        if field["widget"] == "boolean" and isinstance(default, bool):
            field["default"] = default          # `draft` starts off, `video` on
        out.append(field)
    out.append({"name": "body", "label": "Isi rilis", "widget": "markdown", "modes": ["rich_text", "raw"],
                "hint": "Tabel: pilih mode Markdown dan tulis | Kolom | Kolom |."})
    return out


def _labelled(key: str, config: Config, required: bool, folder: str = "") -> dict[str, Any]:
    label, hint = (folder and TYPE_LABELS.get(key)) or LABELS.get(key, (key.replace("_", " ").capitalize(), ""))
    hint = hint.format(title_min=config.check.title_min, title_max=config.check.title_max,
                       summary_max=config.check.summary_max, timezone=config.timezone)
    field: dict[str, Any] = {"name": key, "label": label, "required": required}
    if hint:
        field["hint"] = hint
    return field


def _datetime(field: dict[str, Any]) -> dict[str, Any]:
    """The time typed is written without an offset: the build reads it in the site timezone."""
    field.update(widget="datetime", format="YYYY-MM-DD HH:mm", date_format="DD-MM-YYYY",
                 time_format="HH:mm", picker_utc=False)
    if not field["required"]:
        field["default"] = ""
    return field


def _field(key: str, kind: Any, config: Config, known: Known) -> dict[str, Any]:
    required = key in ("title", "date")
    field = _labelled(key, config, required)
    hint = field.get("hint", "")
    optional = typing.get_args(kind)
    if type(None) in optional:                  # X | None: the widget of X
        kind = next(a for a in optional if a is not type(None))
    origin = typing.get_origin(kind)
    if kind is str:
        field.update(_text_widget(key, config, known))
    elif kind is bool:
        field.update(widget="boolean", default=False)
    elif kind is content.datetime:
        _datetime(field)
    elif origin is tuple and typing.get_args(kind)[0] is str:
        field.update(widget="list")
        if known.tags:
            suggested = ", ".join(known.tags[:MAX_SUGGESTED_TAGS])
            field["hint"] = f"{hint} Tag yang sudah dipakai: {suggested}.".strip()
    elif origin is tuple and hasattr(typing.get_args(kind)[0], "__dataclass_fields__"):
        row = typing.get_args(kind)[0]
        field.update(widget="list", summary="{{fields.note}}" if "note" in row.__dataclass_fields__ else "{{fields.title}}",
                     fields=_sub_fields(typing.get_args(kind)[0], config, known))
    elif hasattr(kind, "__dataclass_fields__"):
        field.update(widget="object", collapsed=True, fields=_sub_fields(kind, config, known))
    else:
        raise ValueError(f"front matter key '{key}' has a type the editor has no widget for: {kind}")
    return field


def _sub_fields(model: type, config: Config, known: Known) -> list[dict[str, Any]]:
    types = typing.get_type_hints(model)
    out = []
    for f in fields(model):
        if f.name in COMPUTED:
            continue
        sub = _field(f.name, types[f.name], config, known)
        sub["required"] = f.name == "path"
        out.append(sub)
    return out


def type_fields(module: Any, config: Config, known: Known = Known()) -> list[dict[str, Any]]:
    """The form's fields for a content type of humasgen/types/: one per key of its `KEYS` (in
    order, the order its loader and `humasgen new --type` write), then the body."""
    out = [_type_field(module.FOLDER, key, config, known) for key in module.KEYS if key.name not in FREE_FORM]
    label = COLLECTIONS[module.FOLDER][4]
    out.append({"name": "body", "label": label, "widget": "markdown", "modes": ["rich_text", "raw"],
                "required": False})
    return out


def _type_field(folder: str, key: Key, config: Config, known: Known) -> dict[str, Any]:
    field = _labelled(key.name, config, key.required, folder)
    options = OPTIONS.get((folder, key.name))
    if options is not None:
        field.update(widget="select", options=[{"label": label, "value": value} for value, label in options])
    elif key.kind == "text":
        field.update(_text_widget(key.name, config, known, folder))
    elif key.kind in PATTERNS:                  # slug, lang: the build's own rule, checked in the form
        pattern = PATTERNS[key.kind]
        field.update(widget="string", pattern=[pattern[0].pattern, pattern[1]])
    elif key.kind == "datetime":
        _datetime(field)
    elif key.kind == "bool":
        field.update(widget="boolean", default=False)
    elif key.kind == "int":
        field.update(widget="number", value_type="int", step=1)
    elif key.kind == "list" and (folder, key.name) in ROWS:
        must = REQUIRED_IN_ROW.get((folder, key.name), ())
        rows = []
        for name in ROWS[folder, key.name]:
            row = _labelled(name, config, name in must, folder)
            row.update(_text_widget(name, config, known, folder))
            rows.append(row)
        field.update(widget="list", summary="{{fields.%s}}" % rows[0]["name"], fields=rows)
        if key.required:
            field["min"] = 1
    else:
        raise ValueError(f"front matter key '{key.name}' of content/{folder}/ has a kind the editor has no "
                         f"widget for: {key.kind}")
    return field


def _text_widget(key: str, config: Config, known: Known, folder: str = "") -> dict[str, Any]:
    if key == "image" or (folder == galleries.FOLDER and key == "src"):
        return _upload_widget("image", IMAGES)
    if key == "path":                           # an attachment: a file upload into static/files/
        return _upload_widget("file", FILES)
    if folder == documents.FOLDER and key == "file":
        return _upload_widget("file", DOCUMENTS)
    if key == "summary":
        return {"widget": "text"}
    pattern = PATTERNS.get(key)
    if pattern is not None:     # the build's own rule, checked in the form before saving
        return {"widget": "string", "pattern": [pattern[0].pattern, pattern[1]]}
    configured = {"category": config.editor.categories, "unit": config.editor.units}.get(key)
    if configured is not None:
        options = sorted({*configured, *(known.categories if key == "category" else known.units)})
        if options:
            return {"widget": "select", "options": options}
    return {"widget": "string"}


def _upload_widget(widget: str, place: tuple[str, str]) -> dict[str, Any]:
    """An image or file chosen by upload into `place` ((folder in the site, URL path)), not by URL."""
    return {"widget": widget, "choose_url": False, "media_folder": "/" + place[0], "public_folder": place[1]}


def cms_config(config: Config, known: Known = Known(), local_url: str | None = None) -> dict[str, Any]:
    """The whole config.yml: back end, media folders, the releases collection.

    `local_url`: the origin of `humasgen serve`, which then answers the CMS's local back end.
    """
    editor = config.editor
    backend: dict[str, Any] = {"name": editor.backend, "repo": editor.repo or "kantor/situs-humas",
                               "branch": editor.branch}
    if editor.backend == "gitlab":
        server = (editor.base_url or "https://gitlab.com").rstrip("/")
        backend.update(auth_type="pkce", app_id=editor.app_id or "ISI-ID-APLIKASI-OAUTH",
                       base_url=server, api_root=server + "/api/v4", squash_merges=True)
    elif editor.base_url:                       # GitHub: the OAuth client that signs officers in
        backend["base_url"] = editor.base_url.rstrip("/")
    backend["commit_messages"] = {"create": "Rilis baru: {{slug}}", "update": "Ubah rilis: {{slug}}",
                                  "delete": "Hapus rilis: {{slug}}", "uploadMedia": "Unggah {{path}}",
                                  "deleteMedia": "Hapus {{path}}"}
    out: dict[str, Any] = {"backend": backend}
    if editor.workflow:
        out["publish_mode"] = "editorial_workflow"
    if local_url:
        out["local_backend"] = {"url": local_url.rstrip("/") + API_PATH}
    out.update({
        "locale": "id" if config.language.split("-")[0] == "id" else "en",     # Decap's own for the rest
        "site_url": config.base_url,
        "display_url": config.base_url,
        "media_folder": IMAGES[0],
        "public_folder": IMAGES[1],
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(config, known),
    })
    return out


def collections(config: Config, known: Known = Known()) -> list[dict[str, Any]]:
    """Releases, then one collection per content type of humasgen/types/, each in its loader's folder.

    Every type is offered (the config has no switch for them): the first agenda item or
    album of a site is written in the editor too, and a type's pages appear once it has items.
    """
    out = [{
        "name": "rilis", "label": "Siaran Pers", "label_singular": "Siaran Pers",
        "description": "Siaran pers situs ini: satu berkas per rilis di content/.",
        "folder": content.CONTENT_DIR, "path": "{{year}}/{{month}}/{{slug}}", "extension": "md",
        "format": "yaml-frontmatter", "create": True, "delete": True, "slug": "{{slug}}",
        "identifier_field": "title", "summary": "{{title}} · {{date | date('DD-MM-YYYY HH:mm')}}",
        "sortable_fields": [{"field": "date", "default_sort": "desc"}, "title", "category"],
        "view_filters": [{"label": "Draf", "field": "draft", "pattern": True}],
        "fields": release_fields(config, known),
    }]
    for module in MODULES.values():
        name, label, singular, description, _ = COLLECTIONS[module.FOLDER]
        keys = [k.name for k in module.KEYS]
        when = next((k for k in ("date", "start", "year") if k in keys), None)
        collection: dict[str, Any] = {
            "name": name, "label": label, "label_singular": singular, "description": description,
            "folder": f"{content.CONTENT_DIR}/{module.FOLDER}", "extension": "md", "format": "yaml-frontmatter",
            "create": True, "delete": True, "slug": "{{slug}}", "identifier_field": "title",
            "summary": "{{title}}" + (f" · {{{{{when}}}}}" if when == "year" else
                                      f" · {{{{{when} | date('DD-MM-YYYY HH:mm')}}}}" if when else ""),
            "sortable_fields": ([{"field": when, "default_sort": "desc"}] if when else []) + ["title"],
            "view_filters": [{"label": "Draf", "field": "draft", "pattern": True}],
            "fields": type_fields(module, config, known),
        }
        out.append(collection)
    return out
