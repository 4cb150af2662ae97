"""The editor's configuration (Decap CMS config.yml), derived from humasgen's front-matter schema.

The form's fields are `content.KEYS` in that order (so saved files keep humasgen's key
order), each with the widget its type in the `Release` model calls for; a key whose
type has no widget here is an error, so the schema cannot grow a key the form
silently lacks. Labels and hints are presentation only; a key without one still
gets a field.
"""
from __future__ import annotations

import typing
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any, Iterable

from .. import content
from ..config import Config

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
}
MAX_SUGGESTED_TAGS = 20
PATTERNS = {        # key -> (the regular expression the build checks, the message shown in the form)
    "slug": (content._SLUG_RE, "huruf kecil, angka dan tanda hubung, mis. bantuan-pangan"),
    "lang": (content._LANG_RE, "kode bahasa, mis. id atau en"),
}


@dataclass(frozen=True, slots=True)
class Known:
    """Values already in use on the site, offered in the form."""
    categories: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()          # most used first

    @classmethod
    def from_releases(cls, releases: Iterable[content.Release]) -> "Known":
        releases = tuple(releases)
        tags = Counter(tag for r in releases for tag in r.tags)
        return cls(tuple(sorted({r.category for r in releases if r.category})),
                   tuple(sorted({r.unit for r in releases if r.unit})),
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


def _field(key: str, kind: Any, config: Config, known: Known) -> dict[str, Any]:
    label, hint = LABELS.get(key, (key.replace("_", " ").capitalize(), ""))
    hint = hint.format(title_min=config.check.title_min, title_max=config.check.title_max,
                       summary_max=config.check.summary_max, timezone=config.timezone)
    required = key in ("title", "date")
    field: dict[str, Any] = {"name": key, "label": label, "required": required}
    if hint:
        field["hint"] = hint
    optional = typing.get_args(kind)
    if type(None) in optional:                  # X | None: the widget of X
        kind = next(a for a in optional if a is not type(None))
    origin = typing.get_origin(kind)
    if kind is str:
        field.update(_text_widget(key, config, known))
    elif kind is bool:
        field.update(widget="boolean", default=False)
    elif kind is content.datetime:
        field.update(widget="datetime", format="YYYY-MM-DD HH:mm", date_format="DD-MM-YYYY",
                     time_format="HH:mm", picker_utc=False)
        if not required:
            field["default"] = ""
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


def _text_widget(key: str, config: Config, known: Known) -> dict[str, Any]:
    if key == "image":
        return {"widget": "image", "choose_url": False,
                "media_folder": "/" + IMAGES[0], "public_folder": IMAGES[1]}
    if key == "path":                           # an attachment: a file upload into static/files/
        return {"widget": "file", "choose_url": False,
                "media_folder": "/" + FILES[0], "public_folder": FILES[1]}
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
        "locale": "id",
        "site_url": config.base_url,
        "display_url": config.base_url,
        "media_folder": IMAGES[0],
        "public_folder": IMAGES[1],
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{
            "name": "rilis", "label": "Siaran Pers", "label_singular": "Siaran Pers",
            "description": "Siaran pers situs ini: satu berkas per rilis di content/.",
            "folder": content.CONTENT_DIR, "path": "{{year}}/{{month}}/{{slug}}", "extension": "md",
            "format": "yaml-frontmatter", "create": True, "delete": True, "slug": "{{slug}}",
            "identifier_field": "title", "summary": "{{title}} · {{date | date('DD-MM-YYYY HH:mm')}}",
            "sortable_fields": [{"field": "date", "default_sort": "desc"}, "title", "category"],
            "view_filters": [{"label": "Draf", "field": "draft", "pattern": True}],
            "fields": release_fields(config, known),
        }],
    })
    return out
